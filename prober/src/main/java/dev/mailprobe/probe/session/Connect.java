package dev.mailprobe.probe.session;

import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeTarget;
import io.vertx.core.Future;
import io.vertx.core.net.ConnectOptions;

/** Step: open the TCP connection (plain; TLS, implicit or not, is {@link TlsUpgrade}'s step). */
public final class Connect {
    private Connect() {}

    public static Future<Void> run(ProbeSession s) {
        ProbeTarget t = s.target();
        return s.step(Phase.CONNECT, "connect", () -> {
            s.transcript().note("connect " + t.host() + ":" + t.endpoint().port() + " (" + t.protocol() + ", tls " + t.endpoint().tls() + ")");
            // Netty's own connect timeout a little after our step deadline, so the socket is
            // always released even when our timer wins.
            long ms = Math.max(1, s.remainingNanos() / 1_000_000) + 1_000;
            ConnectOptions options = new ConnectOptions()
                    .setHost(t.host())
                    .setPort(t.endpoint().port())
                    .setTimeout((int) Math.min(Integer.MAX_VALUE, ms));
            return s.client().connect(options).map(socket -> {
                s.attach(socket);
                if (s.aborted()) {
                    throw new ProbeFailure(dev.mailprobe.probe.FailureReason.TIMEOUT, Phase.CONNECT, "connected too late");
                }
                s.transcript().note("connected to " + socket.remoteAddress());
                return null;
            });
        });
    }
}
