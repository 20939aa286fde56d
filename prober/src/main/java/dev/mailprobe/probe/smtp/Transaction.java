package dev.mailprobe.probe.smtp;

import dev.mailprobe.config.Account;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;

/**
 * Step: the envelope check MAIL FROM / RCPT TO / RSET; no mail is sent. 4xx/5xx on MAIL or RCPT is
 * {@code rejected}. Addresses: the account's username when it is an address, else the target's
 * envelope address (a mailbox the cluster hosts), else {@code postmaster@} the greeting's domain (bare {@code <postmaster>}, which RFC 5321 says every
 * server accepts, as the recipient when the greeting names no domain).
 */
final class Transaction {
    private Transaction() {}

    static Future<Void> run(ProbeSession s, String greetingDomain, Account account, String envelopeAddress) {
        String user = account != null && account.username().contains("@") ? account.username() : envelopeAddress;
        boolean dotted = greetingDomain != null && greetingDomain.contains(".") && !greetingDomain.startsWith("[");
        String postmaster = dotted ? "postmaster@" + greetingDomain : null;
        String from = user != null ? user : postmaster != null ? postmaster : "";
        String to = user != null ? user : postmaster != null ? postmaster : "postmaster";
        return s.step(Phase.TRANSACTION, "MAIL/RCPT/RSET", () -> {
            s.send("MAIL FROM:<" + from + ">");
            return SmtpReplyReader.read(s)
                    .compose(mail -> {
                        if (!mail.is(250)) {
                            return refused(s, "MAIL FROM", mail);
                        }
                        s.send("RCPT TO:<" + to + ">");
                        return SmtpReplyReader.read(s);
                    })
                    .compose(rcpt -> {
                        if (!rcpt.is(250) && !rcpt.is(251)) {
                            return refused(s, "RCPT TO", rcpt);
                        }
                        s.send("RSET");
                        return SmtpReplyReader.read(s);
                    })
                    .compose(rset -> rset.is(250)
                            ? Future.<Void>succeededFuture()
                            : s.<Void>fail(FailureReason.PROTOCOL_ERROR, "unexpected reply to RSET: " + rset.summary()));
        });
    }

    private static Future<SmtpReply> refused(ProbeSession s, String command, SmtpReply reply) {
        if (reply.transientNegative() || reply.permanentNegative()) {
            return s.fail(FailureReason.REJECTED, command + " rejected: " + reply.summary());
        }
        return s.fail(FailureReason.PROTOCOL_ERROR, "unexpected reply to " + command + ": " + reply.summary());
    }
}
