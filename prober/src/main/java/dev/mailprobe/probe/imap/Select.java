package dev.mailprobe.probe.imap;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import io.vertx.core.Future;

/** Step: SELECT INBOX (the transaction phase); NO is {@code rejected}. */
final class Select {
    private Select() {}

    static Future<Void> run(ImapConnection c) {
        return c.session.step(Phase.TRANSACTION, "SELECT", () -> c.command("SELECT INBOX").compose(d -> switch (d.tagged().kind()) {
            case "OK" -> Future.<Void>succeededFuture();
            case "NO" -> c.session.<Void>fail(FailureReason.REJECTED, "SELECT INBOX refused: " + d.summary());
            default -> c.session.<Void>fail(FailureReason.PROTOCOL_ERROR, "SELECT INBOX: " + d.summary());
        }));
    }
}
