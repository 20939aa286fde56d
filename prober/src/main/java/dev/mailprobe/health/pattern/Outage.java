package dev.mailprobe.health.pattern;

import java.time.Instant;
import java.util.Objects;

/**
 * One DOWN period of a node: from {@code start} until {@code end}, or still open when {@code end} is null.
 *
 * @param node   configured node name
 * @param start  when the node was declared down (the crash onset)
 * @param end    when it was declared up again; null while still down
 * @param reason failure reason as recorded (free text, e.g. {@code refused}); may be null
 */
public record Outage(String node, Instant start, Instant end, String reason) {
    public Outage {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(start, "start");
        if (end != null && end.isBefore(start)) {
            throw new IllegalArgumentException("outage of " + node + " ends before it starts: " + start + " > " + end);
        }
    }

    /** True when the outage had ended at or before {@code now}. */
    public boolean closedAt(Instant now) {
        return end != null && !end.isAfter(now);
    }
}
