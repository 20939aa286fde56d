package dev.mailprobe.probe.pop3;

import dev.mailprobe.config.Account;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import dev.mailprobe.probe.session.Sasl;
import dev.mailprobe.probe.session.Transcript;
import io.vertx.core.Future;
import java.util.Set;

/**
 * Step: AUTH PLAIN with initial response (RFC 5034) when CAPA lists {@code SASL PLAIN}, else
 * USER/PASS. {@code -ERR} on PASS/AUTH (or USER) is {@code auth_failed}.
 */
final class Pop3Auth {
    private Pop3Auth() {}

    static Future<Void> run(ProbeSession s, Set<String> caps, Account account) {
        return s.step(Phase.AUTH, "login", () -> {
            String user = account.username();
            String password = account.password().reveal();
            Sasl.protect(s.transcript(), user, password);
            if (caps.contains("SASL PLAIN")) {
                s.send("AUTH PLAIN " + Sasl.plain(user, password), "AUTH PLAIN " + Transcript.REDACTED);
                return Pop3ReplyReader.status(s).compose(r -> outcome(s, "AUTH PLAIN", r));
            }
            s.send("USER " + user);
            return Pop3ReplyReader.status(s).compose(r -> {
                if (!r.ok()) {
                    return outcome(s, "USER", r);
                }
                s.send("PASS " + password, "PASS " + Transcript.REDACTED);
                return Pop3ReplyReader.status(s).compose(p -> outcome(s, "PASS", p));
            });
        });
    }

    private static Future<Void> outcome(ProbeSession s, String command, Pop3Reply r) {
        return r.ok()
                ? Future.succeededFuture()
                : s.fail(FailureReason.AUTH_FAILED, command + " failed: " + r.summary());
    }
}
