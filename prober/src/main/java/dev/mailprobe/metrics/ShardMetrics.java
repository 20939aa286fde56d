package dev.mailprobe.metrics;

import dev.mailprobe.shard.ShardPlan;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Which shard this process is and how much it probes: {@code mailprobe_shard_info{shard,shards}}
 * (gauge 1; {@code shard="0",shards="1"} without sharding) and
 * {@code mailprobe_shard_targets{kind}} (nodes, entry points and round-trip slots it owns), so a
 * board can show that every shard is running and the load is spread.
 */
public final class ShardMetrics {
    static final String SHARD_INFO = "mailprobe.shard.info";
    static final String SHARD_TARGETS = "mailprobe.shard.targets";

    public ShardMetrics(MeterRegistry registry, ShardPlan plan, int roundTripSlots) {
        Gauge.builder(SHARD_INFO, () -> 1)
                .description("1; the labels say which shard of how many this process is")
                .tags("shard", Integer.toString(plan.shard().index()), "shards", Integer.toString(plan.shard().count()))
                .register(registry);
        target(registry, "node", plan.nodes().size());
        target(registry, "entry_point", plan.entryPoints().size());
        target(registry, "roundtrip", roundTripSlots);
    }

    private static void target(MeterRegistry registry, String kind, int count) {
        Gauge.builder(SHARD_TARGETS, () -> count)
                .description("Targets this shard probes: nodes, entry points, round-trip slots")
                .tag("kind", kind)
                .register(registry);
    }
}
