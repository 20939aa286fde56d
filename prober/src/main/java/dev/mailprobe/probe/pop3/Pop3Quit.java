package dev.mailprobe.probe.pop3;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeFailure;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;

/** Step: QUIT, expecting +OK; a server that just closes is fine too. */
final class Pop3Quit {
    private Pop3Quit() {}

    static Future<Void> run(ProbeSession s) {
        return s.step(Phase.QUIT, "QUIT", () -> {
            s.send("QUIT");
            return Pop3ReplyReader.status(s).<Void>compose(r -> r.ok()
                            ? Future.succeededFuture()
                            : s.fail(FailureReason.PROTOCOL_ERROR, "QUIT: " + r.summary()))
                    .recover(e -> {
                        if (e instanceof ProbeFailure f && f.reason() == FailureReason.PROTOCOL_ERROR
                                && "connection closed by server".equals(f.getMessage())) {
                            s.transcript().note("server closed the connection after QUIT");
                            return Future.succeededFuture();
                        }
                        return Future.failedFuture(e);
                    });
        });
    }
}
