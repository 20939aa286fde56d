package dev.mailprobe.metrics;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.schedule.ConnectionLimiter;
import dev.mailprobe.schedule.FixedRateScheduler.JobStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The probe load the prober itself puts on each node: open connections and their configured bound
 * ({@code mailprobe_probe_connections_limit}, read by the probe-load alert), overruns, backoff.
 */
public final class ScheduleMetrics {
    private final MeterRegistry registry;
    private final ConnectionLimiter limiter;
    private final Map<String, List<JobStats>> jobsByNode = new ConcurrentHashMap<>();

    public ScheduleMetrics(MeterRegistry registry, ConnectionLimiter limiter) {
        this.registry = registry;
        this.limiter = limiter;
    }

    /** Exports one scheduled probe job of {@code node} (a node or entry point name). */
    public void register(String node, Protocol protocol, JobStats stats) {
        FunctionCounter.builder(MeterNames.PROBE_OVERRUNS, stats, JobStats::overruns)
                .description("Probes still running at their next slot (that slot was skipped, not queued)")
                .tags("node", node, "protocol", protocol.label())
                .register(registry);
        List<JobStats> jobs = jobsByNode.computeIfAbsent(node, n -> {
            List<JobStats> list = new CopyOnWriteArrayList<>();
            Gauge.builder(MeterNames.PROBE_CONNECTIONS, limiter, l -> l.inUse(n))
                    .description("Connections the prober holds open to this node now")
                    .tags("node", n)
                    .register(registry);
            Gauge.builder(MeterNames.PROBE_CONNECTIONS_LIMIT, limiter, l -> l.max(n))
                    .description("The most connections the prober may hold open to this node (maxConnectionsPerNode)")
                    .tags("node", n)
                    .register(registry);
            Gauge.builder(MeterNames.PROBE_BACKOFF_FACTOR, list,
                            l -> l.stream().mapToInt(JobStats::backoffFactor).max().orElse(1))
                    .description("Interval multiplier on a sick node: 1 when healthy, up to 4")
                    .tags("node", n)
                    .register(registry);
            return list;
        });
        jobs.add(stats);
    }
}
