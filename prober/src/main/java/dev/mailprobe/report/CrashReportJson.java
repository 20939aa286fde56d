package dev.mailprobe.report;

import dev.mailprobe.health.pattern.KnownJobAlignment;
import dev.mailprobe.health.pattern.PeriodicitySearch;
import dev.mailprobe.health.pattern.ReliabilityStats;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The {@code report --format json} contract of DESIGN.md: nodes, events, pattern, knownJobs. */
public final class CrashReportJson {
    private CrashReportJson() {}

    public static JsonObject toJson(CrashReport r) {
        JsonArray nodes = new JsonArray();
        for (ReliabilityStats.NodeStats n : r.reliability().nodes()) {
            nodes.add(new JsonObject()
                    .put("node", n.node())
                    .put("downEvents", n.downEvents())
                    .put("downtimeSeconds", n.downtimeSeconds())
                    .put("mtbfSeconds", n.mtbfSeconds())
                    .put("mttrSeconds", n.mttrSeconds()));
        }
        JsonArray events = new JsonArray();
        for (CrashReport.Event e : r.events()) {
            JsonObject budget = new JsonObject();
            e.budgetConsumed().forEach(budget::put);
            events.add(new JsonObject()
                    .put("id", e.id())
                    .put("node", e.node())
                    .put("start", e.start().toString())
                    .put("end", e.end() == null ? null : e.end().toString())
                    .put("reason", e.reason())
                    .put("protocols", new JsonArray(e.protocols()))
                    .put("absorbed", e.absorbed())
                    .put("budgetConsumed", budget)
                    .put("badEvents", e.badEvents()));
        }
        PeriodicitySearch.Result p = r.pattern().periodicity();
        JsonObject pattern = new JsonObject()
                .put("found", p.found())
                .put("periodSeconds", p.periodSeconds())
                .put("phaseSeconds", p.phaseSeconds())
                .put("pValue", p.searched() ? p.pValue() : null)
                .put("onsets", r.pattern().onsets())
                .put("periodsTested", p.periodsTested())
                .put("byHour", new JsonArray(java.util.Arrays.stream(r.pattern().histograms().byHour()).boxed().toList()))
                .put("byWeekday", new JsonArray(java.util.Arrays.stream(r.pattern().histograms().byWeekday()).boxed().toList()))
                .put("summary", r.pattern().describe());
        JsonArray jobs = new JsonArray();
        for (KnownJobAlignment.Alignment a : r.pattern().knownJobs()) {
            jobs.add(new JsonObject()
                    .put("name", a.name())
                    .put("cron", a.cron())
                    .put("aligned", a.aligned())
                    .put("of", a.of())
                    .put("toleranceSeconds", a.toleranceSeconds())
                    .put("pValue", a.pAdjusted())
                    .put("significant", a.significant()));
        }
        return new JsonObject()
                .put("since", r.since().toString())
                .put("now", r.now().toString())
                .put("nodes", nodes)
                .put("events", events)
                .put("pattern", pattern)
                .put("knownJobs", jobs);
    }
}
