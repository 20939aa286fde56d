package dev.mailprobe.probe.imap;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.TlsUpgrade;
import io.vertx.core.Future;

/** Step: STARTTLS; not advertised or refused is {@code tls_error}, never skipped. */
final class ImapStartTls {
    private ImapStartTls() {}

    static Future<Void> run(ImapConnection c) {
        return c.session.step(Phase.TLS, "STARTTLS", () -> {
            if (!c.has("STARTTLS")) {
                return c.session.<Void>fail(FailureReason.TLS_ERROR, "STARTTLS is configured but the server does not advertise it");
            }
            return c.command("STARTTLS").compose(done -> done.ok()
                    ? Future.<Void>succeededFuture()
                    : c.session.<Void>fail(FailureReason.TLS_ERROR, "STARTTLS refused: " + done.summary()));
        }).compose(v -> TlsUpgrade.run(c.session));
    }
}
