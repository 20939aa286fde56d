package dev.mailprobe.http;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.ProbeResult;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recent session-probe results of every target and protocol, fed from the result bus, so the
 * status page can give an entry point (or node) a state from its recent results rather than from
 * its last probe alone: behind round-robin, one dead node of two makes every other probe fail, and
 * the last probe says "up" half of the time.
 *
 * <p>State over the results of the last {@link #WINDOW} (at most {@link #MAX_KEPT} per target and
 * protocol, the newest always kept):
 * <ul>
 *   <li>{@code down}: the newest {@link #DOWN_AFTER} results all failed (all of them, when fewer);</li>
 *   <li>{@code degraded}: not down, and at least one result in the window failed;</li>
 *   <li>{@code up}: no result in the window failed.</li>
 * </ul>
 * Thread-safe: recorded on the bus consumer, read by HTTP handlers.
 */
public final class RecentResults {
    /** How far back results count for the state. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Newest results that must all have failed for {@code down}. */
    public static final int DOWN_AFTER = 3;
    /** Bound on the results kept per target and protocol. */
    static final int MAX_KEPT = 120;

    /** A target's state from its recent results. */
    public enum State {
        UP("up"), DEGRADED("degraded"), DOWN("down");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param total        results in the window
     * @param failed       failed results among them
     * @param since        the oldest result in the window
     * @param lastFailure  the newest failed result's time, or null
     * @param lastReason   the newest failed result's reason label, or null
     */
    public record Summary(State state, int total, int failed, Instant since, Instant lastFailure, String lastReason) {
        public JsonObject toJson() {
            return new JsonObject()
                    .put("state", state.label())
                    .put("results", total)
                    .put("failed", failed)
                    .put("since", since.toString())
                    .put("windowSeconds", WINDOW.toSeconds())
                    .put("lastFailureAt", lastFailure == null ? null : lastFailure.toString())
                    .put("lastFailureReason", lastReason);
        }
    }

    private record Seen(Instant at, boolean success, String result) {}

    private final Map<String, Map<Protocol, ArrayDeque<Seen>>> recent = new ConcurrentHashMap<>();

    public void record(ProbeResult r) {
        ArrayDeque<Seen> q = recent.computeIfAbsent(r.target(), t -> new ConcurrentHashMap<>())
                .computeIfAbsent(r.protocol(), p -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(new Seen(r.startedAt(), r.success(), r.resultLabel()));
            while (q.size() > MAX_KEPT) {
                q.removeFirst();
            }
        }
    }

    /** The state of {@code target}'s {@code protocol} at {@code now}; empty before its first result. */
    public Optional<Summary> summary(String target, Protocol protocol, Instant now) {
        ArrayDeque<Seen> q = recent.getOrDefault(target, Map.of()).get(protocol);
        if (q == null) {
            return Optional.empty();
        }
        synchronized (q) {
            Instant from = now.minus(WINDOW);
            while (q.size() > 1 && q.peekFirst().at().isBefore(from)) {
                q.removeFirst();
            }
            if (q.isEmpty()) {
                return Optional.empty();
            }
            int total = q.size();
            int failed = 0;
            Seen lastFailure = null;
            for (Seen s : q) {
                if (!s.success()) {
                    failed++;
                    lastFailure = s;
                }
            }
            int newestFailed = 0;
            Iterator<Seen> newestFirst = q.descendingIterator();
            while (newestFirst.hasNext() && newestFailed < DOWN_AFTER && !newestFirst.next().success()) {
                newestFailed++;
            }
            State state = newestFailed >= Math.min(DOWN_AFTER, total) ? State.DOWN
                    : failed > 0 ? State.DEGRADED : State.UP;
            return Optional.of(new Summary(state, total, failed, q.peekFirst().at(),
                    lastFailure == null ? null : lastFailure.at(), lastFailure == null ? null : lastFailure.result()));
        }
    }

    /** The worst state of several (down over degraded over up); empty when none is known. */
    public static Optional<State> worst(Iterable<Summary> summaries) {
        State worst = null;
        for (Summary s : summaries) {
            if (worst == null || s.state().ordinal() > worst.ordinal()) {
                worst = s.state();
            }
        }
        return Optional.ofNullable(worst);
    }
}
