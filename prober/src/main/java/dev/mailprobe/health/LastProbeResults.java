package dev.mailprobe.health;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.ProbeResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest session-probe result per target and protocol, for the status API and page. */
public final class LastProbeResults {
    private final Map<String, Map<Protocol, ProbeResult>> latest = new ConcurrentHashMap<>();

    public void record(ProbeResult result) {
        latest.computeIfAbsent(result.target(), t -> new ConcurrentHashMap<>()).put(result.protocol(), result);
    }

    public Optional<ProbeResult> latest(String target, Protocol protocol) {
        return Optional.ofNullable(latest.getOrDefault(target, Map.of()).get(protocol));
    }
}
