package dev.mailprobe.health.pattern;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * Checks crash onsets against the runs of known periodic jobs: how many onsets began within a tolerance
 * (default 60 s) <em>after</em> a run, and whether that is more than chance.
 *
 * <p>Chance: for a job with period {@code P}, an onset that has nothing to do with the job falls in the
 * {@code tolerance} after some run with probability {@code q = tolerance / P} (capped at 1). With
 * {@code n} onsets, the number aligned by chance is Binomial(n, q); the p-value is the upper tail
 * {@code P(X >= aligned)}. A job is {@code significant} when that p-value, Bonferroni-corrected for the
 * number of jobs checked together, is below {@code alpha} (default 0.01).
 */
public final class KnownJobAlignment {

    /** Default tolerance: onsets up to a minute after a run count as aligned. */
    public static final Duration DEFAULT_TOLERANCE = Duration.ofSeconds(60);
    /** Default significance threshold. */
    public static final double DEFAULT_ALPHA = 0.01;

    /**
     * A known job.
     *
     * @param name     job name ({@code knownJobs[i].name})
     * @param cron     its cron expression, for display only
     * @param schedule when it runs
     */
    public record Job(String name, String cron, JobSchedule schedule) {
        public Job {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(schedule, "schedule");
        }
    }

    /**
     * Alignment of the onsets with one job. Field names {@code aligned} and {@code of} follow the
     * {@code report --format json} contract ({@code knownJobs[].aligned}, {@code .of}).
     *
     * @param name           job name
     * @param cron           cron expression (display)
     * @param aligned        onsets that began within {@code tolerance} after a run
     * @param of             onsets checked
     * @param toleranceSeconds the tolerance
     * @param maxLagSeconds  largest delay after the run among the aligned onsets; null when none aligned
     * @param chance         probability {@code q} that an unrelated onset is aligned
     * @param expected       {@code n q}, aligned onsets expected by chance
     * @param pValue         binomial upper tail {@code P(X >= aligned)}, uncorrected
     * @param pAdjusted      {@code min(1, pValue * jobsChecked)} (Bonferroni over the jobs checked together)
     * @param significant    {@code pAdjusted < alpha}
     */
    public record Alignment(String name, String cron, int aligned, int of, double toleranceSeconds, Double maxLagSeconds,
                            double chance, double expected, double pValue, double pAdjusted, boolean significant) {}

    private KnownJobAlignment() {}

    /** Checks each job with the default tolerance and alpha, correcting for the number of jobs. */
    public static List<Alignment> checkAll(Collection<Instant> onsets, List<Job> jobs) {
        return checkAll(onsets, jobs, DEFAULT_TOLERANCE, DEFAULT_ALPHA);
    }

    /** Checks each job, correcting for the number of jobs (Bonferroni). */
    public static List<Alignment> checkAll(Collection<Instant> onsets, List<Job> jobs, Duration tolerance, double alpha) {
        List<Alignment> out = new ArrayList<>();
        for (Job job : jobs) {
            out.add(check(onsets, job, tolerance, alpha, Math.max(1, jobs.size())));
        }
        return List.copyOf(out);
    }

    /** Checks one job on its own (no multiple-testing correction). */
    public static Alignment check(Collection<Instant> onsets, Job job, Duration tolerance, double alpha) {
        return check(onsets, job, tolerance, alpha, 1);
    }

    private static Alignment check(Collection<Instant> onsets, Job job, Duration tolerance, double alpha, int jobsChecked) {
        if (tolerance.isNegative()) {
            throw new IllegalArgumentException("negative tolerance");
        }
        double tol = ReliabilityStats.seconds(tolerance);
        double period = ReliabilityStats.seconds(job.schedule().period());
        if (period <= 0) {
            throw new IllegalArgumentException("job " + job.name() + " has a non-positive period");
        }
        int n = onsets.size();
        int aligned = 0;
        double maxLag = Double.NEGATIVE_INFINITY;
        for (Instant t : onsets) {
            Instant run = job.schedule().previousRunAtOrBefore(t);
            if (run == null) {
                continue;
            }
            double lag = ReliabilityStats.seconds(Duration.between(run, t));
            if (lag >= 0 && lag <= tol) {
                aligned++;
                maxLag = Math.max(maxLag, lag);
            }
        }
        double q = Math.min(1, tol / period);
        double p = binomialUpperTail(n, aligned, q);
        double pAdj = Math.min(1, p * jobsChecked);
        return new Alignment(job.name(), job.cron(), aligned, n, tol, aligned == 0 ? null : maxLag, q, n * q, p, pAdj,
                aligned > 0 && pAdj < alpha);
    }

    /** {@code P(X >= k)} for X ~ Binomial(n, q), summed in log space. */
    static double binomialUpperTail(int n, int k, double q) {
        if (k <= 0) {
            return 1;
        }
        if (k > n) {
            return 0;
        }
        if (q <= 0) {
            return 0;
        }
        if (q >= 1) {
            return 1;
        }
        double lq = Math.log(q);
        double l1q = Math.log1p(-q);
        // log C(n, k)
        double logC = 0;
        for (int i = 1; i <= k; i++) {
            logC += Math.log(n - k + i) - Math.log(i);
        }
        double sum = 0;
        double logTerm = logC + k * lq + (n - k) * l1q;
        for (int i = k; i <= n; i++) {
            sum += Math.exp(logTerm);
            // C(n, i+1) = C(n, i) * (n - i) / (i + 1)
            if (i < n) {
                logTerm += Math.log(n - i) - Math.log(i + 1) + lq - l1q;
            }
        }
        return Math.min(1, sum);
    }
}
