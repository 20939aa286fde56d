package dev.mailprobe.report;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.SloSpec;
import dev.mailprobe.health.DownEvent;
import dev.mailprobe.health.pattern.Outage;
import dev.mailprobe.health.pattern.PatternReport;
import dev.mailprobe.health.pattern.ReliabilityStats;
import dev.mailprobe.slo.BudgetImpact;
import dev.mailprobe.slo.SloEngine;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Joins the stored DOWN events, the SLO slices and the pattern analysis into a {@link CrashReport}. */
public final class CrashReportBuilder {
    private CrashReportBuilder() {}

    /** @param events DOWN events that overlap [since, now] */
    public static CrashReport build(MailprobeConfig config, List<DownEvent> events, SloEngine slo, Instant since, Instant now) {
        List<DownEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(DownEvent::start).reversed());

        List<Outage> outages = sorted.stream().map(e -> new Outage(e.node(), e.start(), e.end(), e.reason())).toList();
        List<String> nodes = new ArrayList<>(config.nodes().stream().map(Node::name).toList());
        sorted.stream().map(DownEvent::node).filter(n -> !nodes.contains(n)).distinct().forEach(nodes::add);
        ReliabilityStats reliability = ReliabilityStats.compute(outages, nodes, since, now);

        List<CrashReport.Event> lines = new ArrayList<>();
        for (DownEvent e : sorted) {
            lines.add(impact(e, config.slos(), slo, now));
        }
        List<Instant> onsets = sorted.stream().map(DownEvent::start).filter(t -> !t.isBefore(since)).toList();
        PatternReport pattern = PatternReport.analyze(onsets, CronJobs.of(config.knownJobs()), ZoneOffset.UTC);
        return new CrashReport(since, now, reliability, lines, pattern);
    }

    private static CrashReport.Event impact(DownEvent e, List<SloSpec> slos, SloEngine slo, Instant now) {
        Map<String, Double> consumed = new LinkedHashMap<>();
        boolean complete = true;
        long bad = 0;
        for (SloSpec spec : slos) {
            BudgetImpact impact = slo.impactBetween(spec.name(), e.node(), e.start(), e.end() != null ? e.end() : now, now);
            consumed.put(spec.name(), impact.budgetConsumed());
            complete &= impact.complete();
            bad += impact.bad();
        }
        Boolean absorbed = bad > 0 ? Boolean.FALSE : complete ? Boolean.TRUE : null;
        return new CrashReport.Event(e.id(), e.node(), e.start(), e.end(), e.reason(), e.protocols(), absorbed, consumed, bad);
    }
}
