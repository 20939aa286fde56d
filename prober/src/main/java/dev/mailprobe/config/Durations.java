package dev.mailprobe.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in the config: one or more {@code <integer><unit>} parts with units
 * {@code ms s m h d}, largest unit first, e.g. {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 1h30m}, {@code 7d} (Prometheus style, without weeks and years). No sign, no spaces,
 * no fractions.
 */
public final class Durations {
    /** The hint every "not a duration" message ends with. */
    public static final String HINT = "use e.g. 500ms, 30s, 5m, 1h, 7d";

    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");
    private static final String[] UNITS = {"d", "h", "m", "s", "ms"};
    private static final long[] UNIT_MILLIS = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};

    private Durations() {}

    /** The duration {@code text} denotes, or empty if it is not a duration (or too large). */
    public static Optional<Duration> tryParse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        Matcher m = PART.matcher(text);
        long millis = 0;
        int lastUnit = -1;
        try {
            while (m.find()) {
                int unit = unitIndex(m.group(2));
                if (unit <= lastUnit) {
                    return Optional.empty(); // units must go from largest to smallest, once each
                }
                lastUnit = unit;
                millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(m.group(1)), UNIT_MILLIS[unit]));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(millis));
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message like
     *     {@code "10 seconds" is not a duration (use e.g. 500ms, 30s, 5m, 1h, 7d)}
     */
    public static Duration parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(notADuration(text)));
    }

    static String notADuration(String text) {
        return "\"" + text + "\" is not a duration (" + HINT + ")";
    }

    /**
     * The shortest config form of {@code d}, rounded to the millisecond: {@code 1m} for 60 s,
     * {@code 1h30m}, {@code 500ms}, {@code 0s}. Negative durations get a leading {@code -}.
     * {@code parse(format(d))} gives back {@code d} for non-negative whole milliseconds.
     */
    public static String format(Duration d) {
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        long millis = d.toMillis() + (d.toNanosPart() % 1_000_000 >= 500_000 ? 1 : 0);
        if (millis == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < UNITS.length; i++) {
            long n = millis / UNIT_MILLIS[i];
            if (n > 0) {
                sb.append(n).append(UNITS[i]);
                millis -= n * UNIT_MILLIS[i];
            }
        }
        return sb.toString();
    }

    private static int unitIndex(String unit) {
        for (int i = 0; i < UNITS.length; i++) {
            if (UNITS[i].equals(unit)) {
                return i;
            }
        }
        throw new IllegalArgumentException(unit);
    }
}
