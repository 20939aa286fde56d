package dev.mailprobe.probe.smtp;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import dev.mailprobe.probe.session.TlsUpgrade;
import io.vertx.core.Future;

/**
 * Step: STARTTLS (RFC 3207). Configured STARTTLS is never skipped: not advertised, or refused, is
 * {@code tls_error}. The handshake itself is {@link TlsUpgrade}.
 */
final class StartTls {
    private StartTls() {}

    static Future<Void> run(ProbeSession s, SmtpCapabilities caps) {
        return s.step(Phase.TLS, "STARTTLS", () -> {
            if (!caps.has("STARTTLS")) {
                return s.<Void>fail(FailureReason.TLS_ERROR, "STARTTLS is configured but the server does not advertise it");
            }
            s.send("STARTTLS");
            return SmtpReplyReader.read(s).compose(reply -> reply.is(220)
                    ? Future.<Void>succeededFuture()
                    : s.<Void>fail(FailureReason.TLS_ERROR, "STARTTLS refused: " + reply.summary()));
        }).compose(v -> TlsUpgrade.run(s));
    }
}
