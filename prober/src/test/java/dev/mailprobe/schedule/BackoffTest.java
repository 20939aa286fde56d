package dev.mailprobe.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void oneFailureIsABlipAndChangesNothing() {
        Backoff b = new Backoff();
        b.record(false);
        assertThat(b.factor()).isEqualTo(1);
    }

    @Test
    void consecutiveFailuresDoubleTheIntervalUpToFourTimes() {
        Backoff b = new Backoff();
        b.record(false);
        b.record(false);
        assertThat(b.factor()).isEqualTo(2);
        b.record(false);
        assertThat(b.factor()).isEqualTo(4);
        for (int i = 0; i < 10; i++) {
            b.record(false);
        }
        assertThat(b.factor()).isEqualTo(Backoff.MAX_FACTOR);
    }

    @Test
    void theFirstSuccessResets() {
        Backoff b = new Backoff();
        for (int i = 0; i < 5; i++) {
            b.record(false);
        }
        b.record(true);
        assertThat(b.factor()).isEqualTo(1);
    }
}
