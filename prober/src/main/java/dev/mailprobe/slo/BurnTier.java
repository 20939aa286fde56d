package dev.mailprobe.slo;

import dev.mailprobe.config.AlertingSettings;
import dev.mailprobe.config.SloSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One tier of the multi-window, multi-burn-rate alerts of the SRE workbook (chapter 5, "Alerting
 * on SLOs", table 5-8): it fires when a {@link #budgetFraction} of the period's error budget is
 * spent within the {@link #longWindow}, confirmed over the {@link #shortWindow} (1/12 of it) so
 * that it stops soon after the problem does.
 *
 * <p>The burn-rate threshold is {@code budgetFraction × period / longWindow}: for the default 30 d
 * period exactly the workbook's 14.4, 6, 3 and 1; for 28 d Sloth's 13.44, 5.6, 2.8 (and 1, see
 * below). Two rules keep it meaningful for other periods:
 * <ul>
 *   <li>a tier whose long window is longer than the period does not apply (its window would count
 *       events outside the budget it burns; {@link SloWindow#of} drops those windows too);</li>
 *   <li>the threshold is never below 1: a burn rate under 1 cannot spend the budget within the
 *       period, so alerting on it says nothing (a 1 h period's fastest tier pages at 1x, not 0.02x).</li>
 * </ul>
 *
 * @param name           {@code page-1h} ..., the {@code burnrate_tier} label; one of {@link AlertingSettings#TIERS}
 * @param page           true for page tiers ({@code severity="critical"}), false for ticket tiers
 * @param budgetFraction the share of the period's budget the tier is about (0.02, 0.05, 0.10, 0.10)
 */
public record BurnTier(String name, boolean page, BigDecimal budgetFraction, Duration longWindow, Duration shortWindow) {

    /** The four tiers, fastest first. */
    public static final List<BurnTier> ALL = List.of(
            new BurnTier("page-1h", true, new BigDecimal("0.02"), Duration.ofHours(1), Duration.ofMinutes(5)),
            new BurnTier("page-6h", true, new BigDecimal("0.05"), Duration.ofHours(6), Duration.ofMinutes(30)),
            new BurnTier("ticket-1d", false, new BigDecimal("0.10"), Duration.ofDays(1), Duration.ofHours(2)),
            new BurnTier("ticket-3d", false, new BigDecimal("0.10"), Duration.ofDays(3), Duration.ofHours(6)));

    static {
        if (!ALL.stream().map(BurnTier::name).toList().equals(AlertingSettings.TIERS)) {
            throw new IllegalStateException("tier names differ from AlertingSettings.TIERS");
        }
    }

    /** The tiers that apply to an SLO with this period (long window not longer than it), fastest first. */
    public static List<BurnTier> of(Duration period) {
        return ALL.stream().filter(t -> t.applies(period)).toList();
    }

    public boolean applies(Duration period) {
        return longWindow.compareTo(period) <= 0;
    }

    /** {@code page} or {@code ticket} (the {@code sloth_severity} label). */
    public String severity() {
        return page ? "page" : "ticket";
    }

    /** {@code critical} or {@code warning} (the {@code severity} label). */
    public String alertSeverity() {
        return page ? "critical" : "warning";
    }

    /**
     * The burn-rate threshold for an SLO of this period: {@code max(1, budgetFraction × period /
     * longWindow)}, exact for whole ratios (14.4 for 30 d) and rounded to 4 decimals otherwise.
     */
    public BigDecimal factor(Duration period) {
        BigDecimal ratio = BigDecimal.valueOf(period.toSeconds())
                .divide(BigDecimal.valueOf(longWindow.toSeconds()), MathContext.DECIMAL64);
        BigDecimal f = budgetFraction.multiply(ratio).setScale(4, RoundingMode.HALF_UP).stripTrailingZeros();
        return f.compareTo(BigDecimal.ONE) < 0 ? BigDecimal.ONE : f;
    }

    /** The error budget {@code 1 - objective} as an exact decimal (0.001 for 0.999). */
    public static BigDecimal errorBudget(double objective) {
        return BigDecimal.ONE.subtract(BigDecimal.valueOf(objective)).stripTrailingZeros();
    }

    /**
     * The fewest events in the long window at which one failure alone stays at or below the
     * threshold: {@code ceil(1 / (factor × (1 - objective)))} (70 for the 1 h tier at 99.9 % over
     * 30 d). With that many events or more, a single lost mail cannot fire the tier.
     */
    public long defaultMinEvents(SloSpec spec) {
        BigDecimal denominator = factor(spec.window()).multiply(errorBudget(spec.objective()));
        return BigDecimal.ONE.divide(denominator, 0, RoundingMode.CEILING).longValueExact();
    }

    /**
     * The minimum-events guard of this tier for {@code spec}: the SLO's own {@code minEvents},
     * else {@code alerting.minEvents}, else {@link #defaultMinEvents}.
     */
    public long minEvents(SloSpec spec, Map<String, Integer> global) {
        Integer own = spec.minEvents().get(name);
        if (own != null) {
            return own;
        }
        Integer all = global.get(name);
        return all != null ? all : defaultMinEvents(spec);
    }

    /**
     * The burn rate one failed event causes in a window of {@code events} events:
     * {@code 1 / (events × (1 - objective))}; infinite for no events.
     */
    public static double oneFailureBurn(double events, double objective) {
        return events <= 0 ? Double.POSITIVE_INFINITY : 1.0 / (events * errorBudget(objective).doubleValue());
    }

    /**
     * Whether a single failure fires this tier at a steady rate of {@code eventsPerHour}: its burn
     * rate in both windows exceeds the threshold and the long window holds at least the guard's
     * events. (The short window has fewer events than the long one, so the long one decides.)
     */
    public boolean oneFailureFires(SloSpec spec, double eventsPerHour, long minEvents) {
        double inLong = eventsIn(longWindow, eventsPerHour);
        return inLong >= minEvents && inLong > 0
                && oneFailureBurn(inLong, spec.objective()) > factor(spec.window()).doubleValue();
    }

    /** Events a window of {@code window} holds at a steady {@code eventsPerHour}. */
    public static double eventsIn(Duration window, double eventsPerHour) {
        return eventsPerHour * window.toSeconds() / 3600.0;
    }
}
