package dev.mailprobe.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to start a {@link DemoCluster}.
 *
 * @param bindAddress address every node proxy listens on (and each node's {@code host} in the
 *                    generated config); the GreenMail backend always binds 127.0.0.1
 * @param basePort    0 for ephemeral proxy ports; otherwise ports are {@code basePort + k} in this
 *                    order: smtp-1 smtp, smtp-1 submission, smtp-2 smtp, smtp-2 submission,
 *                    imap-1 imap, imap-1 pop3, imap-2 imap, imap-2 pop3 (8 ports)
 * @param slowDelay   default delay of {@link FaultMode#SLOW}
 * @param storePath   the prober's store file; null means a fresh temp file (deleted on JVM exit)
 * @param httpBind    {@code http.bind} of the generated config
 * @param httpPort    {@code http.port} of the generated config
 * @param probeInterval session-probe interval of the generated config (timeout: 80 % of it, at most 2 s)
 */
public record DemoOptions(
        String bindAddress,
        int basePort,
        Duration slowDelay,
        Path storePath,
        String httpBind,
        int httpPort,
        Duration probeInterval) {

    public static final Duration DEFAULT_SLOW_DELAY = Duration.ofSeconds(3);

    public DemoOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(slowDelay, "slowDelay");
        Objects.requireNonNull(httpBind, "httpBind");
        if (basePort < 0 || basePort > 65535 - 7) {
            throw new IllegalArgumentException("basePort must be 0 or in 1.." + (65535 - 7) + ": " + basePort);
        }
        if (slowDelay.isNegative()) {
            throw new IllegalArgumentException("slowDelay must not be negative: " + slowDelay);
        }
        Objects.requireNonNull(probeInterval, "probeInterval");
        if (probeInterval.toMillis() < 100) {
            throw new IllegalArgumentException("probeInterval must be at least 100ms: " + probeInterval);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("httpPort out of range: " + httpPort);
        }
    }

    /** 127.0.0.1, ephemeral ports, slow = 3 s, temp store, HTTP on 127.0.0.1:8080. */
    public static DemoOptions defaults() {
        return new DemoOptions("127.0.0.1", 0, DEFAULT_SLOW_DELAY, null, "127.0.0.1", 8080, Duration.ofSeconds(5));
    }

    public DemoOptions withBindAddress(String bindAddress) {
        return new DemoOptions(bindAddress, basePort, slowDelay, storePath, httpBind, httpPort, probeInterval);
    }

    public DemoOptions withBasePort(int basePort) {
        return new DemoOptions(bindAddress, basePort, slowDelay, storePath, httpBind, httpPort, probeInterval);
    }

    public DemoOptions withSlowDelay(Duration slowDelay) {
        return new DemoOptions(bindAddress, basePort, slowDelay, storePath, httpBind, httpPort, probeInterval);
    }

    public DemoOptions withStorePath(Path storePath) {
        return new DemoOptions(bindAddress, basePort, slowDelay, storePath, httpBind, httpPort, probeInterval);
    }

    public DemoOptions withHttp(String httpBind, int httpPort) {
        return new DemoOptions(bindAddress, basePort, slowDelay, storePath, httpBind, httpPort, probeInterval);
    }

    public DemoOptions withProbeInterval(Duration probeInterval) {
        return new DemoOptions(bindAddress, basePort, slowDelay, storePath, httpBind, httpPort, probeInterval);
    }
}
