package dev.mailprobe.health;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One DOWN period of a node, as stored (table {@code health_down_events}).
 *
 * @param id            store id (0 before the first write)
 * @param node          configured node name
 * @param protocols     the protocols (labels; {@code node} for node-level checks) that were DOWN
 *                      during the event, in the order they went DOWN; grows while the event is open
 * @param start         time of the first failed probe of the failure run that led to DOWN (not the
 *                      time the threshold was crossed: that is {@code detectedAt})
 * @param end           time of the first successful probe of the run that brought the node UP
 *                      again; null while open
 * @param reason        the failure reason label of the first failed probe ({@code refused}, ...)
 * @param evidence      that first failed probe's evidence
 * @param detectedAt    when the threshold was crossed and the event opened
 * @param lastFailureAt the latest failed probe seen during the event
 * @param endEstimated  true when the prober was not running at the end: the node came back at some
 *                      time between {@code lastFailureAt} and {@code end} ({@code note} says more)
 * @param note          a human note (restarts of the prober during the event), or null
 * @param impact        customer impact filled in by the SLO engine (budget consumed per SLO), or null
 */
public record DownEvent(
        long id,
        String node,
        List<String> protocols,
        Instant start,
        Instant end,
        String reason,
        Evidence evidence,
        Instant detectedAt,
        Instant lastFailureAt,
        boolean endEstimated,
        String note,
        JsonObject impact) {

    public DownEvent {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(evidence, "evidence");
        protocols = List.copyOf(protocols);
        if (end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("event of " + node + " ends before it starts: " + start + " > " + end);
        }
    }

    public boolean open() {
        return end == null;
    }

    /** end - start, empty while open. */
    public Optional<Duration> duration() {
        return end == null ? Optional.empty() : Optional.of(Duration.between(start, end));
    }

    /** end - start, or now - start while open (never negative). */
    public Duration durationAt(Instant now) {
        Instant to = end != null ? end : now;
        Duration d = Duration.between(start, to);
        return d.isNegative() ? Duration.ZERO : d;
    }

    DownEvent withId(long newId) {
        return new DownEvent(newId, node, protocols, start, end, reason, evidence, detectedAt, lastFailureAt,
                endEstimated, note, impact);
    }
}
