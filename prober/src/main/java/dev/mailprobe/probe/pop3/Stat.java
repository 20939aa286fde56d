package dev.mailprobe.probe.pop3;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;

/** Step: STAT (the transaction phase); {@code -ERR} is {@code rejected}. */
final class Stat {
    private Stat() {}

    static Future<Void> run(ProbeSession s) {
        return s.step(Phase.TRANSACTION, "STAT", () -> {
            s.send("STAT");
            return Pop3ReplyReader.status(s).compose(r -> {
                if (!r.ok()) {
                    return s.<Void>fail(FailureReason.REJECTED, "STAT refused: " + r.summary());
                }
                if (!r.text().matches("\\d+ \\d+.*")) {
                    return s.<Void>fail(FailureReason.PROTOCOL_ERROR, "malformed STAT reply: " + r.summary());
                }
                return Future.<Void>succeededFuture();
            });
        });
    }
}
