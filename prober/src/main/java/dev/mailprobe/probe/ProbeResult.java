package dev.mailprobe.probe;

import dev.mailprobe.config.Protocol;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one session probe. A probe returns this and never touches a meter or the store;
 * consumers (metrics, health, SLO, store) receive it over the event bus.
 *
 * @param target      the configured node or entry point name
 * @param entryPoint  true when {@code target} is an entry point
 * @param servedBy    the node that served this probe (for an entry point: by choice, address or
 *                    greeting name), or {@code unknown}; for a node probe the node itself
 * @param startedAt   wall-clock start, for display and storage only (timings use the monotonic clock)
 * @param reason      null on success
 * @param failedPhase null on success
 * @param phases      duration of every phase that ran, plus {@link Phase#TOTAL}
 * @param replyCode   the last server reply code (SMTP 3-digit; 0 when not numeric)
 * @param replyText   the last server reply text (never containing credentials)
 * @param tls         null when no TLS was negotiated
 * @param transcript  the dialogue with credentials redacted, {@code C: }/{@code S: } prefixed
 * @param error       a one-line human explanation on failure, else null
 */
public record ProbeResult(
        String target,
        boolean entryPoint,
        Protocol protocol,
        String servedBy,
        Instant startedAt,
        boolean success,
        FailureReason reason,
        Phase failedPhase,
        Map<Phase, Duration> phases,
        int replyCode,
        String replyText,
        TlsInfo tls,
        List<String> transcript,
        String error) {

    public ProbeResult {
        phases = Map.copyOf(phases);
        transcript = List.copyOf(transcript);
    }

    /** The {@code result} label: {@code success} or the failure reason. */
    public String resultLabel() {
        return success ? FailureReason.SUCCESS_LABEL : reason.label();
    }
}
