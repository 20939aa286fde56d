package dev.mailprobe.report;

import dev.mailprobe.config.CronSchedule;
import dev.mailprobe.config.KnownJob;
import dev.mailprobe.health.pattern.CronJobSchedule;
import dev.mailprobe.health.pattern.JobSchedule;
import dev.mailprobe.health.pattern.KnownJobAlignment;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The configured {@code knownJobs} as schedules the crash-pattern analysis can check onsets against. */
final class CronJobs {
    /** How far back a run is looked for: a job that ran less than weekly is no periodic suspect. */
    private static final Duration LOOKBACK = Duration.ofDays(8);

    private CronJobs() {}

    static List<KnownJobAlignment.Job> of(List<KnownJob> jobs) {
        return jobs.stream().map(j -> new KnownJobAlignment.Job(j.name(), j.cron(), schedule(j))).toList();
    }

    static JobSchedule schedule(KnownJob job) {
        ZoneId zone = job.zone();
        // fixed-step minute patterns have an exact closed form; anything else is searched minute by minute
        return CronJobSchedule.parse(job.cron(), zone).orElseGet(() -> new SearchedSchedule(CronSchedule.parse(job.cron()), zone));
    }

    /** Any cron expression: the latest matching minute at or before t, within {@link #LOOKBACK}. */
    private record SearchedSchedule(CronSchedule cron, ZoneId zone) implements JobSchedule {
        @Override
        public Instant previousRunAtOrBefore(Instant t) {
            ZonedDateTime minute = t.atZone(zone).truncatedTo(ChronoUnit.MINUTES);
            ZonedDateTime limit = minute.minus(LOOKBACK);
            for (ZonedDateTime m = minute; m.isAfter(limit); m = m.minusMinutes(1)) {
                if (cron.matches(m)) {
                    return m.toInstant();
                }
            }
            return null;
        }

        @Override
        public Duration period() {
            // mean interval between runs over a week
            Instant from = Instant.parse("2026-01-05T00:00:00Z");
            Instant to = from.plus(Duration.ofDays(7));
            int runs = 0;
            for (Instant t = cron.nextAfter(from.minusSeconds(1), zone); t != null && t.isBefore(to); t = cron.nextAfter(t, zone)) {
                runs++;
            }
            return runs == 0 ? Duration.ofDays(7) : Duration.ofDays(7).dividedBy(runs);
        }
    }
}
