package dev.mailprobe.demo;

import java.time.Duration;
import java.util.Objects;

/**
 * The fault state of one demo node.
 *
 * @param mode      the injected fault
 * @param slowDelay how long every server reply is held back while {@code mode} is {@link
 *                  FaultMode#SLOW}; kept (and ignored) in the other modes
 */
public record FaultState(FaultMode mode, Duration slowDelay) {
    public FaultState {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(slowDelay, "slowDelay");
        if (slowDelay.isNegative()) {
            throw new IllegalArgumentException("slowDelay must not be negative: " + slowDelay);
        }
    }
}
