package dev.mailprobe.slo;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one node's incident cost the customers, over every SLO: the budget share it burned and its
 * bad events. {@code absorbed} is true when no SLO saw a bad event of that node during it, false
 * when one did, null when the incident is partly older than an SLO's period and none was seen.
 */
public record IncidentImpact(Map<String, Double> budgetConsumed, Map<String, Long> badEvents, boolean complete, Boolean absorbed) {

    /** The impact of {@code node}'s incident from {@code start} to {@code end} (null: still open, up to asOf). */
    public static IncidentImpact of(SloEngine engine, String node, Instant start, Instant end, Instant asOf) {
        Map<String, Double> consumed = new LinkedHashMap<>();
        Map<String, Long> bad = new LinkedHashMap<>();
        boolean complete = true;
        long badTotal = 0;
        for (var spec : engine.specs()) {
            BudgetImpact impact = engine.impactBetween(spec.name(), node, start, end == null ? asOf : end, asOf);
            consumed.put(spec.name(), impact.budgetConsumed());
            bad.put(spec.name(), impact.bad());
            badTotal += impact.bad();
            complete &= impact.complete();
        }
        Boolean absorbed = badTotal > 0 ? Boolean.FALSE : complete ? Boolean.TRUE : null;
        return new IncidentImpact(Map.copyOf(consumed), Map.copyOf(bad), complete, absorbed);
    }

    public long totalBadEvents() {
        return badEvents.values().stream().mapToLong(Long::longValue).sum();
    }
}
