package dev.mailprobe.slo;

import dev.mailprobe.config.SloSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The SLO metrics of DESIGN.md, all created at construction for every configured SLO, window and
 * node (plus {@code unknown}):
 * <pre>
 * mailprobe_slo_burn_rate{slo,window}                  NaN when the window has too few events
 * mailprobe_slo_error_budget_remaining_ratio{slo}
 * mailprobe_slo_error_budget_consumed_ratio{slo,node}  sums to 1 - remaining
 * mailprobe_sli_events_total{slo,result,node}          result good|bad; the Prometheus rules use these
 * </pre>
 * The counters are incremented by a listener on the engine, so every event the engine counts is
 * counted here too. The gauges read a snapshot that is recomputed at most every {@code refresh}.
 * A node first seen in an event gets its series then.
 */
public final class SloMetrics {
    static final String BURN_RATE = "mailprobe.slo.burn.rate";
    static final String BUDGET_REMAINING = "mailprobe.slo.error.budget.remaining.ratio";
    static final String BUDGET_CONSUMED = "mailprobe.slo.error.budget.consumed.ratio";
    static final String SLI_EVENTS = "mailprobe.sli.events";
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);

    private final MeterRegistry registry;
    private final SloEngine engine;
    private final Clock clock;
    private final Duration refresh;
    private final Map<String, Counter[]> counters = new HashMap<>();
    private SloSnapshot latest;
    private Instant latestAt;

    public SloMetrics(MeterRegistry registry, SloEngine engine, Collection<String> nodes, Clock clock, Duration refresh) {
        this.registry = registry;
        this.engine = engine;
        this.clock = clock;
        this.refresh = refresh;
        Set<String> all = new LinkedHashSet<>(nodes);
        all.add(SliEvent.UNKNOWN_NODE);
        for (SloSpec spec : engine.specs()) {
            String slo = spec.name();
            for (SloWindow window : SloWindow.of(spec)) {
                String label = window.label();
                gauge(BURN_RATE, "In-process burn rate of the SLO over the window: error ratio / (1 - objective); NaN below "
                                + engine.minEvents() + " events",
                        s -> s.slo(slo).map(st -> st.window(label).burnRateIfMeaningful()).orElse(Double.NaN),
                        "slo", slo, "window", label);
            }
            gauge(BUDGET_REMAINING, "Share of the SLO period's error budget left (request-weighted); 1 with no traffic",
                    s -> s.slo(slo).map(SloSnapshot.SloStatus::remainingBudget).orElse(Double.NaN), "slo", slo);
            for (String node : all) {
                registerNode(slo, node);
            }
        }
        engine.addListener(this::count);
    }

    public SloMetrics(MeterRegistry registry, SloEngine engine, Collection<String> nodes) {
        this(registry, engine, nodes, Clock.systemUTC(), DEFAULT_REFRESH);
    }

    private synchronized Counter[] registerNode(String slo, String node) {
        return counters.computeIfAbsent(slo + '\u0000' + node, k -> {
            gauge(BUDGET_CONSUMED, "Share of the SLO period's error budget consumed by this node's bad events; sums to 1 - remaining",
                    s -> s.slo(slo).map(st -> st.consumedByNode().getOrDefault(node, 0.0)).orElse(Double.NaN),
                    "slo", slo, "node", node);
            return new Counter[] {counter(slo, "good", node), counter(slo, "bad", node)};
        });
    }

    private Counter counter(String slo, String result, String node) {
        return Counter.builder(SLI_EVENTS)
                .description("SLI events on the customer path by SLO, result (good|bad) and the node that served them")
                .tags("slo", slo, "result", result, "node", node)
                .register(registry);
    }

    private void gauge(String name, String description, ToDoubleFunction<SloSnapshot> value, String... tags) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.current()))
                .description(description)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    private void count(SliEvent event) {
        registerNode(event.slo(), event.node())[event.good() ? 0 : 1].increment();
    }

    /** The snapshot the gauges show, recomputed when older than the refresh interval. */
    public synchronized SloSnapshot current() {
        Instant now = clock.instant();
        if (latest == null || !now.isBefore(latestAt.plus(refresh)) || now.isBefore(latestAt)) {
            latest = engine.snapshot(now);
            latestAt = now;
        }
        return latest;
    }
}
