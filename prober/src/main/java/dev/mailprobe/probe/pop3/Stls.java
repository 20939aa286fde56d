package dev.mailprobe.probe.pop3;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import dev.mailprobe.probe.session.TlsUpgrade;
import io.vertx.core.Future;
import java.util.Set;

/** Step: STLS (RFC 2595); not advertised or refused is {@code tls_error}, never skipped. */
final class Stls {
    private Stls() {}

    static Future<Void> run(ProbeSession s, Set<String> caps) {
        return s.step(Phase.TLS, "STLS", () -> {
            if (!caps.contains("STLS")) {
                return s.<Void>fail(FailureReason.TLS_ERROR, "STARTTLS (STLS) is configured but the server does not advertise it");
            }
            s.send("STLS");
            return Pop3ReplyReader.status(s).compose(r -> r.ok()
                    ? Future.<Void>succeededFuture()
                    : s.<Void>fail(FailureReason.TLS_ERROR, "STLS refused: " + r.summary()));
        }).compose(v -> TlsUpgrade.run(s));
    }
}
