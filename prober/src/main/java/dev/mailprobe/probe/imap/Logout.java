package dev.mailprobe.probe.imap;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeFailure;
import io.vertx.core.Future;

/** Step: LOGOUT; expects {@code * BYE} and the tagged OK. A server that closes right after BYE is fine. */
final class Logout {
    private Logout() {}

    static Future<Void> run(ImapConnection c) {
        return c.session.step(Phase.QUIT, "LOGOUT", () -> c.command("LOGOUT")
                .<Void>compose(d -> d.ok()
                        ? Future.succeededFuture()
                        : c.session.fail(FailureReason.PROTOCOL_ERROR, "LOGOUT: " + d.summary()))
                .recover(e -> {
                    if (e instanceof ProbeFailure f && f.reason() == FailureReason.PROTOCOL_ERROR
                            && "connection closed by server".equals(f.getMessage())) {
                        c.session.transcript().note("server closed the connection after LOGOUT");
                        return Future.succeededFuture();
                    }
                    return Future.failedFuture(e);
                }));
    }
}
