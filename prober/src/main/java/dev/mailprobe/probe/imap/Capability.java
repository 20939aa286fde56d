package dev.mailprobe.probe.imap;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import io.vertx.core.Future;

/** Step: CAPABILITY (counts in the greeting phase). */
final class Capability {
    private Capability() {}

    static Future<Void> run(ImapConnection c) {
        return c.session.step(Phase.GREETING, "CAPABILITY", () -> c.command("CAPABILITY").compose(done -> done.ok()
                ? Future.<Void>succeededFuture()
                : c.session.<Void>fail(FailureReason.PROTOCOL_ERROR, "CAPABILITY failed: " + done.summary())));
    }
}
