package dev.mailprobe.config;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A classic 5-field cron schedule ({@code minute hour day-of-month month day-of-week}), as in
 * crontab(5) of Vixie cron / cronie:
 * <ul>
 *   <li>each field is a comma-separated list of {@code *}, {@code N}, {@code N-M}, each with an
 *       optional {@code /STEP}; {@code N/STEP} means {@code N-max/STEP};
 *   <li>months {@code 1-12} or {@code jan-dec}; days of week {@code 0-7} (0 and 7 are Sunday) or
 *       {@code sun-sat}; names are case-insensitive;
 *   <li>when both day fields are restricted (neither starts with {@code *}) a day matches if
 *       <em>either</em> matches, otherwise both must match;
 *   <li>the macros {@code @yearly @annually @monthly @weekly @daily @midnight @hourly}.
 * </ul>
 * Schedules that can never fire (e.g. {@code 0 0 30 2 *}) are rejected.
 *
 * <p>Times are wall-clock times in the zone given to {@link #nextAfter}. A wall-clock time that
 * a daylight-saving gap skips fires at the same offset after the gap (02:30 becomes 03:30); one
 * that an overlap repeats fires at both instants.
 */
public final class CronSchedule {
    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final String[] MONTH_NAMES =
            {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
    private static final String[] DAY_NAMES = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    private static final int[] MAX_DAYS = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    /** Any feasible schedule fires within 28 years; search a little longer than that. */
    private static final int MAX_DAYS_SEARCHED = 366 * 30;

    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek; // 0 = Sunday .. 6 = Saturday
    private final boolean dayOfMonthStar;
    private final boolean dayOfWeekStar;

    private CronSchedule(String expression, String[] f) {
        this.expression = expression;
        this.minutes = field(f[0], "minute", 0, 59, null);
        this.hours = field(f[1], "hour", 0, 23, null);
        this.daysOfMonth = field(f[2], "day-of-month", 1, 31, null);
        this.months = field(f[3], "month", 1, 12, MONTH_NAMES);
        BitSet dow = field(f[4], "day-of-week", 0, 7, DAY_NAMES);
        if (dow.get(7)) {
            dow.set(0);
            dow.clear(7);
        }
        this.daysOfWeek = dow;
        this.dayOfMonthStar = f[2].startsWith("*");
        this.dayOfWeekStar = f[4].startsWith("*");
        if (!canFire()) {
            throw new IllegalArgumentException("never fires: no month has those days");
        }
    }

    /**
     * Parses a 5-field cron expression or a macro.
     *
     * @throws IllegalArgumentException with a short reason, e.g.
     *     {@code expected 5 fields (minute hour day-of-month month day-of-week), got 6}
     */
    public static CronSchedule parse(String expression) {
        Objects.requireNonNull(expression, "expression");
        String trimmed = expression.trim();
        String expanded = trimmed.startsWith("@") ? MACROS.get(trimmed.toLowerCase(Locale.ROOT)) : trimmed;
        if (expanded == null) {
            throw new IllegalArgumentException("unknown macro " + trimmed
                    + " (use @yearly, @monthly, @weekly, @daily or @hourly)");
        }
        String[] fields = expanded.isEmpty() ? new String[0] : expanded.split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException(
                    "expected 5 fields (minute hour day-of-month month day-of-week), got " + fields.length);
        }
        return new CronSchedule(trimmed, fields);
    }

    /** The expression as given (trimmed). */
    public String expression() {
        return expression;
    }

    /** Whether the schedule fires at {@code t}'s minute (seconds are ignored). */
    public boolean matches(ZonedDateTime t) {
        return months.get(t.getMonthValue())
                && dayMatches(t.toLocalDate())
                && hours.get(t.getHour())
                && minutes.get(t.getMinute());
    }

    /**
     * The first instant strictly after {@code after} at which the schedule fires, reading the
     * fields as wall-clock time in {@code zone}.
     */
    public Instant nextAfter(Instant after, ZoneId zone) {
        Instant next = scanWallClock(after, zone);
        // A fall-back overlap between the two repeats wall-clock times the scan has already passed.
        ZoneOffsetTransition transition = zone.getRules().nextTransition(after);
        if (transition != null && transition.isOverlap() && transition.getInstant().isBefore(next)) {
            Instant end = transition.getInstant().plus(transition.getDuration().negated());
            for (Instant t = transition.getInstant(); t.isBefore(end) && t.isBefore(next); t = t.plusSeconds(60)) {
                if (t.isAfter(after) && matches(t.atZone(zone))) {
                    return t;
                }
            }
        }
        return next;
    }

    private Instant scanWallClock(Instant after, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        int days = 0;
        while (days < MAX_DAYS_SEARCHED) {
            LocalDate day = t.toLocalDate();
            if (!months.get(day.getMonthValue())) {
                t = day.withDayOfMonth(1).plusMonths(1).atStartOfDay();
                days += 28;
                continue;
            }
            LocalTime time = dayMatches(day) ? firstTimeAtOrAfter(t.toLocalTime()) : null;
            if (time == null) {
                t = day.plusDays(1).atStartOfDay();
                days++;
                continue;
            }
            LocalDateTime candidate = day.atTime(time);
            ZonedDateTime zoned = ZonedDateTime.ofLocal(candidate, zone, null);
            if (zoned.toInstant().isAfter(after)) {
                return zoned.toInstant();
            }
            zoned = zoned.withLaterOffsetAtOverlap();
            if (zoned.toInstant().isAfter(after)) {
                return zoned.toInstant();
            }
            t = candidate.plusMinutes(1);
        }
        throw new IllegalStateException("cron schedule " + expression + " does not fire within 30 years");
    }

    @Override
    public String toString() {
        return expression;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CronSchedule c && c.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    private boolean dayMatches(LocalDate day) {
        boolean dom = daysOfMonth.get(day.getDayOfMonth());
        boolean dow = daysOfWeek.get(day.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : day.getDayOfWeek().getValue());
        return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow;
    }

    private LocalTime firstTimeAtOrAfter(LocalTime from) {
        for (int h = hours.nextSetBit(from.getHour()); h >= 0; h = hours.nextSetBit(h + 1)) {
            int m = minutes.nextSetBit(h == from.getHour() ? from.getMinute() : 0);
            if (m >= 0) {
                return LocalTime.of(h, m);
            }
        }
        return null;
    }

    private boolean canFire() {
        if (!dayOfMonthStar && !dayOfWeekStar) {
            return true; // either day field may match; any weekday occurs in every month
        }
        for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
            int first = daysOfMonth.nextSetBit(1);
            if (first >= 0 && first <= MAX_DAYS[m - 1]) {
                return true; // that day recurs on every weekday over the years
            }
        }
        return false;
    }

    private static BitSet field(String text, String name, int min, int max, String[] names) {
        BitSet bits = new BitSet(max + 1);
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException("empty list item in the " + name + " field");
            }
            String range = item;
            int step = 1;
            int slash = item.indexOf('/');
            if (slash >= 0) {
                range = item.substring(0, slash);
                step = number(item.substring(slash + 1), name, 1, max - min + 1, null, "step");
            }
            int lo;
            int hi;
            if (range.equals("*")) {
                lo = min;
                hi = max == 7 && names == DAY_NAMES ? 6 : max;
            } else {
                int dash = range.indexOf('-');
                if (dash >= 0) {
                    lo = number(range.substring(0, dash), name, min, max, names, "value");
                    hi = number(range.substring(dash + 1), name, min, max, names, "value");
                    if (hi < lo) {
                        throw new IllegalArgumentException("range " + range + " runs backwards in the " + name + " field");
                    }
                } else {
                    lo = number(range, name, min, max, names, "value");
                    hi = slash >= 0 ? max : lo;
                }
            }
            for (int v = lo; v <= hi; v += step) {
                bits.set(v);
            }
        }
        return bits;
    }

    private static int number(String text, String field, int min, int max, String[] names, String what) {
        if (names != null) {
            for (int i = 0; i < names.length; i++) {
                if (names[i].equalsIgnoreCase(text)) {
                    return names == MONTH_NAMES ? i + 1 : i;
                }
            }
        }
        int v;
        try {
            if (text.isEmpty() || !text.chars().allMatch(Character::isDigit) || text.length() > 4) {
                throw new NumberFormatException();
            }
            v = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a " + what + " in the " + field + " field");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(
                    what + " " + v + " is out of range (" + min + "-" + max + ") in the " + field + " field");
        }
        return v;
    }
}
