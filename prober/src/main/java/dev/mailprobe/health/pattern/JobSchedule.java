package dev.mailprobe.health.pattern;

import java.time.Duration;
import java.time.Instant;

/**
 * When a known periodic job runs, as far as crash-onset alignment needs to know. Implemented by the cron
 * parser (or {@link CronJobSchedule} for fixed-step minute patterns); this package does not parse cron.
 */
public interface JobSchedule {

    /** The job's most recent run at or before {@code t}. */
    Instant previousRunAtOrBefore(Instant t);

    /**
     * The mean interval between runs (for a fixed-step schedule, its step). Used for the chance that a
     * random instant falls within a tolerance after a run: {@code tolerance / period}.
     */
    Duration period();
}
