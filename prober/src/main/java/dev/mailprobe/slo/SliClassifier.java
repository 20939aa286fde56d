package dev.mailprobe.slo;

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
}
