package dev.mailprobe.slo;

import dev.mailprobe.config.SloSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The state of every SLO at one instant, computed by {@link SloEngine#snapshot(Instant)}. Immutable.
 *
 * @param at         the instant the windows end at
 * @param minEvents  below this many events in a window its burn rate is not meaningful
 * @param slos       in configuration order
 */
public record SloSnapshot(Instant at, int minEvents, List<SloStatus> slos) {
    public SloSnapshot {
        slos = List.copyOf(slos);
    }

    public Optional<SloStatus> slo(String name) {
        return slos.stream().filter(s -> s.spec().name().equals(name)).findFirst();
    }

    /**
     * One SLO.
     *
     * @param windows        every window, shortest first, the period last
     * @param consumedByNode per node that has events in the period: its bad events over the period
     *                       divided by (all events of the period x (1 - objective)); the values sum
     *                       to {@link #consumed()}. Sorted by node name.
     */
    public record SloStatus(SloSpec spec, List<WindowStats> windows, Map<String, Double> consumedByNode) {
        public SloStatus {
            windows = List.copyOf(windows);
            consumedByNode = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(consumedByNode));
        }

        public String name() {
            return spec.name();
        }

        public double errorBudget() {
            return 1 - spec.objective();
        }

        public WindowStats window(String label) {
            return windows.stream().filter(w -> w.window().label().equals(label)).findFirst()
                    .orElseThrow(() -> new NoSuchElementException("no window " + label + " in SLO " + spec.name()));
        }

        /** The full period (30d or 28d). */
        public WindowStats period() {
            return windows.stream().filter(w -> w.window().period()).findFirst().orElseThrow();
        }

        /**
         * Share of the period's error budget spent: bad / (total x (1 - objective)); equals the
         * period burn rate. 0 with no traffic (no event has failed). May exceed 1 (overspent).
         */
        public double consumed() {
            WindowStats p = period();
            return p.total() == 0 ? 0.0 : p.bad() / (p.total() * errorBudget());
        }

        /** 1 - {@link #consumed()}: 1 with no traffic, negative when the budget is overspent. */
        public double remainingBudget() {
            return 1.0 - consumed();
        }
    }

    /**
     * One window of one SLO.
     *
     * @param errorRatio bad / (good + bad); NaN with no events
     * @param burnRate   errorRatio / (1 - objective); NaN with no events. Computed even when not
     *                   meaningful: use {@link #burnRateIfMeaningful()} for display and metrics.
     * @param meaningful at least {@link SloSnapshot#minEvents()} events in the window
     */
    public record WindowStats(SloWindow window, long good, long bad, double errorRatio, double burnRate, boolean meaningful) {
        public long total() {
            return good + bad;
        }

        /** The burn rate, or NaN when the window has too few events to mean anything. */
        public double burnRateIfMeaningful() {
            return meaningful ? burnRate : Double.NaN;
        }
    }
}
