package dev.mailprobe.health.pattern;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Collection;
import java.util.Objects;

/**
 * Crash onsets counted by hour of day and by day of week, in a given time zone (the operators' local
 * time, where human-driven or cron-driven triggers live).
 *
 * @param zone      the zone the bins are in
 * @param byHour    24 bins, index = hour of day 0..23
 * @param byWeekday 7 bins, index 0 = Monday .. 6 = Sunday (ISO)
 * @param total     number of onsets counted
 */
public record OnsetHistograms(ZoneId zone, int[] byHour, int[] byWeekday, int total) {

    public OnsetHistograms {
        Objects.requireNonNull(zone, "zone");
        if (byHour.length != 24 || byWeekday.length != 7) {
            throw new IllegalArgumentException("need 24 hour bins and 7 weekday bins");
        }
        byHour = byHour.clone();
        byWeekday = byWeekday.clone();
    }

    /** Bins the onsets in {@code zone}. */
    public static OnsetHistograms of(Collection<Instant> onsets, ZoneId zone) {
        int[] hours = new int[24];
        int[] days = new int[7];
        for (Instant t : onsets) {
            ZonedDateTime z = t.atZone(zone);
            hours[z.getHour()]++;
            days[z.getDayOfWeek().getValue() - 1]++;
        }
        return new OnsetHistograms(zone, hours, days, onsets.size());
    }

    @Override
    public int[] byHour() {
        return byHour.clone();
    }

    @Override
    public int[] byWeekday() {
        return byWeekday.clone();
    }

    /** Onsets in the given hour of day (0..23). */
    public int hour(int hourOfDay) {
        return byHour[hourOfDay];
    }

    /** Onsets on the given day of week. */
    public int weekday(DayOfWeek day) {
        return byWeekday[day.getValue() - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnsetHistograms h && zone.equals(h.zone) && total == h.total
                && java.util.Arrays.equals(byHour, h.byHour) && java.util.Arrays.equals(byWeekday, h.byWeekday);
    }

    @Override
    public int hashCode() {
        return Objects.hash(zone, total, java.util.Arrays.hashCode(byHour), java.util.Arrays.hashCode(byWeekday));
    }

    @Override
    public String toString() {
        return "OnsetHistograms[zone=" + zone + ", byHour=" + java.util.Arrays.toString(byHour)
                + ", byWeekday=" + java.util.Arrays.toString(byWeekday) + ", total=" + total + "]";
    }
}
