package dev.mailprobe.metrics;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns session-probe results into the probe metrics of DESIGN.md. Every series of every
 * configured target is created at construction, so a failure counter exists (at 0) before the
 * first failure and {@code rate()} sees the first increment.
 */
public final class ProbeMetrics {
    /** Buckets of {@code mailprobe_probe_duration_seconds}: mail sessions take ms to tens of s. */
    static final Duration[] DURATION_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
        Duration.ofSeconds(60)
    };

    private final Map<String, TargetMeters> meters = new HashMap<>();

    public ProbeMetrics(MeterRegistry registry, MailprobeConfig config) {
        this(registry, config, name -> true);
    }

    /** Series for the targets {@code owned} accepts (by name): a shard exports only its own targets. */
    public ProbeMetrics(MeterRegistry registry, MailprobeConfig config, java.util.function.Predicate<String> owned) {
        for (Node node : config.nodes()) {
            if (owned.test(node.name())) {
                register(registry, node.name(), node.protocols());
            }
        }
        for (EntryPoint entryPoint : config.entryPoints()) {
            if (owned.test(entryPoint.name())) {
                register(registry, entryPoint.name(), entryPoint.protocols());
            }
        }
    }

    private void register(MeterRegistry registry, String target, Map<Protocol, Endpoint> protocols) {
        for (Protocol protocol : protocols.keySet()) {
            meters.put(key(target, protocol), new TargetMeters(registry, target, protocol));
        }
    }

    /** Records one result; a result for an unconfigured target is ignored (it has no series). */
    public void record(ProbeResult result) {
        TargetMeters m = meters.get(key(result.target(), result.protocol()));
        if (m == null) {
            return;
        }
        m.success.set(result.success() ? 1 : 0);
        m.results.get(result.resultLabel()).increment();
        result.phases().forEach((phase, duration) -> m.durations.get(phase).record(duration));
        if (result.tls() != null && result.tls().certificateNotAfter() != null) {
            m.certExpiry.set(result.tls().certificateNotAfter().getEpochSecond());
        }
    }

    private static String key(String target, Protocol protocol) {
        return target + '\u0000' + protocol.label();
    }

    private static final class TargetMeters {
        final AtomicInteger success = new AtomicInteger();
        final AtomicLong certExpiry = new AtomicLong(Long.MIN_VALUE);
        final Map<String, Counter> results = new LinkedHashMap<>();
        final Map<Phase, Timer> durations = new LinkedHashMap<>();

        TargetMeters(MeterRegistry registry, String target, Protocol protocol) {
            String p = protocol.label();
            Gauge.builder(MeterNames.PROBE_SUCCESS, success, AtomicInteger::get)
                    .description("1 if the last session probe of this node and protocol succeeded, else 0")
                    .tags("node", target, "protocol", p)
                    .register(registry);
            results.put(FailureReason.SUCCESS_LABEL, counter(registry, target, p, FailureReason.SUCCESS_LABEL));
            for (FailureReason reason : FailureReason.values()) {
                results.put(reason.label(), counter(registry, target, p, reason.label()));
            }
            for (Phase phase : Phase.values()) {
                durations.put(phase, Timer.builder(MeterNames.PROBE_DURATION)
                        .description("Duration of each phase of a session probe")
                        .tags("node", target, "protocol", p, "phase", phase.label())
                        .serviceLevelObjectives(DURATION_BUCKETS)
                        .register(registry));
            }
            // NaN until a TLS handshake shows a certificate: absent data, not "expired in 1970"
            Gauge.builder(MeterNames.TLS_CERT_EXPIRY, certExpiry,
                            v -> v.get() == Long.MIN_VALUE ? Double.NaN : v.get())
                    .description("Expiry of the certificate the node presented, as a Unix timestamp")
                    .baseUnit("seconds")
                    .tags("node", target, "protocol", p)
                    .register(registry);
        }

        private static Counter counter(MeterRegistry registry, String target, String protocol, String result) {
            return Counter.builder(MeterNames.PROBES)
                    .description("Session probes by result")
                    .tags("node", target, "protocol", protocol, "result", result)
                    .register(registry);
        }
    }
}
