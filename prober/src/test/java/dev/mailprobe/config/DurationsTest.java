package dev.mailprobe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, 500", "30s, 30000", "5m, 300000", "1h, 3600000", "7d, 604800000",
        "1h30m, 5400000", "1d2h3m4s5ms, 93784005", "0s, 0", "90s, 90000", "0010s, 10000"})
    void parses(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "10 seconds", "1.5s", "-5s", "5S", "30m1h", "1m1m", "1w", "1y",
        " 30s", "30s ", "1h 30m", "5ms5s", "99999999999999999999d", "106751991168d"})
    void rejects(String text) {
        assertThat(Durations.tryParse(text)).isEmpty();
        assertThatThrownBy(() -> Durations.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"" + text + "\" is not a duration (use e.g. 500ms, 30s, 5m, 1h, 7d)");
    }

    @ParameterizedTest
    @CsvSource({"0, 0s", "1, 1ms", "500, 500ms", "1000, 1s", "60000, 1m", "90000, 1m30s", "3600000, 1h",
        "86400000, 1d", "2592000000, 30d", "93784005, 1d2h3m4s5ms"})
    void formats(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @org.junit.jupiter.api.Test
    void formatRoundsToTheMillisecondAndSignsNegatives() {
        assertThat(Durations.format(Duration.ofNanos(1_499_999))).isEqualTo("1ms");
        assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("2ms");
        assertThat(Durations.format(Duration.ofSeconds(-90))).isEqualTo("-1m30s");
    }

    @Property
    void formatThenParseIsIdentity(@ForAll @LongRange(min = 0, max = 10_000_000_000_000L) long millis) {
        Duration d = Duration.ofMillis(millis);
        assertThat(Durations.parse(Durations.format(d))).isEqualTo(d);
    }

    @Property
    void partsAddUp(@ForAll @LongRange(min = 0, max = 100_000) long days, @ForAll @LongRange(min = 0, max = 23) long h,
            @ForAll @LongRange(min = 0, max = 59) long m, @ForAll @LongRange(min = 0, max = 59) long s,
            @ForAll @LongRange(min = 0, max = 999) long ms) {
        String text = days + "d" + h + "h" + m + "m" + s + "s" + ms + "ms";
        Duration expected = Duration.ofDays(days).plusHours(h).plusMinutes(m).plusSeconds(s).plusMillis(ms);
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @Property
    void neverThrowsAnythingButIllegalArgument(@ForAll @StringLength(max = 12) String text) {
        try {
            Duration d = Durations.parse(text);
            assertThat(d.isNegative()).isFalse();
            assertThat(text).matches("([0-9]+(ms|s|m|h|d))+");
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).endsWith("is not a duration (use e.g. 500ms, 30s, 5m, 1h, 7d)");
        }
    }
}
