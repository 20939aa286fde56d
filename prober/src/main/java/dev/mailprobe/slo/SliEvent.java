package dev.mailprobe.slo;

import java.time.Instant;
import java.util.Objects;

/**
 * One SLI event: one customer-path attempt, good or bad, attributed to exactly one node.
 *
 * @param slo  the SLO (and SLI) name: {@code delivery}, {@code access} or {@code submission}
 * @param at   when it happened (wall clock); it lands in the minute slice containing {@code at}
 * @param good true when the attempt met the SLI
 * @param node the node that served it, or {@link #UNKNOWN_NODE}
 */
public record SliEvent(String slo, Instant at, boolean good, String node) {
    public static final String UNKNOWN_NODE = "unknown";
    public static final String DELIVERY = "delivery";
    public static final String ACCESS = "access";
    public static final String SUBMISSION = "submission";

    public SliEvent {
        Objects.requireNonNull(slo, "slo");
        Objects.requireNonNull(at, "at");
        node = node == null || node.isBlank() ? UNKNOWN_NODE : node;
    }

    /**
     * A delivery event from a round trip through the entry points: good when the mail was
     * delivered within {@code deliveredWithin}, bad when late, lost or not accepted.
     */
    public static SliEvent delivery(Instant at, boolean good, String node) {
        return new SliEvent(DELIVERY, at, good, node);
    }
}
