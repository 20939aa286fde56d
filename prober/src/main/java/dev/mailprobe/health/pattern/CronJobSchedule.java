package dev.mailprobe.health.pattern;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link JobSchedule} for the trivial fixed-step cron expressions only: {@code *}{@code /N * * * *}
 * (every N minutes, N dividing 60) and {@code M * * * *} (hourly at minute M). Anything else is left to
 * the real cron parser: {@link #parse} returns empty.
 */
public final class CronJobSchedule implements JobSchedule {
    private static final Pattern STEP = Pattern.compile("\\*/(\\d{1,2})\\s+\\*\\s+\\*\\s+\\*\\s+\\*");
    private static final Pattern HOURLY = Pattern.compile("(\\d{1,2})\\s+\\*\\s+\\*\\s+\\*\\s+\\*");

    private final int stepMinutes;
    private final int offsetMinute;
    private final ZoneId zone;

    private CronJobSchedule(int stepMinutes, int offsetMinute, ZoneId zone) {
        this.stepMinutes = stepMinutes;
        this.offsetMinute = offsetMinute;
        this.zone = zone;
    }

    /** The schedule of {@code cron} evaluated in {@code zone}, or empty if it is not a fixed-step minute pattern. */
    public static Optional<JobSchedule> parse(String cron, ZoneId zone) {
        String c = cron.trim();
        Matcher m = STEP.matcher(c);
        if (m.matches()) {
            int n = Integer.parseInt(m.group(1));
            return n >= 1 && 60 % n == 0 ? Optional.of(new CronJobSchedule(n, 0, zone)) : Optional.empty();
        }
        m = HOURLY.matcher(c);
        if (m.matches()) {
            int minute = Integer.parseInt(m.group(1));
            return minute < 60 ? Optional.of(new CronJobSchedule(60, minute, zone)) : Optional.empty();
        }
        return Optional.empty();
    }

    @Override
    public Instant previousRunAtOrBefore(Instant t) {
        ZonedDateTime z = t.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
        int minute = z.getMinute();
        int back = Math.floorMod(minute - offsetMinute, stepMinutes);
        return z.minusMinutes(back).toInstant();
    }

    @Override
    public Duration period() {
        return Duration.ofMinutes(stepMinutes);
    }

    @Override
    public String toString() {
        return "CronJobSchedule[every " + stepMinutes + "m at minute offset " + offsetMinute + " in " + zone + "]";
    }
}
