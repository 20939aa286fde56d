package dev.mailprobe.report;

import dev.mailprobe.health.pattern.PatternReport;
import dev.mailprobe.health.pattern.ReliabilityStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code mailprobe report} says: per-node reliability, every DOWN event with the budget
 * it burned, and the crash-pattern analysis of the onsets.
 *
 * @param events newest first
 */
public record CrashReport(Instant since, Instant now, ReliabilityStats reliability, List<Event> events, PatternReport pattern) {

    /**
     * One DOWN event and its customer impact.
     *
     * @param end            null while the node is still down
     * @param absorbed       true when no SLO saw a bad event from this node during it; null when
     *                       part of the event is older than an SLO's window (unknown)
     * @param budgetConsumed per SLO, the share of its error budget this event burned
     */
    public record Event(long id, String node, Instant start, Instant end, String reason, List<String> protocols,
                        Boolean absorbed, Map<String, Double> budgetConsumed, long badEvents) {}
}
