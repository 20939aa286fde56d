package dev.mailprobe.probe.roundtrip;

import java.time.Duration;
import java.util.Objects;

/** The final result of one round-trip mail; {@link #label()} is the {@code result} metric label. */
public enum Outcome {
    /** Seen on the fetch node within {@code deliveredWithin} of the 250 after DATA. */
    DELIVERED("delivered"),
    /** Seen, but after {@code deliveredWithin}. */
    LATE("late"),
    /** Not seen by {@code lostAfter}. */
    LOST("lost"),
    /** The send node did not accept the mail (no 250 after DATA). */
    SEND_FAILED("send_failed"),
    /** The fetch node could not be used (connect or login failed), so the mail could not be looked for. */
    FETCH_FAILED("fetch_failed");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether a mail seen {@code latency} after it was accepted counts as delivered or late. */
    public static Outcome ofSeen(Duration latency, Duration deliveredWithin) {
        Objects.requireNonNull(latency, "latency");
        return latency.compareTo(deliveredWithin) <= 0 ? DELIVERED : LATE;
    }

    @Override
    public String toString() {
        return label;
    }
}
