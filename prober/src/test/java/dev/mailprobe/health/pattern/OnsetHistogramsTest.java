package dev.mailprobe.health.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnsetHistogramsTest {
    @Test
    void binsByLocalHourAndWeekday() {
        // 2024-01-06 is a Saturday. 23:30 UTC is 00:30 Sunday in Berlin (UTC+1 in winter).
        List<Instant> onsets = List.of(
                Instant.parse("2024-01-06T08:15:00Z"),  // Sat 09:15 Berlin
                Instant.parse("2024-01-06T08:45:00Z"),  // Sat 09:45
                Instant.parse("2024-01-06T23:30:00Z"),  // Sun 00:30
                Instant.parse("2024-07-01T12:00:00Z")); // Mon 14:00 (UTC+2 in summer)
        OnsetHistograms h = OnsetHistograms.of(onsets, ZoneId.of("Europe/Berlin"));
        assertThat(h.total()).isEqualTo(4);
        assertThat(h.hour(9)).isEqualTo(2);
        assertThat(h.hour(0)).isEqualTo(1);
        assertThat(h.hour(14)).isEqualTo(1);
        assertThat(h.weekday(DayOfWeek.SATURDAY)).isEqualTo(2);
        assertThat(h.weekday(DayOfWeek.SUNDAY)).isEqualTo(1);
        assertThat(h.weekday(DayOfWeek.MONDAY)).isEqualTo(1);
        assertThat(Arrays.stream(h.byHour()).sum()).isEqualTo(4);
        assertThat(Arrays.stream(h.byWeekday()).sum()).isEqualTo(4);
        assertThat(h).isEqualTo(OnsetHistograms.of(onsets, ZoneId.of("Europe/Berlin")));

        OnsetHistograms utc = OnsetHistograms.of(onsets, ZoneId.of("UTC"));
        assertThat(utc.hour(8)).isEqualTo(2);
        assertThat(utc.weekday(DayOfWeek.SATURDAY)).isEqualTo(3);
    }
}
