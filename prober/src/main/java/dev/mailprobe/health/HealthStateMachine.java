package dev.mailprobe.health;

import dev.mailprobe.config.HealthSettings;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Objects;

/**
 * The state machine of one node/protocol (or one node-level check): UP -> SUSPECT -> DOWN -> UP,
 * fed one observation (probe outcome) at a time, in time order. Pure logic: no clock, no store,
 * not thread-safe (the {@link HealthEngine} serialises access).
 *
 * <ul>
 *   <li>A failure counts towards {@code failuresToSuspect} and {@code failuresToDown} consecutive
 *       failures and enters the k-of-m window; reaching {@code failuresToDown} in a row, or k
 *       failures among the last m observations, is DOWN. Fewer consecutive failures (at least
 *       {@code failuresToSuspect}) are SUSPECT.</li>
 *   <li>A success ends a SUSPECT (back to UP at once: SUSPECT is a warning, not an outage). A DOWN
 *       needs {@code successesToUp} consecutive successes, or the flap-damping count when this
 *       check went DOWN {@code flapDamping.downs} times within {@code flapDamping.within}.</li>
 *   <li>The onset of a DOWN is the first failure of the failing run that crossed the consecutive
 *       threshold, or the oldest failure in the window when the window crossed it alone. The
 *       recovery time is the first success of the run that brought it UP. The window is emptied
 *       on recovery, so failures from before a DOWN never count towards the next one.</li>
 * </ul>
 */
public final class HealthStateMachine {
    /** The first failed observation of a DOWN: its time and evidence. */
    public record Onset(Instant at, Evidence evidence) {
        public Onset {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(evidence, "evidence");
        }
    }

    /**
     * What one observation did.
     *
     * @param onset       set when this observation made the check DOWN
     * @param recoveredAt set when this observation made a DOWN check UP: the first success of the run
     */
    public record Transition(HealthState from, HealthState to, Onset onset, Instant recoveredAt) {
        public boolean wentDown() {
            return from != HealthState.DOWN && to == HealthState.DOWN;
        }

        public boolean recovered() {
            return from == HealthState.DOWN && to != HealthState.DOWN;
        }
    }

    private record Observation(Instant at, boolean ok, Evidence evidence) {}

    private final HealthSettings settings;
    private final Deque<Observation> window = new ArrayDeque<>();
    private final Deque<Instant> downs = new ArrayDeque<>();
    private HealthState state = HealthState.UP;
    private int consecutiveFailures;
    private int consecutiveSuccesses;
    private Onset failureRunStart;
    private Instant successRunStart;
    private Onset onset;

    public HealthStateMachine(HealthSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Starts in DOWN with an onset read back from the store (a restart during a DOWN event). */
    public void resumeDown(Onset resumedOnset) {
        state = HealthState.DOWN;
        onset = Objects.requireNonNull(resumedOnset, "resumedOnset");
        consecutiveFailures = 0;
        consecutiveSuccesses = 0;
        successRunStart = null;
        window.clear();
        downs.addLast(resumedOnset.at());
    }

    /** Remembers an earlier DOWN (from the store) for flap damping; call oldest first, before observing. */
    public void rememberDown(Instant at) {
        downs.addLast(at);
    }

    /** Feeds one observation; {@code evidence} is required for a failure and ignored for a success. */
    public Transition observe(Instant at, boolean ok, Evidence evidence) {
        Objects.requireNonNull(at, "at");
        HealthState from = state;
        if (ok) {
            return success(from, at);
        }
        Objects.requireNonNull(evidence, "evidence of a failure");
        return failure(from, at, evidence);
    }

    private Transition failure(HealthState from, Instant at, Evidence evidence) {
        consecutiveSuccesses = 0;
        successRunStart = null;
        consecutiveFailures++;
        Onset here = new Onset(at, evidence);
        if (consecutiveFailures == 1) {
            failureRunStart = here;
        }
        push(new Observation(at, false, evidence));
        if (state == HealthState.DOWN) {
            return new Transition(from, state, null, null);
        }
        boolean byRun = consecutiveFailures >= settings.failuresToDown();
        boolean byWindow = settings.window() != null && failuresInWindow() >= settings.window().failures();
        if (byRun || byWindow) {
            state = HealthState.DOWN;
            onset = byRun ? failureRunStart : oldestFailureInWindow();
            downs.addLast(at);
            return new Transition(from, state, onset, null);
        }
        if (consecutiveFailures >= settings.failuresToSuspect()) {
            state = HealthState.SUSPECT;
        }
        return new Transition(from, state, null, null);
    }

    private Transition success(HealthState from, Instant at) {
        consecutiveFailures = 0;
        failureRunStart = null;
        consecutiveSuccesses++;
        if (consecutiveSuccesses == 1) {
            successRunStart = at;
        }
        push(new Observation(at, true, null));
        if (state == HealthState.DOWN) {
            if (consecutiveSuccesses < successesToUp(at)) {
                return new Transition(from, state, null, null);
            }
            Instant recoveredAt = successRunStart;
            state = HealthState.UP;
            onset = null;
            window.clear();
            return new Transition(from, state, null, recoveredAt);
        }
        state = HealthState.UP;
        return new Transition(from, state, null, null);
    }

    /** Consecutive successes a DOWN check needs at {@code at}: more while it is flapping. */
    public int successesToUp(Instant at) {
        return flapping(at) ? Math.max(settings.successesToUp(), settings.flapDamping().successesToUp())
                : settings.successesToUp();
    }

    /** True when this check went DOWN at least {@code flapDamping.downs} times within {@code within} before {@code at}. */
    public boolean flapping(Instant at) {
        HealthSettings.FlapDamping damping = settings.flapDamping();
        if (damping == null) {
            return false;
        }
        Instant horizon = at.minus(damping.within());
        while (!downs.isEmpty() && downs.peekFirst().isBefore(horizon)) {
            downs.removeFirst();
        }
        return downs.size() >= damping.downs();
    }

    private void push(Observation o) {
        if (settings.window() == null) {
            return;
        }
        window.addLast(o);
        while (window.size() > settings.window().of()) {
            window.removeFirst();
        }
    }

    private int failuresInWindow() {
        int n = 0;
        for (Observation o : window) {
            if (!o.ok()) {
                n++;
            }
        }
        return n;
    }

    private Onset oldestFailureInWindow() {
        for (Iterator<Observation> it = window.iterator(); it.hasNext(); ) {
            Observation o = it.next();
            if (!o.ok()) {
                return new Onset(o.at(), o.evidence());
            }
        }
        throw new IllegalStateException("no failure in the window");
    }

    public HealthState state() {
        return state;
    }

    /** The onset of the current DOWN, or null when not DOWN. */
    public Onset onset() {
        return onset;
    }

    /** First success of the current run of successes, or null after a failure. */
    public Instant successRunStart() {
        return successRunStart;
    }

    public int consecutiveFailures() {
        return consecutiveFailures;
    }

    public int consecutiveSuccesses() {
        return consecutiveSuccesses;
    }
}
