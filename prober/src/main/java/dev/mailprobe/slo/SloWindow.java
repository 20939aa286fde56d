package dev.mailprobe.slo;

import dev.mailprobe.config.SloSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation window of an SLO: the fixed multi-window multi-burn-rate windows (5m, 30m, 1h,
 * 2h, 6h, 1d, 3d) shorter than the period, or the SLO's full period ({@code 30d} by default,
 * {@code 28d} option, at least {@code 1h}, e.g. the demo's {@code 1h}).
 *
 * @param label  the {@code window} metric label and the suffix of {@code slo:sli_error:ratio_rate<label>}
 * @param length a whole number of minutes
 * @param period true for the SLO's full period
 */
public record SloWindow(String label, Duration length, boolean period) {
    /** The fixed burn-rate windows of the SRE workbook alerts, shortest first. */
    public static final List<Duration> BURN_WINDOWS = List.of(
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2),
            Duration.ofHours(6), Duration.ofDays(1), Duration.ofDays(3));

    public SloWindow {
        if (length.isNegative() || length.isZero() || length.toSeconds() % 60 != 0) {
            throw new IllegalArgumentException("an SLO window must be a positive whole number of minutes: " + length);
        }
    }

    /** Number of one-minute slices in this window. */
    public int slices() {
        return Math.toIntExact(length.toMinutes());
    }

    /**
     * The windows of {@code spec}, shortest first; the period is last. A fixed window with the
     * period's label is dropped, and so is every fixed window longer than the period: with a short
     * period (a demo's {@code 1h}) a 3d burn rate would count events outside the budget it burns.
     */
    public static List<SloWindow> of(SloSpec spec) {
        String periodLabel = label(spec.window());
        List<SloWindow> windows = new ArrayList<>();
        for (Duration d : BURN_WINDOWS) {
            if (!label(d).equals(periodLabel) && d.compareTo(spec.window()) < 0) {
                windows.add(new SloWindow(label(d), d, false));
            }
        }
        windows.add(new SloWindow(periodLabel, spec.window(), true));
        windows.sort((a, b) -> a.length.compareTo(b.length));
        return List.copyOf(windows);
    }

    /** {@code 5m}, {@code 2h}, {@code 30d}: the largest unit that divides the duration exactly. */
    public static String label(Duration d) {
        long s = d.toSeconds();
        if (s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s % 3_600 == 0) {
            return s / 3_600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
