package dev.mailprobe.schedule;

/**
 * Slows probing of a sick target so the observer does not add to an outage: the interval doubles
 * with consecutive failures (1x, then 2x after two failures, 4x from three on) and resets on the
 * first success. One failure alone changes nothing: it may be a blip, and the health state
 * machine needs a second sample soon.
 */
public final class Backoff {
    public static final int MAX_FACTOR = 4;

    private int consecutiveFailures;

    public void record(boolean success) {
        consecutiveFailures = success ? 0 : consecutiveFailures + 1;
    }

    public int factor() {
        if (consecutiveFailures < 2) {
            return 1;
        }
        return consecutiveFailures == 2 ? 2 : MAX_FACTOR;
    }
}
