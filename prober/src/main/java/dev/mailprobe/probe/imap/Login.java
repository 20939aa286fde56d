package dev.mailprobe.probe.imap;

import dev.mailprobe.config.Account;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.Sasl;
import dev.mailprobe.probe.session.Transcript;
import io.vertx.core.Future;

/**
 * Step: LOGIN with quoted strings, or AUTHENTICATE PLAIN when the server says LOGINDISABLED or the
 * password cannot be a quoted string (SASL-IR used when advertised). NO is {@code auth_failed}.
 */
final class Login {
    private Login() {}

    static Future<Void> run(ImapConnection c, Account account) {
        return c.session.step(Phase.AUTH, "LOGIN", () -> {
            String user = account.username();
            String password = account.password().reveal();
            Sasl.protect(c.session.transcript(), user, password);
            boolean canQuote = quotable(user) && quotable(password);
            Future<ImapConnection.Completion> done;
            if (!c.has("LOGINDISABLED") && canQuote) {
                done = c.command("LOGIN " + quote(user) + " " + quote(password),
                        "LOGIN " + quote(user) + " " + Transcript.REDACTED, null);
            } else if (c.has("AUTH=PLAIN")) {
                String blob = Sasl.plain(user, password);
                if (c.has("SASL-IR")) {
                    done = c.command("AUTHENTICATE PLAIN " + blob, "AUTHENTICATE PLAIN " + Transcript.REDACTED, null);
                } else {
                    done = c.command("AUTHENTICATE PLAIN", "AUTHENTICATE PLAIN", r -> new String[] {blob, Transcript.REDACTED});
                }
            } else {
                return c.session.<Void>fail(FailureReason.AUTH_FAILED, c.has("LOGINDISABLED")
                        ? "LOGINDISABLED and no AUTH=PLAIN advertised"
                        : "credentials cannot be sent as quoted strings and no AUTH=PLAIN advertised");
            }
            return done.compose(d -> switch (d.tagged().kind()) {
                case "OK" -> Future.<Void>succeededFuture();
                case "NO" -> c.session.<Void>fail(FailureReason.AUTH_FAILED, "login failed: " + d.summary());
                default -> c.session.<Void>fail(FailureReason.PROTOCOL_ERROR, "login rejected as bad command: " + d.summary());
            });
        });
    }

    static boolean quotable(String s) {
        return s.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f);
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
