package dev.mailprobe.probe.smtp;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;

/**
 * Step: wait for the server's full greeting before sending anything. 220 is ready; 554 (and
 * 421/other 4xx-5xx) is the server refusing us: {@code rejected}; anything else is a protocol error.
 */
final class Greeting {
    private Greeting() {}

    /** @return the domain the server names itself with (first word of the greeting) */
    static Future<String> run(ProbeSession s) {
        return s.step(Phase.GREETING, "greeting", () -> SmtpReplyReader.read(s).compose(reply -> {
            s.greeting(reply.text());
            if (reply.is(220)) {
                String first = reply.lines().isEmpty() ? "" : reply.lines().get(0).trim();
                return Future.succeededFuture(first.isEmpty() ? "" : first.split("\\s+")[0]);
            }
            if (reply.transientNegative() || reply.permanentNegative()) {
                return s.fail(FailureReason.REJECTED, "server refused the session: " + reply.summary());
            }
            return s.fail(FailureReason.PROTOCOL_ERROR, "unexpected greeting: " + reply.summary());
        }));
    }
}
