package dev.mailprobe.report;

import dev.mailprobe.health.pattern.PatternReport;
import dev.mailprobe.health.pattern.ReliabilityStats;
import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code report --format text}: the same as the JSON, for a person. */
public final class CrashReportText {
    private CrashReportText() {}

    public static String render(CrashReport r) {
        StringBuilder b = new StringBuilder();
        b.append("mailprobe report, ").append(r.since()).append(" .. ").append(r.now()).append("\n\n");
        b.append(String.format(Locale.ROOT, "%-12s %6s %12s %12s %12s%n", "node", "downs", "downtime", "MTBF", "MTTR"));
        for (ReliabilityStats.NodeStats n : r.reliability().nodes()) {
            b.append(String.format(Locale.ROOT, "%-12s %6d %12s %12s %12s%n", n.node(), n.downEvents(),
                    PatternReport.duration(n.downtimeSeconds()), orDash(n.mtbfSeconds()), orDash(n.mttrSeconds())));
        }
        ReliabilityStats.NodeStats all = r.reliability().overall();
        b.append(String.format(Locale.ROOT, "%-12s %6d %12s %12s %12s%n", "all nodes", all.downEvents(),
                PatternReport.duration(all.downtimeSeconds()), orDash(all.mtbfSeconds()), orDash(all.mttrSeconds())));

        b.append("\nDOWN events (newest first)\n");
        if (r.events().isEmpty()) {
            b.append("  none\n");
        }
        for (CrashReport.Event e : r.events()) {
            String duration = e.end() == null ? "still down" : PatternReport.duration((double) Duration.between(e.start(), e.end()).toSeconds());
            String impact = e.absorbed() == null ? "impact unknown (older than the SLO window)"
                    : e.absorbed() ? "absorbed: no budget burned"
                    : "burned " + e.budgetConsumed().entrySet().stream().filter(x -> x.getValue() > 0)
                            .map(x -> String.format(Locale.ROOT, "%.2f%% of the %s budget", x.getValue() * 100, x.getKey()))
                            .collect(Collectors.joining(", "));
            b.append(String.format(Locale.ROOT, "  %s  %-8s %-10s %-10s %s [%s]%n", e.start(), e.node(), duration, e.reason(), impact,
                    String.join(",", e.protocols())));
        }
        b.append("\nCrash pattern\n  ").append(r.pattern().describe().replace("\n", "\n  ")).append('\n');
        return b.toString();
    }

    private static String orDash(Double seconds) {
        return seconds == null ? "-" : PatternReport.duration(seconds);
    }
}
