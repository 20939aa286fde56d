package dev.mailprobe.health.pattern;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Down events, downtime, MTBF and MTTR per node and for the whole fleet over an observation window
 * {@code [from, now]}.
 *
 * <p>Definitions (all in seconds; the usual operational ones):
 * <ul>
 *   <li><b>downEvents</b>: outages whose {@code start} lies in {@code [from, now]}, i.e. failures that
 *       began in the window. An outage that began before {@code from} is not a failure of this window but
 *       its overlap with the window still counts as downtime.</li>
 *   <li><b>downtimeSeconds</b>: the length of the union of the node's outage intervals clipped to the
 *       window; an open outage (no {@code end}, or an {@code end} after {@code now}) counts up to
 *       {@code now}. Overlapping outages of one node are not double-counted. For the fleet it is the sum
 *       over nodes (node-seconds).</li>
 *   <li><b>MTBF</b> (mean time between failures) = total uptime in the window / number of failures, where
 *       uptime = window length - downtime. For the fleet: sum of every node's uptime / total failures,
 *       so nodes that never failed contribute their uptime (pass them in {@code nodes}). Null when there
 *       were no failures (the MTBF is then only bounded below by the window, not estimated).</li>
 *   <li><b>MTTR</b> (mean time to repair) = mean of {@code end - start} over outages that began in the
 *       window and had closed by {@code now} (full duration, not clipped). Null when there are none.</li>
 * </ul>
 *
 * @param from    start of the observation window (inclusive)
 * @param now     end of the observation window, the moment of the report
 * @param nodes   per node, sorted by node name
 * @param overall the fleet: node name {@code "*"}
 */
public record ReliabilityStats(Instant from, Instant now, List<NodeStats> nodes, NodeStats overall) {

    /** Name used for the fleet-wide line. */
    public static final String ALL_NODES = "*";

    /**
     * Figures for one node (or the fleet).
     *
     * @param node            node name, or {@link #ALL_NODES}
     * @param downEvents      failures that began in the window
     * @param downtimeSeconds downtime inside the window
     * @param mtbfSeconds     uptime / failures; null with 0 failures
     * @param mttrSeconds     mean duration of closed outages; null when none closed
     */
    public record NodeStats(String node, int downEvents, double downtimeSeconds, Double mtbfSeconds, Double mttrSeconds) {}

    /**
     * Computes the statistics.
     *
     * @param outages all known outages (any order; those entirely outside the window are ignored)
     * @param nodes   every node observed during the window, including nodes that never failed; nodes that
     *                appear only in {@code outages} are added
     * @param from    window start
     * @param now     window end (the report time)
     */
    public static ReliabilityStats compute(Collection<Outage> outages, Collection<String> nodes, Instant from, Instant now) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(now, "now");
        if (now.isBefore(from)) {
            throw new IllegalArgumentException("now " + now + " is before from " + from);
        }
        double windowSeconds = seconds(Duration.between(from, now));
        Map<String, List<Outage>> byNode = new TreeMap<>();
        for (String n : new TreeSet<>(nodes)) {
            byNode.put(n, new ArrayList<>());
        }
        for (Outage o : outages) {
            byNode.computeIfAbsent(o.node(), n -> new ArrayList<>()).add(o);
        }

        List<NodeStats> perNode = new ArrayList<>();
        int totalFailures = 0;
        double totalDowntime = 0;
        double totalUptime = 0;
        double repairSum = 0;
        int repairCount = 0;
        for (Map.Entry<String, List<Outage>> e : byNode.entrySet()) {
            List<Outage> list = e.getValue();
            list.sort(Comparator.comparing(Outage::start));
            int failures = 0;
            double nodeRepairSum = 0;
            int nodeRepairs = 0;
            for (Outage o : list) {
                if (!o.start().isBefore(from) && !o.start().isAfter(now)) {
                    failures++;
                    if (o.closedAt(now)) {
                        nodeRepairSum += seconds(Duration.between(o.start(), o.end()));
                        nodeRepairs++;
                    }
                }
            }
            double downtime = unionWithin(list, from, now);
            double uptime = windowSeconds - downtime;
            perNode.add(new NodeStats(e.getKey(), failures, downtime,
                    failures == 0 ? null : uptime / failures,
                    nodeRepairs == 0 ? null : nodeRepairSum / nodeRepairs));
            totalFailures += failures;
            totalDowntime += downtime;
            totalUptime += uptime;
            repairSum += nodeRepairSum;
            repairCount += nodeRepairs;
        }
        NodeStats overall = new NodeStats(ALL_NODES, totalFailures, totalDowntime,
                totalFailures == 0 ? null : totalUptime / totalFailures,
                repairCount == 0 ? null : repairSum / repairCount);
        return new ReliabilityStats(from, now, List.copyOf(perNode), overall);
    }

    /** Stats of one node, or null when the node is unknown. */
    public NodeStats node(String name) {
        return nodes.stream().filter(s -> s.node().equals(name)).findFirst().orElse(null);
    }

    /** Length of the union of the (start-sorted) outages clipped to [from, now]; open ones end at now. */
    private static double unionWithin(List<Outage> sorted, Instant from, Instant now) {
        double total = 0;
        Instant curStart = null;
        Instant curEnd = null;
        for (Outage o : sorted) {
            Instant s = o.start().isBefore(from) ? from : o.start();
            Instant end = o.end() == null || o.end().isAfter(now) ? now : o.end();
            if (!s.isBefore(end)) {
                continue; // empty after clipping (outside the window)
            }
            if (curEnd != null && !s.isAfter(curEnd)) {
                if (end.isAfter(curEnd)) {
                    curEnd = end;
                }
            } else {
                if (curEnd != null) {
                    total += seconds(Duration.between(curStart, curEnd));
                }
                curStart = s;
                curEnd = end;
            }
        }
        if (curEnd != null) {
            total += seconds(Duration.between(curStart, curEnd));
        }
        return total;
    }

    static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }
}
