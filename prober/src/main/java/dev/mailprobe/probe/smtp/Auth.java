package dev.mailprobe.probe.smtp;

import dev.mailprobe.config.Account;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import dev.mailprobe.probe.session.Sasl;
import dev.mailprobe.probe.session.Transcript;
import io.vertx.core.Future;

/**
 * Step: AUTH PLAIN (with initial response) when advertised, else AUTH LOGIN (RFC 4954). Every
 * credential-bearing line is shown redacted. 235 is success; 5xx or 454 is {@code auth_failed}.
 */
final class Auth {
    private Auth() {}

    static Future<Void> run(ProbeSession s, SmtpCapabilities caps, Account account) {
        return s.step(Phase.AUTH, "AUTH", () -> {
            String user = account.username();
            String password = account.password().reveal();
            Sasl.protect(s.transcript(), user, password);
            if (caps.authMechanisms().contains("PLAIN")) {
                s.send("AUTH PLAIN " + Sasl.plain(user, password), "AUTH PLAIN " + Transcript.REDACTED);
                return SmtpReplyReader.read(s).compose(reply -> outcome(s, reply));
            }
            if (caps.authMechanisms().contains("LOGIN")) {
                s.send("AUTH LOGIN");
                return SmtpReplyReader.read(s)
                        .compose(r -> challenge(s, r, Sasl.base64(user)))
                        .compose(r -> challenge(s, r, Sasl.base64(password)))
                        .compose(r -> outcome(s, r));
            }
            return s.fail(FailureReason.AUTH_FAILED, caps.authMechanisms().isEmpty()
                    ? "an account is configured but the server advertises no AUTH"
                    : "no supported AUTH mechanism (PLAIN, LOGIN) among " + caps.authMechanisms());
        });
    }

    private static Future<SmtpReply> challenge(ProbeSession s, SmtpReply reply, String answer) {
        if (!reply.is(334)) {
            return outcome(s, reply).map(v -> reply);
        }
        s.send(answer, Transcript.REDACTED);
        return SmtpReplyReader.read(s);
    }

    private static Future<Void> outcome(ProbeSession s, SmtpReply reply) {
        if (reply.is(235)) {
            return Future.succeededFuture();
        }
        if (reply.permanentNegative() || reply.is(454)) {
            return s.fail(FailureReason.AUTH_FAILED, "authentication failed: " + reply.summary());
        }
        if (reply.transientNegative()) {
            return s.fail(FailureReason.REJECTED, "authentication refused: " + reply.summary());
        }
        return s.fail(FailureReason.PROTOCOL_ERROR, "unexpected reply to AUTH: " + reply.summary());
    }
}
