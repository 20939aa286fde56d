package dev.mailprobe.slo;

import dev.mailprobe.probe.roundtrip.Outcome;
import dev.mailprobe.probe.roundtrip.RoundTripResult;
import java.time.Instant;
import java.util.Set;
import dev.mailprobe.probe.ProbeResult;
import java.util.List;

/**
 * Maps session-probe results to SLI events. Only entry-point probes measure the customer path:
 * IMAP and POP3 through an entry point give {@code access}, submission through an entry point
 * gives {@code submission}. Node probes explain SLIs but never produce them; SMTP (port 25)
 * probes produce none (mail acceptance is measured end to end by the {@code delivery} SLI).
 */
public final class SliClassifier {
    private SliClassifier() {}

    /** The SLI events of one result: none or one. */
    public static List<SliEvent> classify(ProbeResult result) {
        if (!result.entryPoint() || result.protocol() == null) {
            return List.of();
        }
        String slo = switch (result.protocol()) {
            case IMAP, POP3 -> SliEvent.ACCESS;
            case SUBMISSION -> SliEvent.SUBMISSION;
            case SMTP -> null;
        };
        if (slo == null) {
            return List.of();
        }
        return List.of(new SliEvent(slo, result.startedAt(), result.success(), result.servedBy()));
    }

    /**
     * The {@code delivery} event of a round trip on the customer path (entry point to entry point):
     * good when delivered within {@code deliveredWithin}; late, lost and send_failed are bad and
     * belong to the node that accepted the mail, fetch_failed to the node it was looked for on.
     * Round trips between nodes explain, they are no SLI events.
     *
     * @param entryPoints the configured entry point names
     */
    public static List<SliEvent> classify(RoundTripResult result, Set<String> entryPoints) {
        if (!entryPoints.contains(result.sendNode()) || !entryPoints.contains(result.fetchNode())) {
            return List.of();
        }
        boolean good = result.result() == Outcome.DELIVERED;
        String node = result.result() == Outcome.FETCH_FAILED ? result.servedByFetch() : result.servedBySend();
        Instant at = result.sentAt() != null ? result.sentAt() : Instant.now();
        return List.of(SliEvent.delivery(at, good, node));
    }
}
