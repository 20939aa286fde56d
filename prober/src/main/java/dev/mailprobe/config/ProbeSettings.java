package dev.mailprobe.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Probe settings after inheritance is resolved: {@code probe:} at the top, overridden per node,
 * overridden per protocol (the nearest wins).
 *
 * @param caFile optional PEM file trusted in addition to the system trust store; null when unset
 */
public record ProbeSettings(
        Duration interval,
        Duration timeout,
        int maxConnectionsPerNode,
        boolean tlsVerify,
        Path caFile) {

    public static final ProbeSettings DEFAULTS =
            new ProbeSettings(Duration.ofSeconds(30), Duration.ofSeconds(10), 1, true, null);
}
