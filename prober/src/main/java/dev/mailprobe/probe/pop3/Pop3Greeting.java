package dev.mailprobe.probe.pop3;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;

/** Step: wait for the greeting; {@code +OK} is ready, {@code -ERR} is {@code rejected}. */
final class Pop3Greeting {
    private Pop3Greeting() {}

    static Future<Void> run(ProbeSession s) {
        return s.step(Phase.GREETING, "greeting", () -> Pop3ReplyReader.status(s).compose(r -> {
            s.greeting(r.text());
            return r.ok()
                    ? Future.<Void>succeededFuture()
                    : s.<Void>fail(FailureReason.REJECTED, "server refused the session: " + r.summary());
        }));
    }
}
