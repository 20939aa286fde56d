package dev.mailprobe.probe.smtp;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeFailure;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;

/** Step: QUIT and expect 221. A server that just closes after QUIT is fine too. */
final class Quit {
    private Quit() {}

    static Future<Void> run(ProbeSession s) {
        return s.step(Phase.QUIT, "QUIT", () -> {
            s.send("QUIT");
            return SmtpReplyReader.read(s).<Void>compose(reply -> reply.is(221)
                            ? Future.succeededFuture()
                            : s.fail(FailureReason.PROTOCOL_ERROR, "unexpected reply to QUIT: " + reply.summary()))
                    .recover(e -> closedAfterQuit(s, e));
        });
    }

    static Future<Void> closedAfterQuit(ProbeSession s, Throwable e) {
        if (e instanceof ProbeFailure f && f.reason() == FailureReason.PROTOCOL_ERROR
                && "connection closed by server".equals(f.getMessage())) {
            s.transcript().note("server closed the connection after QUIT");
            return Future.succeededFuture();
        }
        return Future.failedFuture(e);
    }
}
