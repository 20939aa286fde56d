package dev.mailprobe.slo;

import dev.mailprobe.config.Durations;
import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.roundtrip.RoundTripPlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The SLI events a config produces per hour when every probe runs on time, per SLO: the same
 * choice {@link SliClassifier} makes, computed from the schedule instead of counted. {@code access}
 * is one event per IMAP or POP3 probe of an entry point, {@code submission} one per submission
 * probe of an entry point, {@code delivery} one per round trip on a customer path (entry point to
 * entry point, {@link RoundTripPlan#customerPaths()}) per {@code roundTrip.interval}. A sick node's
 * backoff (up to 4x the interval) lowers the rate while it lasts; that is not counted here.
 */
public final class ExpectedTraffic {
    private ExpectedTraffic() {}

    /** Events per hour of one SLO, and where they come from (for a person). */
    public record Rate(String slo, double eventsPerHour, List<String> sources) {}

    public static Rate of(MailprobeConfig config, String slo) {
        List<String> sources = new ArrayList<>();
        double perHour = 0;
        switch (slo) {
            case SliEvent.ACCESS, SliEvent.SUBMISSION -> {
                for (EntryPoint ep : config.entryPoints()) {
                    for (Endpoint e : ep.protocols().values()) {
                        if (sloOf(e.protocol()).equals(slo)) {
                            double rate = perHour(e.settings().interval());
                            perHour += rate;
                            sources.add(ep.name() + " " + e.protocol().label() + " every "
                                    + Durations.format(e.settings().interval()));
                        }
                    }
                }
            }
            case SliEvent.DELIVERY -> {
                if (config.roundTrip() != null) {
                    int paths = new RoundTripPlan(config).customerPaths().size();
                    if (paths > 0) {
                        perHour = paths * perHour(config.roundTrip().interval());
                        sources.add(paths + (paths == 1 ? " customer path" : " customer paths")
                                + ", a round trip every " + Durations.format(config.roundTrip().interval()));
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown SLO " + slo);
        }
        return new Rate(slo, perHour, List.copyOf(sources));
    }

    /** The SLO an entry-point probe of {@code protocol} feeds, or "" for none (smtp). */
    static String sloOf(Protocol protocol) {
        return switch (protocol) {
            case IMAP, POP3 -> SliEvent.ACCESS;
            case SUBMISSION -> SliEvent.SUBMISSION;
            case SMTP -> "";
        };
    }

    private static double perHour(Duration interval) {
        return 3_600_000.0 / interval.toMillis();
    }
}
