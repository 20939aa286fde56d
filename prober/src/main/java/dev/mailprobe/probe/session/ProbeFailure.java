package dev.mailprobe.probe.session;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import java.util.Objects;

/**
 * A classified probe failure travelling through the step futures. Carries no stack trace: it is an
 * expected outcome, not a bug.
 */
public final class ProbeFailure extends RuntimeException {
    private final FailureReason reason;
    private final Phase phase;

    /** @param phase null to let the step that sees it fill in its own phase */
    public ProbeFailure(FailureReason reason, Phase phase, String message) {
        super(message, null, false, false);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.phase = phase;
    }

    public ProbeFailure(FailureReason reason, String message) {
        this(reason, null, message);
    }

    public FailureReason reason() {
        return reason;
    }

    /** May be null until a step stamps it. */
    public Phase phase() {
        return phase;
    }

    ProbeFailure inPhase(Phase p) {
        return phase != null ? this : new ProbeFailure(reason, p, getMessage());
    }
}
