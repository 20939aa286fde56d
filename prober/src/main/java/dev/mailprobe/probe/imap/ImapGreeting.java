package dev.mailprobe.probe.imap;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import io.vertx.core.Future;

/**
 * Step: wait for the greeting before sending anything. {@code * OK} is ready, {@code * PREAUTH}
 * already authenticated, {@code * BYE} is the server refusing us ({@code rejected}).
 *
 * @return true when the server said PREAUTH
 */
final class ImapGreeting {
    private ImapGreeting() {}

    static Future<Boolean> run(ImapConnection c) {
        return c.session.step(Phase.GREETING, "greeting", () -> ImapResponseReader.read(c.session).compose(r -> {
            c.session.reply(0, r.text());
            c.session.greeting(r.statusText());
            if (!r.untagged()) {
                return c.session.fail(FailureReason.PROTOCOL_ERROR, "not an IMAP greeting: " + r.text());
            }
            c.learnCapabilities(r);
            return switch (r.kind()) {
                case "OK" -> Future.succeededFuture(false);
                case "PREAUTH" -> Future.succeededFuture(true);
                case "BYE" -> c.session.fail(FailureReason.REJECTED, "server refused the session: " + r.text());
                default -> c.session.fail(FailureReason.PROTOCOL_ERROR, "unexpected greeting: " + r.text());
            };
        }));
    }
}
