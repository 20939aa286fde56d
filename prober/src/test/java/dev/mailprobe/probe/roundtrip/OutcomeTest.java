package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OutcomeTest {
    static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    void seenWithinTheThresholdInclusiveIsDeliveredAfterItLate() {
        assertThat(Outcome.ofSeen(Duration.ZERO, WITHIN)).isEqualTo(Outcome.DELIVERED);
        assertThat(Outcome.ofSeen(Duration.ofMillis(12), WITHIN)).isEqualTo(Outcome.DELIVERED);
        assertThat(Outcome.ofSeen(WITHIN, WITHIN)).isEqualTo(Outcome.DELIVERED);
        assertThat(Outcome.ofSeen(WITHIN.plusNanos(1), WITHIN)).isEqualTo(Outcome.LATE);
        assertThat(Outcome.ofSeen(Duration.ofMinutes(9), WITHIN)).isEqualTo(Outcome.LATE);
    }

    @Test
    void labelsAreTheContractOnes() {
        assertThat(Arrays.stream(Outcome.values()).map(Outcome::label))
                .containsExactly("delivered", "late", "lost", "send_failed", "fetch_failed");
    }
}
