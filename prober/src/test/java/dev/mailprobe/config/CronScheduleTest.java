package dev.mailprobe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {
    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant next(String cron, String after, ZoneId zone) {
        return CronSchedule.parse(cron).nextAfter(Instant.parse(after), zone);
    }

    @ParameterizedTest(name = "{0} after {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "*/15 * * * *   | 2025-06-02T10:07:30Z | 2025-06-02T10:15:00Z",
        "*/15 * * * *   | 2025-06-02T10:15:00Z | 2025-06-02T10:30:00Z",   // strictly after
        "*/15 * * * *   | 2025-06-02T10:14:59.999Z | 2025-06-02T10:15:00Z",
        "*/15 * * * *   | 2025-06-02T23:59:00Z | 2025-06-03T00:00:00Z",
        "0 0 * * *      | 2025-12-31T23:59:00Z | 2026-01-01T00:00:00Z",
        "5 4 * * *      | 2025-06-02T04:05:00Z | 2025-06-03T04:05:00Z",
        "0 0 29 2 *     | 2025-03-01T00:00:00Z | 2028-02-29T00:00:00Z",   // leap day
        "0 0 31 * *     | 2025-04-01T00:00:00Z | 2025-05-31T00:00:00Z",   // skips 30-day April
        "0 12 13 * 5    | 2025-06-01T00:00:00Z | 2025-06-06T12:00:00Z",   // 13th OR Friday
        "0 12 13 * 5    | 2025-06-07T00:00:00Z | 2025-06-13T12:00:00Z",
        "0 0 */2 * 1    | 2025-06-01T00:00:00Z | 2025-06-09T00:00:00Z",   // odd day AND Monday (dom starts with *)
        "0 9 * jan,jul mon-fri | 2025-06-02T00:00:00Z | 2025-07-01T09:00:00Z",
        "0 0 * * 7      | 2025-06-02T00:00:00Z | 2025-06-08T00:00:00Z",   // 7 is Sunday
        "0 0 * * SUN    | 2025-06-02T00:00:00Z | 2025-06-08T00:00:00Z",
        "30 1-3/2 * * * | 2025-06-02T01:30:00Z | 2025-06-02T03:30:00Z",
        "10/20 * * * *  | 2025-06-02T10:31:00Z | 2025-06-02T10:50:00Z",   // N/step = N-59/step
        "@hourly        | 2025-06-02T10:00:00Z | 2025-06-02T11:00:00Z",
        "@daily         | 2025-06-02T10:00:00Z | 2025-06-03T00:00:00Z",
        "@weekly        | 2025-06-02T10:00:00Z | 2025-06-08T00:00:00Z",
        "@monthly       | 2025-06-02T10:00:00Z | 2025-07-01T00:00:00Z",
        "@yearly        | 2025-06-02T10:00:00Z | 2026-01-01T00:00:00Z",
    })
    void nextAfterInUtc(String cron, String after, String expected) {
        assertThat(next(cron.trim(), after.trim(), UTC)).isEqualTo(Instant.parse(expected.trim()));
    }

    @Test
    void readsFieldsAsWallClockTimeInTheZone() {
        // 04:00 in Berlin (CEST, +02:00) is 02:00 UTC
        assertThat(next("0 4 * * *", "2025-06-02T00:00:00Z", BERLIN)).isEqualTo(Instant.parse("2025-06-02T02:00:00Z"));
    }

    @Test
    void aTimeSkippedBySpringForwardFiresAfterTheGap() {
        // 2025-03-30 02:00-03:00 does not exist in Berlin; 02:30 becomes 03:30 CEST = 01:30Z
        assertThat(next("30 2 * * *", "2025-03-29T12:00:00Z", BERLIN)).isEqualTo(Instant.parse("2025-03-30T01:30:00Z"));
        assertThat(next("30 2 * * *", "2025-03-30T01:30:00Z", BERLIN)).isEqualTo(Instant.parse("2025-03-31T00:30:00Z"));
    }

    @Test
    void aTimeRepeatedByFallBackFiresTwice() {
        assertThat(next("*/20 * * * *", "2025-10-26T00:50:00Z", BERLIN)) // 02:50 CEST -> 02:00 CET
                .isEqualTo(Instant.parse("2025-10-26T01:00:00Z"));
        // 2025-10-26 02:30 happens at 00:30Z (CEST) and 01:30Z (CET)
        Instant first = next("30 2 * * *", "2025-10-25T12:00:00Z", BERLIN);
        Instant second = CronSchedule.parse("30 2 * * *").nextAfter(first, BERLIN);
        Instant third = CronSchedule.parse("30 2 * * *").nextAfter(second, BERLIN);
        assertThat(first).isEqualTo(Instant.parse("2025-10-26T00:30:00Z"));
        assertThat(second).isEqualTo(Instant.parse("2025-10-26T01:30:00Z"));
        assertThat(third).isEqualTo(Instant.parse("2025-10-27T01:30:00Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                    | expected 5 fields (minute hour day-of-month month day-of-week), got 0",
        "* * * *               | expected 5 fields (minute hour day-of-month month day-of-week), got 4",
        "* * * * * *           | expected 5 fields (minute hour day-of-month month day-of-week), got 6",
        "60 * * * *            | value 60 is out of range (0-59) in the minute field",
        "* 24 * * *            | value 24 is out of range (0-23) in the hour field",
        "* * 0 * *             | value 0 is out of range (1-31) in the day-of-month field",
        "* * * 13 *            | value 13 is out of range (1-12) in the month field",
        "* * * * 8             | value 8 is out of range (0-7) in the day-of-week field",
        "*/0 * * * *           | step 0 is out of range (1-60) in the minute field",
        "5-1 * * * *           | range 5-1 runs backwards in the minute field",
        "1,,2 * * * *          | empty list item in the minute field",
        "x * * * *             | \"x\" is not a value in the minute field",
        "* * * foo *           | \"foo\" is not a value in the month field",
        "0 0 30 2 *            | never fires: no month has those days",
        "0 0 31 4,6,9,11 *     | never fires: no month has those days",
        "@reboot               | unknown macro @reboot (use @yearly, @monthly, @weekly, @daily or @hourly)",
    })
    void rejects(String cron, String reason) {
        assertThatThrownBy(() -> CronSchedule.parse(cron.trim()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(reason.trim());
    }

    @Test
    void withBothDayFieldsRestrictedEitherMayMatch() {
        // Feb 30 never comes, but Mondays in February do
        assertThat(next("0 0 30 2 1", "2025-06-01T00:00:00Z", UTC)).isEqualTo(Instant.parse("2026-02-02T00:00:00Z"));
    }

    @Test
    void keepsItsExpression() {
        CronSchedule c = CronSchedule.parse("  */15 * * * *  ");
        assertThat(c.expression()).isEqualTo("*/15 * * * *");
        assertThat(c).hasToString("*/15 * * * *").isEqualTo(CronSchedule.parse("*/15 * * * *"));
    }

    private static final String[] SCHEDULES = {
        "*/15 * * * *", "7 * * * *", "0 */3 * * *", "30 2 * * *", "0 4 * * 1-5", "*/7 1,13 * * *",
        "0 0 1,15 * *", "59 23 * * 0", "0 12 13 * 5", "15 3 * * sat",
        "45 2 * * *", "*/20 2 * * *",
    };

    /** nextAfter returns a later matching minute, and no minute in between matches. */
    @Property(tries = 300)
    void nextAfterIsTheFirstMatchingMinute(@ForAll @IntRange(min = 0, max = 11) int which,
            @ForAll @LongRange(min = 1_600_000_000L, max = 1_900_000_000L) long epochSecond,
            @ForAll boolean berlin) {
        checkNext(SCHEDULES[which], Instant.ofEpochSecond(epochSecond), berlin ? BERLIN : UTC);
    }

    /** Every start minute through both daylight-saving nights of 2025 in Berlin. */
    @Test
    void nextAfterAcrossDaylightSavingNights() {
        for (String cron : SCHEDULES) {
            for (String night : new String[] {"2025-03-29T22:00:00Z", "2025-10-25T22:00:00Z"}) {
                Instant start = Instant.parse(night);
                for (int minute = 0; minute < 6 * 60; minute += 7) {
                    checkNext(cron, start.plusSeconds(60L * minute + 13), BERLIN);
                }
            }
        }
    }

    private static void checkNext(String cron, Instant after, ZoneId zone) {
        CronSchedule c = CronSchedule.parse(cron);
        Instant next = c.nextAfter(after, zone);

        assertThat(next).isAfter(after);
        assertThat(next.getEpochSecond() % 60).isZero();
        assertThat(c.matches(next.atZone(zone)) || shiftedOutOfAGap(c, next, zone))
                .as("%s fires at %s", cron, next.atZone(zone)).isTrue();
        for (Instant t = after.truncatedTo(ChronoUnit.MINUTES); t.isBefore(next); t = t.plus(1, ChronoUnit.MINUTES)) {
            if (t.isAfter(after)) {
                ZonedDateTime z = t.atZone(zone);
                assertThat(c.matches(z)).as("%s matches %s before %s", cron, z, next.atZone(zone)).isFalse();
            }
        }
    }

    /** A wall-clock time a spring-forward gap skipped fires at the same offset after the gap. */
    private static boolean shiftedOutOfAGap(CronSchedule c, Instant fired, ZoneId zone) {
        var previous = zone.getRules().previousTransition(fired.plusSeconds(1));
        if (previous == null || !previous.isGap()) {
            return false;
        }
        var skipped = fired.atZone(zone).toLocalDateTime().minus(previous.getDuration());
        return skipped.isBefore(previous.getDateTimeAfter())
                && !skipped.isBefore(previous.getDateTimeBefore())
                && c.matches(ZonedDateTime.of(skipped, ZoneOffset.UTC)); // matches() reads wall-clock fields
    }
}
