package dev.mailprobe.slo;

import dev.mailprobe.config.Durations;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.SloSpec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the burn-rate alerts of a config can and cannot see at its probe rate: for each SLO the
 * events per hour it expects ({@link ExpectedTraffic}), and for each tier how many events its
 * long window holds, what one failure burns there ({@link BurnTier#oneFailureBurn}), the guard,
 * and what follows. Pure logic; {@code check-config} prints it.
 *
 * <p>Warnings (what {@code check-config --strict} fails on): a single failure fires a tier (the
 * guard lets it through: a lone lost mail pages), and an SLO that expects no events at all (its
 * alerts can never fire).
 */
public final class LowTraffic {
    private LowTraffic() {}

    /** One tier of one SLO at the config's probe rate. */
    public record TierLine(BurnTier tier, String threshold, double eventsInLong, double oneFailureBurn,
                           long minEvents, boolean oneFailureFires, boolean guarded) {}

    /** One SLO: its rate, its tiers, and the warnings about it. */
    public record SloLines(SloSpec spec, String path, ExpectedTraffic.Rate rate, List<TierLine> tiers,
                           List<String> warnings) {}

    public static List<SloLines> of(MailprobeConfig config) {
        List<SloLines> result = new ArrayList<>();
        for (int i = 0; i < config.slos().size(); i++) {
            SloSpec spec = config.slos().get(i);
            String path = "slos[" + i + "] (" + spec.name() + ")";
            ExpectedTraffic.Rate rate = ExpectedTraffic.of(config, spec.name());
            List<TierLine> tiers = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            if (rate.eventsPerHour() == 0) {
                warnings.add(path + ": no SLI events expected ("
                        + (spec.name().equals(SliEvent.DELIVERY) ? "no roundTrip, or no customer path between entry points"
                        : "no entry point offers " + (spec.name().equals(SliEvent.ACCESS) ? "imap or pop3" : "submission"))
                        + "): its alerts can never fire");
            }
            for (BurnTier tier : BurnTier.of(spec.window())) {
                long guard = tier.minEvents(spec, config.alerting().minEvents());
                double inLong = BurnTier.eventsIn(tier.longWindow(), rate.eventsPerHour());
                double burn = BurnTier.oneFailureBurn(inLong, spec.objective());
                boolean fires = tier.oneFailureFires(spec, rate.eventsPerHour(), guard);
                boolean guarded = inLong > 0 && inLong < guard;
                BigDecimal factor = tier.factor(spec.window());
                tiers.add(new TierLine(tier, factor.toPlainString(), inLong, burn, guard, fires, guarded));
                if (fires) {
                    warnings.add(path + ": one failure fires " + tier.name() + " (" + tier.severity() + "): "
                            + number(inLong) + " events in " + Durations.format(tier.longWindow()) + ", one failure burns "
                            + number(burn) + "x > " + factor.toPlainString() + "x, and the guard (minEvents " + guard
                            + ") lets it through; probe more often, or raise " + tier.name() + " in minEvents to at least "
                            + tier.defaultMinEvents(spec));
                }
            }
            result.add(new SloLines(spec, path, rate, List.copyOf(tiers), List.copyOf(warnings)));
        }
        return List.copyOf(result);
    }

    /** Every warning of {@code lines}. */
    public static List<String> warnings(List<SloLines> lines) {
        return lines.stream().flatMap(l -> l.warnings().stream()).toList();
    }

    /** 3 significant digits, no exponent: 16.7, 0.694, 1440. */
    public static String number(double v) {
        if (Double.isInfinite(v)) {
            return "inf";
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return new BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }
}
