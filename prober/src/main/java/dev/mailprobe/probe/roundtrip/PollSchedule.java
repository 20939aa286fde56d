package dev.mailprobe.probe.roundtrip;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * When a fetch node is polled for one mail, relative to its 250 after DATA: a few early polls
 * (+10, +25, +50, +100, +200, +400 ms by default) catch the common case within a few ms of the mail
 * becoming visible, then polls back off (x1.5) up to a cap; IMAP IDLE notifications trigger polls in
 * between. One poll looks for every mail pending on that node, so the cost is shared.
 */
final class PollSchedule {
    static final long[] DEFAULT_EARLY_MILLIS = {10, 25, 50, 100, 200, 400};

    private final long[] earlyNanos;
    private final long capNanos;

    PollSchedule(long[] earlyMillis, Duration cap) {
        this.earlyNanos = new long[earlyMillis.length];
        for (int i = 0; i < earlyMillis.length; i++) {
            earlyNanos[i] = TimeUnit.MILLISECONDS.toNanos(earlyMillis[i]);
        }
        this.capNanos = cap.toNanos();
    }

    /** The default early polls; backoff capped at deliveredWithin / 10, within [100 ms, 5 s]. */
    static PollSchedule forDeliveredWithin(Duration deliveredWithin) {
        long cap = Math.max(100, Math.min(5_000, deliveredWithin.toMillis() / 10));
        return new PollSchedule(DEFAULT_EARLY_MILLIS, Duration.ofMillis(cap));
    }

    /** Offset (from the send) of poll {@code index}: the early ones, then x1.5 each, at most the cap apart. */
    long offsetNanos(int index) {
        if (index < earlyNanos.length) {
            return earlyNanos[index];
        }
        long last = earlyNanos.length == 0 ? 0 : earlyNanos[earlyNanos.length - 1];
        long step = Math.max(TimeUnit.MILLISECONDS.toNanos(50), last / 2);
        long offset = last;
        for (int i = earlyNanos.length; i <= index; i++) {
            step = Math.min(capNanos, (long) (step * 1.5));
            offset += step;
        }
        return offset;
    }

    /** The first poll index whose offset is after {@code elapsedNanos}. */
    int nextIndexAfter(long elapsedNanos, int from) {
        int i = from;
        while (offsetNanos(i) <= elapsedNanos) {
            i++;
        }
        return i;
    }
}
