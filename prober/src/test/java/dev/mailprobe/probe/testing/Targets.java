package dev.mailprobe.probe.testing;

import dev.mailprobe.config.Account;
import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.Secret;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.ProbeTarget;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Test fixtures: targets on loopback, a probe account, and waiting for a probe. */
public final class Targets {
    public static final String PASSWORD = "S3cr3t-Pa55word!";
    public static final Account ACCOUNT =
            new Account("probe", "probe@example.net", Secret.of(PASSWORD, "test"));

    private Targets() {}

    public static ProbeSettings settings(Duration timeout, boolean verify, Path caFile) {
        return new ProbeSettings(Duration.ofSeconds(30), timeout, 1, verify, caFile);
    }

    public static ProbeSettings settings(Duration timeout) {
        return settings(timeout, true, null);
    }

    public static ProbeTarget target(Protocol p, int port, TlsMode tls, Account account, ProbeSettings settings) {
        return target("127.0.0.1", p, port, tls, account, settings);
    }

    public static ProbeTarget target(String host, Protocol p, int port, TlsMode tls, Account account, ProbeSettings settings) {
        return new ProbeTarget("node-1", false, host, new Endpoint(p, port, tls, account, settings), "node-1");
    }

    public static ProbeTarget plain(Protocol p, int port) {
        return target(p, port, TlsMode.NONE, null, settings(Duration.ofSeconds(5)));
    }

    public static ProbeResult await(Future<ProbeResult> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("probe did not complete", e);
        }
    }

    /** A loopback port nothing listens on. */
    public static int closedPort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
