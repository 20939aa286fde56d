package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PollScheduleTest {
    static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void earlyPollsThenBackoffUpToTheCap() {
        PollSchedule s = PollSchedule.forDeliveredWithin(Duration.ofSeconds(30)); // cap 3 s
        assertThat(ms(s.offsetNanos(0))).isEqualTo(10);
        assertThat(ms(s.offsetNanos(5))).isEqualTo(400);
        long prev = s.offsetNanos(5);
        long prevStep = 0;
        for (int i = 6; i < 40; i++) {
            long step = s.offsetNanos(i) - prev;
            assertThat(step).isPositive().isLessThanOrEqualTo(TimeUnit.SECONDS.toNanos(3));
            assertThat(step).isGreaterThanOrEqualTo(prevStep);
            prevStep = step;
            prev = s.offsetNanos(i);
        }
        assertThat(prevStep).isEqualTo(TimeUnit.SECONDS.toNanos(3));
    }

    @Test
    void aHandfulOfPollsCoverTheFirstSecond() {
        PollSchedule s = PollSchedule.forDeliveredWithin(Duration.ofSeconds(30));
        assertThat(s.nextIndexAfter(TimeUnit.SECONDS.toNanos(1), 0)).isBetween(6, 9);
    }

    @Test
    void nextIndexSkipsPollsAlreadyPast() {
        PollSchedule s = PollSchedule.forDeliveredWithin(Duration.ofSeconds(5));
        assertThat(s.nextIndexAfter(0, 0)).isZero();
        assertThat(s.nextIndexAfter(TimeUnit.MILLISECONDS.toNanos(60), 0)).isEqualTo(3);
        assertThat(s.nextIndexAfter(TimeUnit.MILLISECONDS.toNanos(60), 4)).isEqualTo(4);
    }

    @Test
    void capIsATenthOfDeliveredWithinWithinBounds() {
        assertThat(PollSchedule.forDeliveredWithin(Duration.ofMillis(200)).offsetNanos(50)
                - PollSchedule.forDeliveredWithin(Duration.ofMillis(200)).offsetNanos(49)).isEqualTo(TimeUnit.MILLISECONDS.toNanos(100));
        PollSchedule big = PollSchedule.forDeliveredWithin(Duration.ofMinutes(10));
        assertThat(big.offsetNanos(80) - big.offsetNanos(79)).isEqualTo(TimeUnit.SECONDS.toNanos(5));
    }
}
