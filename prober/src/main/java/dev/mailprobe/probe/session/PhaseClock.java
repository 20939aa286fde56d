package dev.mailprobe.probe.session;

import dev.mailprobe.probe.Phase;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** Accumulates time per phase on the monotonic clock ({@link System#nanoTime()}). */
public final class PhaseClock {
    private final long start;
    private final EnumMap<Phase, Long> nanos = new EnumMap<>(Phase.class);
    private Phase current;
    private long enteredAt;
    private long stoppedAt = -1;

    public PhaseClock(long startNanos) {
        this.start = startNanos;
        this.enteredAt = startNanos;
    }

    public void enter(Phase phase) {
        long now = System.nanoTime();
        close(now);
        current = phase;
        enteredAt = now;
    }

    public Phase current() {
        return current;
    }

    public void stop() {
        if (stoppedAt < 0) {
            stoppedAt = System.nanoTime();
            close(stoppedAt);
            current = null;
        }
    }

    private void close(long now) {
        if (current != null) {
            nanos.merge(current, now - enteredAt, Long::sum);
        }
    }

    /** Every phase that ran, plus {@link Phase#TOTAL}. Call after {@link #stop()}. */
    public Map<Phase, Duration> durations() {
        EnumMap<Phase, Duration> out = new EnumMap<>(Phase.class);
        nanos.forEach((p, n) -> out.put(p, Duration.ofNanos(n)));
        long end = stoppedAt >= 0 ? stoppedAt : System.nanoTime();
        out.put(Phase.TOTAL, Duration.ofNanos(end - start));
        return out;
    }
}
