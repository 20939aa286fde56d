package dev.mailprobe.metrics;

import dev.mailprobe.health.DownEvent;
import dev.mailprobe.health.HealthEngine;
import dev.mailprobe.probe.FailureReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node-health metrics of DESIGN.md, read from the {@link HealthEngine}:
 * {@code mailprobe_node_up{node}}, {@code mailprobe_node_down_events_total{node,reason}} and
 * {@code mailprobe_node_downtime_seconds_total{node}}. Every series of every configured node and
 * every known reason is created here, before the first failure.
 */
public final class HealthMetrics implements HealthEngine.Listener {
    static final String NODE_UP = "mailprobe.node.up";
    static final String NODE_DOWN_EVENTS = "mailprobe.node.down.events";
    static final String NODE_DOWNTIME = "mailprobe.node.downtime";

    /** Round-trip reason a future node-level feed may open an event with. */
    public static final String LOST = "lost";

    /** Every reason label a DOWN event can carry: the session-probe failure reasons, plus {@code lost}. */
    public static final List<String> REASONS;

    static {
        List<String> reasons = new ArrayList<>();
        for (FailureReason r : FailureReason.values()) {
            reasons.add(r.label());
        }
        reasons.add(LOST);
        REASONS = List.copyOf(reasons);
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> downEvents = new ConcurrentHashMap<>();

    /** Registers every series and subscribes to {@code engine}'s events. */
    public HealthMetrics(MeterRegistry registry, HealthEngine engine) {
        this.registry = registry;
        for (String node : engine.nodes()) {
            Gauge.builder(NODE_UP, engine, e -> e.up(node))
                    .description("1 when the node is up (or suspect), 0 while it is DOWN, from the node state machine")
                    .tag("node", node)
                    .strongReference(true)
                    .register(registry);
            for (String reason : REASONS) {
                downEvents.put(key(node, reason), counter(node, reason));
            }
            FunctionCounter.builder(NODE_DOWNTIME, engine, e -> e.downtimeSeconds(node))
                    .description("Seconds the node has been DOWN (counts up while a DOWN event is open)")
                    .baseUnit("seconds")
                    .tag("node", node)
                    .register(registry);
        }
        engine.addListener(this);
    }

    @Override
    public void opened(DownEvent event) {
        // a reason outside the fixed set still counts (its series appears at the first such event)
        downEvents.computeIfAbsent(key(event.node(), event.reason()), k -> counter(event.node(), event.reason()))
                .increment();
    }

    private Counter counter(String node, String reason) {
        return Counter.builder(NODE_DOWN_EVENTS)
                .description("DOWN events of the node, by the reason of their first failed probe")
                .tags("node", node, "reason", reason)
                .register(registry);
    }

    private static String key(String node, String reason) {
        return node + '\u0000' + reason;
    }
}
