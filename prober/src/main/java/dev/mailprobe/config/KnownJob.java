package dev.mailprobe.config;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A periodic job that crash onsets are checked against ({@code knownJobs[i]}).
 *
 * @param cron a 5-field cron expression, already validated by {@link CronSchedule#parse}
 * @param zone the time zone the cron fields are read in ({@code timezone:}, default UTC)
 */
public record KnownJob(String name, String cron, ZoneId zone) {
    public KnownJob {
        zone = Objects.requireNonNullElse(zone, ZoneOffset.UTC);
    }

    /** A job whose schedule is read in UTC. */
    public KnownJob(String name, String cron) {
        this(name, cron, ZoneOffset.UTC);
    }

    /** The parsed schedule; use {@code schedule().nextAfter(t, zone())}. */
    public CronSchedule schedule() {
        return CronSchedule.parse(cron);
    }
}
