package dev.mailprobe.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

class ConnectionLimiterTest {

    @Test
    void aSecondProbeOfTheSameNodeWaitsForTheFirstToRelease() {
        ConnectionLimiter limiter = new ConnectionLimiter(1);
        Future<ConnectionLimiter.Permit> first = limiter.acquire("smtp-1");
        Future<ConnectionLimiter.Permit> second = limiter.acquire("smtp-1");

        assertThat(first.succeeded()).isTrue();
        assertThat(second.isComplete()).isFalse();
        assertThat(limiter.inUse("smtp-1")).isEqualTo(1);

        first.result().release();
        assertThat(second.succeeded()).isTrue();
        assertThat(limiter.inUse("smtp-1")).isEqualTo(1);

        second.result().release();
        assertThat(limiter.inUse("smtp-1")).isZero();
    }

    @Test
    void nodesAreBoundedIndependently() {
        ConnectionLimiter limiter = new ConnectionLimiter(1);
        assertThat(limiter.acquire("smtp-1").succeeded()).isTrue();
        assertThat(limiter.acquire("imap-1").succeeded()).isTrue();
        assertThat(limiter.inUse("smtp-1")).isEqualTo(1);
        assertThat(limiter.inUse("imap-1")).isEqualTo(1);
    }

    @Test
    void releasingTwiceFreesOnlyOnePermit() {
        ConnectionLimiter limiter = new ConnectionLimiter(2);
        ConnectionLimiter.Permit a = limiter.acquire("n").result();
        limiter.acquire("n");
        a.release();
        a.release();
        assertThat(limiter.inUse("n")).isEqualTo(1);
    }

    @Test
    void waitersAreServedInArrivalOrder() {
        ConnectionLimiter limiter = new ConnectionLimiter(1);
        ConnectionLimiter.Permit held = limiter.acquire("n").result();
        Future<ConnectionLimiter.Permit> second = limiter.acquire("n");
        Future<ConnectionLimiter.Permit> third = limiter.acquire("n");
        held.release();
        assertThat(second.succeeded()).isTrue();
        assertThat(third.isComplete()).isFalse();
    }

    @Test
    void aNodeMayHaveItsOwnBound() {
        ConnectionLimiter limiter = new ConnectionLimiter(1, java.util.Map.of("big", 2));
        assertThat(limiter.acquire("big").succeeded()).isTrue();
        assertThat(limiter.acquire("big").succeeded()).isTrue();
        assertThat(limiter.acquire("big").isComplete()).isFalse();
        assertThat(limiter.acquire("small").succeeded()).isTrue();
        assertThat(limiter.acquire("small").isComplete()).isFalse();
    }

    @Test
    void refusesAZeroBound() {
        assertThatThrownBy(() -> new ConnectionLimiter(0)).hasMessageContaining(">= 1");
    }
}
