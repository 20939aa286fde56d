package dev.mailprobe.slo;

import java.time.Instant;

/**
 * The customer impact of one node during one interval (typically a DOWN event), for one SLO.
 *
 * @param from, to       the interval; it covers the minute slices that overlap [from, to)
 * @param good, bad      that node's SLI events in those slices
 * @param budgetConsumed bad / (all events of the SLO over its period ending at {@code asOf} x
 *                       (1 - objective)): the share of the current error budget the interval burned
 * @param complete       every slice of the interval lies inside the period ending at {@code asOf}
 *                       (older slices are no longer kept, so an old interval's counts are partial)
 */
public record BudgetImpact(String slo, String node, Instant from, Instant to, Instant asOf,
                           long good, long bad, double budgetConsumed, boolean complete) {
    /** No budget burned: the node's failure was absorbed by the cluster (known only when complete). */
    public boolean absorbed() {
        return complete && bad == 0;
    }
}
