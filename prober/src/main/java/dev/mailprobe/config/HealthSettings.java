package dev.mailprobe.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The node state machine's thresholds ({@code health:}; docs/HEALTH.md explains the defaults).
 *
 * @param failuresToSuspect consecutive failed probes that make a node/protocol SUSPECT
 * @param failuresToDown    consecutive failed probes that make it DOWN
 * @param window            also DOWN when {@code failures} of the last {@code of} probes failed;
 *                          null when disabled ({@code window: off})
 * @param successesToUp     consecutive successful probes that bring a DOWN node/protocol back UP
 * @param flapDamping       a longer recovery for a flapping node/protocol; null when disabled
 */
public record HealthSettings(
        int failuresToSuspect,
        int failuresToDown,
        Window window,
        int successesToUp,
        FlapDamping flapDamping) {

    /** 1 failure: SUSPECT; 2 in a row or 3 of the last 5: DOWN; 2 successes: UP; 3 downs in 1h: 6 successes. */
    public static final HealthSettings DEFAULTS = new HealthSettings(1, 2, new Window(3, 5), 2,
            new FlapDamping(3, Duration.ofHours(1), 6));

    public HealthSettings {
        if (failuresToSuspect < 1 || failuresToDown < failuresToSuspect || successesToUp < 1) {
            throw new IllegalArgumentException("need 1 <= failuresToSuspect <= failuresToDown and successesToUp >= 1");
        }
    }

    /** k failures out of the last m probes. */
    public record Window(int failures, int of) {
        public Window {
            if (failures < 1 || of < failures) {
                throw new IllegalArgumentException("need 1 <= failures <= of: " + failures + " of " + of);
            }
        }
    }

    /**
     * A node/protocol that went DOWN {@code downs} times within {@code within} (the current time
     * included) needs {@code successesToUp} consecutive successes to come back UP.
     */
    public record FlapDamping(int downs, Duration within, int successesToUp) {
        public FlapDamping {
            Objects.requireNonNull(within, "within");
            if (downs < 2 || within.isNegative() || within.isZero() || successesToUp < 1) {
                throw new IllegalArgumentException("need downs >= 2, within > 0, successesToUp >= 1");
            }
        }
    }
}
