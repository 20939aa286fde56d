package dev.mailprobe.slo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The {@code /api/slo} document. Numbers that are undefined (no traffic, too little traffic) are
 * {@code null}, never NaN (JSON has no NaN).
 * <pre>
 * {"at": "...", "minEvents": 10, "slos": [
 *   {"name": "access", "objective": 0.999, "window": "30d", "windowSeconds": 2592000, "errorBudget": 0.001,
 *    "totals": {"good": 9990, "bad": 10, "total": 10000},
 *    "errorRatio": 0.001, "remainingBudget": 0.0, "consumed": 1.0,
 *    "burnRates": {"5m": {"value": 1.2, "meaningful": true, "errorRatio": 0.0012, "good": .., "bad": .., "total": ..},
 *                  "30m": {"value": null, "meaningful": false, ...}, ..., "30d": {...}},
 *    "consumedByNode": {"imap-1": 0.25, "imap-2": 0.75}}]}
 * </pre>
 */
public final class SloJson {
    private SloJson() {}

    /** One DOWN event (or any interval) to attribute; {@code end} null while it is still open. */
    public record Incident(String eventId, String node, Instant start, Instant end) {}

    public static JsonObject toJson(SloSnapshot snapshot) {
        JsonArray slos = new JsonArray();
        for (SloSnapshot.SloStatus s : snapshot.slos()) {
            SloSnapshot.WindowStats period = s.period();
            JsonObject burnRates = new JsonObject();
            for (SloSnapshot.WindowStats w : s.windows()) {
                burnRates.put(w.window().label(), new JsonObject()
                        .put("value", number(w.burnRateIfMeaningful()))
                        .put("meaningful", w.meaningful())
                        .put("errorRatio", number(w.errorRatio()))
                        .put("good", w.good())
                        .put("bad", w.bad())
                        .put("total", w.total()));
            }
            JsonObject byNode = new JsonObject();
            s.consumedByNode().forEach(byNode::put);
            slos.add(new JsonObject()
                    .put("name", s.name())
                    .put("objective", s.spec().objective())
                    .put("window", period.window().label())
                    .put("windowSeconds", period.window().length().toSeconds())
                    .put("errorBudget", s.errorBudget())
                    .put("totals", new JsonObject().put("good", period.good()).put("bad", period.bad()).put("total", period.total()))
                    .put("errorRatio", number(period.errorRatio()))
                    .put("remainingBudget", s.remainingBudget())
                    .put("consumed", s.consumed())
                    .put("burnRates", burnRates)
                    .put("consumedByNode", byNode));
        }
        return new JsonObject()
                .put("at", snapshot.at().toString())
                .put("minEvents", snapshot.minEvents())
                .put("slos", slos);
    }

    /**
     * Budget consumed per incident and SLO, as of {@code asOf}:
     * {@code [{"eventId", "node", "start", "end", "absorbed": true|false|null,
     * "budgetConsumed": {"access": 0.0, ...}, "badEvents": {"access": 0, ...}, "complete": true}]}.
     * {@code absorbed} is true when no SLO had a bad event of that node during the incident, false
     * when one had, null when the incident is partly older than an SLO period and none was seen.
     */
    public static JsonArray perIncident(SloEngine engine, List<Incident> incidents, Instant asOf) {
        JsonArray out = new JsonArray();
        for (Incident incident : incidents) {
            Instant end = incident.end() == null ? asOf : incident.end();
            JsonObject consumed = new JsonObject();
            JsonObject bad = new JsonObject();
            boolean complete = true;
            long badTotal = 0;
            for (var spec : engine.specs()) {
                BudgetImpact impact = engine.impactBetween(spec.name(), incident.node(), incident.start(), end, asOf);
                consumed.put(spec.name(), impact.budgetConsumed());
                bad.put(spec.name(), impact.bad());
                badTotal += impact.bad();
                complete &= impact.complete();
            }
            Boolean absorbed = badTotal > 0 ? Boolean.FALSE : complete ? Boolean.TRUE : null;
            out.add(new JsonObject()
                    .put("eventId", incident.eventId())
                    .put("node", incident.node())
                    .put("start", incident.start().toString())
                    .put("end", incident.end() == null ? null : incident.end().toString())
                    .put("absorbed", absorbed)
                    .put("complete", complete)
                    .put("budgetConsumed", consumed)
                    .put("badEvents", bad));
        }
        return out;
    }

    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
