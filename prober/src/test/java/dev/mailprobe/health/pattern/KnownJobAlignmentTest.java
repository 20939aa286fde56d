package dev.mailprobe.health.pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KnownJobAlignmentTest {
    private static final long START = 1_717_200_000L; // 2024-06-01T00:00:00Z, a quarter-hour boundary

    private static KnownJobAlignment.Job psSweep() {
        return new KnownJobAlignment.Job("ps-sweep", "*/15 * * * *",
                CronJobSchedule.parse("*/15 * * * *", ZoneOffset.UTC).orElseThrow());
    }

    /** 12 of 14 crashes 5-40 s after a quarter hour, 2 elsewhere: aligned. */
    @Test
    void crashesAfterTheSweepAreAligned() {
        Random rnd = new Random(1);
        List<Instant> onsets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            long slot = START + 900L * (rnd.nextInt(2000));
            onsets.add(Instant.ofEpochSecond(slot + 5 + rnd.nextInt(36)));
        }
        onsets.add(Instant.ofEpochSecond(START + 900L * 77 + 7 * 60));   // 7 min after a run
        onsets.add(Instant.ofEpochSecond(START + 900L * 1234 + 11 * 60)); // 11 min after a run
        onsets.add(0, Instant.ofEpochSecond(START + 900L * 5 + 40)); // the 13th: exactly 40 s after
        onsets.remove(1);

        KnownJobAlignment.Alignment a = KnownJobAlignment.checkAll(onsets, List.of(psSweep())).get(0);
        assertThat(a.name()).isEqualTo("ps-sweep");
        assertThat(a.cron()).isEqualTo("*/15 * * * *");
        assertThat(a.aligned()).isEqualTo(12);
        assertThat(a.of()).isEqualTo(14);
        assertThat(a.maxLagSeconds()).isLessThanOrEqualTo(40.0);
        assertThat(a.chance()).isCloseTo(60.0 / 900, within(1e-12));
        assertThat(a.pValue()).isLessThan(1e-10);
        assertThat(a.significant()).isTrue();
    }

    @Test
    void crashesAwayFromTheSweepAreNotAligned() {
        List<Instant> onsets = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            onsets.add(Instant.ofEpochSecond(START + 900L * i * 37 + 5 * 60 + i)); // always ~5 min after
        }
        KnownJobAlignment.Alignment a = KnownJobAlignment.check(onsets, psSweep(), KnownJobAlignment.DEFAULT_TOLERANCE, 0.01);
        assertThat(a.aligned()).isZero();
        assertThat(a.maxLagSeconds()).isNull();
        assertThat(a.pValue()).isEqualTo(1.0);
        assertThat(a.significant()).isFalse();
    }

    /** Random onsets: about tol/P of them fall after a run by chance, which must not count as aligned. */
    @Test
    void randomOnsetsAreRarelyAligned() {
        int significant = 0;
        int seeds = 200;
        for (int seed = 0; seed < seeds; seed++) {
            Random rnd = new Random(seed);
            List<Instant> onsets = Onsets.poisson(rnd, START, 21, 8 + rnd.nextInt(33));
            if (KnownJobAlignment.checkAll(onsets, List.of(psSweep())).get(0).significant()) {
                significant++;
            }
        }
        System.out.printf("known-job alignment on Poisson onsets: %d of %d seeds significant (alpha 0.01)%n", significant, seeds);
        assertThat(significant).isLessThanOrEqualTo(seeds * 3 / 100);
    }

    @Test
    void bonferroniOverJobs() {
        List<Instant> onsets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            onsets.add(Instant.ofEpochSecond(START + 900L * i * 13 + (i < 4 ? 20 : 400)));
        }
        KnownJobAlignment.Job hourly = new KnownJobAlignment.Job("hourly", "0 * * * *",
                CronJobSchedule.parse("0 * * * *", ZoneOffset.UTC).orElseThrow());
        List<KnownJobAlignment.Alignment> both = KnownJobAlignment.checkAll(onsets, List.of(psSweep(), hourly));
        KnownJobAlignment.Alignment alone = KnownJobAlignment.check(onsets, psSweep(), Duration.ofSeconds(60), 0.01);
        assertThat(both.get(0).aligned()).isEqualTo(4);
        assertThat(both.get(0).pAdjusted()).isCloseTo(2 * alone.pValue(), within(1e-15));
    }

    @Test
    void binomialUpperTail() {
        assertThat(KnownJobAlignment.binomialUpperTail(3, 2, 0.5)).isCloseTo(0.5, within(1e-12));
        assertThat(KnownJobAlignment.binomialUpperTail(3, 0, 0.5)).isEqualTo(1.0);
        assertThat(KnownJobAlignment.binomialUpperTail(3, 4, 0.5)).isEqualTo(0.0);
        // P(X >= 1) = 1 - (1-q)^n
        assertThat(KnownJobAlignment.binomialUpperTail(14, 1, 1.0 / 15)).isCloseTo(1 - Math.pow(14.0 / 15, 14), within(1e-12));
        // P(X >= 12 | 14, 1/15) = C(14,12) q^12 (1-q)^2 + C(14,13) q^13 (1-q) + q^14
        double q = 1.0 / 15;
        double expected = 91 * Math.pow(q, 12) * Math.pow(1 - q, 2) + 14 * Math.pow(q, 13) * (1 - q) + Math.pow(q, 14);
        assertThat(KnownJobAlignment.binomialUpperTail(14, 12, q)).isCloseTo(expected, within(expected * 1e-9));
    }

    @Test
    void fixedStepCronSchedules() {
        JobSchedule every15 = CronJobSchedule.parse("*/15 * * * *", ZoneOffset.UTC).orElseThrow();
        assertThat(every15.period()).isEqualTo(Duration.ofMinutes(15));
        assertThat(every15.previousRunAtOrBefore(Instant.parse("2024-06-01T10:07:30Z"))).isEqualTo(Instant.parse("2024-06-01T10:00:00Z"));
        assertThat(every15.previousRunAtOrBefore(Instant.parse("2024-06-01T10:15:00Z"))).isEqualTo(Instant.parse("2024-06-01T10:15:00Z"));
        assertThat(every15.previousRunAtOrBefore(Instant.parse("2024-06-01T00:14:59.999Z"))).isEqualTo(Instant.parse("2024-06-01T00:00:00Z"));

        JobSchedule hourly7 = CronJobSchedule.parse("7 * * * *", ZoneOffset.UTC).orElseThrow();
        assertThat(hourly7.period()).isEqualTo(Duration.ofHours(1));
        assertThat(hourly7.previousRunAtOrBefore(Instant.parse("2024-06-01T10:03:00Z"))).isEqualTo(Instant.parse("2024-06-01T09:07:00Z"));

        // India is UTC+5:30: local minute 0 is UTC minute 30
        JobSchedule kolkata = CronJobSchedule.parse("0 * * * *", ZoneId.of("Asia/Kolkata")).orElseThrow();
        assertThat(kolkata.previousRunAtOrBefore(Instant.parse("2024-06-01T10:45:00Z"))).isEqualTo(Instant.parse("2024-06-01T10:30:00Z"));

        assertThat(CronJobSchedule.parse("0 9 * * 1-5", ZoneOffset.UTC)).isEmpty();
        assertThat(CronJobSchedule.parse("*/7 * * * *", ZoneOffset.UTC)).isEmpty(); // not a fixed step: 56 -> 0
        assertThat(CronJobSchedule.parse("60 * * * *", ZoneOffset.UTC)).isEmpty();
    }
}
