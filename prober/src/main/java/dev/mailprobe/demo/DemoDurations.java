package dev.mailprobe.demo;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The config's duration syntax ({@code 800ms}, {@code 3s}, {@code 1m}) for the fault API. */
final class DemoDurations {
    private static final Pattern P = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private DemoDurations() {}

    /** @throws IllegalArgumentException naming the bad value */
    static Duration parse(String text) {
        Matcher m = text == null ? null : P.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 800ms, 3s or 1m");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }

    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms > 0) {
            return (ms / 60_000) + "m";
        }
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }
}
