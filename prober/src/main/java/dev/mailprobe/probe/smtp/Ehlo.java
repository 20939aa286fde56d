package dev.mailprobe.probe.smtp;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;

/** Step: EHLO, falling back to HELO when EHLO is refused with 5xx. Counts in the greeting phase. */
final class Ehlo {
    private Ehlo() {}

    static Future<SmtpCapabilities> run(ProbeSession s, String clientName) {
        return s.step(Phase.GREETING, "EHLO", () -> {
            s.send("EHLO " + clientName);
            return SmtpReplyReader.read(s).compose(reply -> {
                if (reply.is(250)) {
                    return Future.succeededFuture(SmtpCapabilities.parse(reply));
                }
                if (reply.permanentNegative()) {
                    s.send("HELO " + clientName);
                    return SmtpReplyReader.read(s).compose(helo -> helo.is(250)
                            ? Future.succeededFuture(SmtpCapabilities.NONE)
                            : refused(s, "HELO", helo));
                }
                return refused(s, "EHLO", reply);
            });
        });
    }

    private static Future<SmtpCapabilities> refused(ProbeSession s, String command, SmtpReply reply) {
        if (reply.transientNegative() || reply.permanentNegative()) {
            return s.fail(FailureReason.REJECTED, command + " refused: " + reply.summary());
        }
        return s.fail(FailureReason.PROTOCOL_ERROR, "unexpected reply to " + command + ": " + reply.summary());
    }
}
