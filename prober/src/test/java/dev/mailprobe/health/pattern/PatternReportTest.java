package dev.mailprobe.health.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PatternReportTest {
    private static final long START = 1_717_200_000L;

    private static KnownJobAlignment.Job psSweep() {
        return new KnownJobAlignment.Job("ps-sweep", "*/15 * * * *",
                CronJobSchedule.parse("*/15 * * * *", ZoneOffset.UTC).orElseThrow());
    }

    @Test
    void describesAFoundPatternAndTheAlignedJob() {
        // the sweep at :00/:15/:30/:45 hits 16 times in 3 weeks, crashes 5-40 s later
        List<Instant> onsets = Onsets.periodic(new Random(11), START, 21, 900, 0, 16, 5, 40);
        PatternReport report = PatternReport.analyze(onsets, List.of(psSweep()), ZoneOffset.UTC);
        String text = report.describe();
        System.out.println(text);
        assertThat(report.onsets()).isEqualTo(16);
        assertThat(report.periodicity().found()).isTrue();
        assertThat(report.knownJobs().get(0).significant()).isTrue();
        assertThat(text).contains("Crash onsets follow a period of 15m0s (triggers at :00:");
        assertThat(report.periodicity().phaseSeconds()).isLessThan(18.0); // within 2 % of the period after :00
        assertThat(text).contains("past each hour UTC");
        assertThat(text).contains("16 of 16 crashes began within");
        assertThat(text).contains("after `ps-sweep` (*/15 * * * *)");
        assertThat(text).contains(": aligned.");
    }

    @Test
    void describesNoPattern() {
        List<Instant> onsets = Onsets.poisson(new Random(2), START, 20, 9);
        PatternReport report = PatternReport.analyze(onsets, List.of(psSweep()), ZoneOffset.UTC);
        String text = report.describe();
        System.out.println(text);
        assertThat(report.periodicity().found()).isFalse();
        assertThat(text).startsWith("No periodic pattern found in 9 onsets (best candidate ");
        assertThat(text).contains("fewer than about 12 onsets");
        assertThat(text).doesNotContain(": aligned.");
        assertThat(text).contains("of 24 hours of the day and on").contains("(UTC)");
    }

    @Test
    void describesTooFewOnsets() {
        PatternReport report = PatternReport.analyze(List.of(Instant.ofEpochSecond(START)), List.of(), ZoneOffset.UTC);
        assertThat(report.describe()).startsWith("Too few crash onsets (1)");
    }

    @Test
    void phaseTextAndDurations() {
        assertThat(PatternReport.duration(900.0)).isEqualTo("15m0s");
        assertThat(PatternReport.duration(130.0)).isEqualTo("2m10s");
        assertThat(PatternReport.duration(3.2 * 3600)).isEqualTo("3h12m");
        assertThat(PatternReport.duration(40.0)).isEqualTo("40s");
        assertThat(PatternReport.duration(null)).isEqualTo("n/a");
        assertThat(PatternReport.phaseText(900, 130)).isEqualTo("triggers at :02:10, :17:10, :32:10, :47:10 past each hour UTC");
        assertThat(PatternReport.phaseText(86400, 3 * 3600 + 5)).isEqualTo("triggers at 03:00:05 UTC daily");
        assertThat(PatternReport.phaseText(6 * 3600, 3600)).isEqualTo("triggers at 01:00:00 UTC and every 6h0m after");
        assertThat(PatternReport.phaseText(1000, 10)).isEqualTo("triggers at Unix epoch + 10s + k x 16m40s");
    }
}
