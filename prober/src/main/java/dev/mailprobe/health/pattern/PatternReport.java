package dev.mailprobe.health.pattern;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything {@code mailprobe report} says about when crashes begin: onset histograms, the periodicity
 * search and the alignment with known jobs, plus {@link #describe()} for a person.
 *
 * @param onsets      number of crash onsets analysed
 * @param histograms  onsets by hour of day and day of week
 * @param periodicity the periodicity search
 * @param knownJobs   alignment with each known job, in configuration order
 */
public record PatternReport(int onsets, OnsetHistograms histograms, PeriodicitySearch.Result periodicity,
                            List<KnownJobAlignment.Alignment> knownJobs) {

    public PatternReport {
        Objects.requireNonNull(histograms, "histograms");
        Objects.requireNonNull(periodicity, "periodicity");
        knownJobs = List.copyOf(knownJobs);
    }

    /** Runs every analysis with default settings. */
    public static PatternReport analyze(Collection<Instant> onsets, List<KnownJobAlignment.Job> jobs, ZoneId zone) {
        return analyze(onsets, jobs, zone, PeriodicitySearch.Options.defaults());
    }

    /** Runs every analysis. */
    public static PatternReport analyze(Collection<Instant> onsets, List<KnownJobAlignment.Job> jobs, ZoneId zone,
                                        PeriodicitySearch.Options options) {
        return new PatternReport(onsets.size(), OnsetHistograms.of(onsets, zone), PeriodicitySearch.search(onsets, options),
                KnownJobAlignment.checkAll(onsets, jobs));
    }

    /** Plain sentences, one per line. */
    public String describe() {
        List<String> lines = new ArrayList<>();
        PeriodicitySearch.Result p = periodicity;
        if (!p.searched()) {
            lines.add("Too few crash onsets (" + onsets + ") over too short a time to look for a periodic pattern"
                    + " (need at least 3 onsets spanning at least 3 times the shortest period tried).");
        } else if (p.found()) {
            lines.add(String.format(Locale.ROOT,
                    "Crash onsets follow a period of %s (%s; onsets begin up to %s after that, %s on average):"
                            + " %d of %d onsets aligned, Rayleigh Z = %.1f, p = %s after testing %,d periods (%,.0f independent).",
                    duration(p.periodSeconds()), phaseText(p.periodSeconds(), p.phaseSeconds()),
                    duration(p.maxLagSeconds()), duration(p.meanLagSeconds()), p.alignedOnsets(), p.n(), p.z(),
                    pText(p.pValue()), p.periodsTested(), p.independentPeriods()));
        } else {
            lines.add(String.format(Locale.ROOT,
                    "No periodic pattern found in %d onsets (best candidate %s, p = %s after testing %,d periods"
                            + " from %s to %s).%s",
                    p.n(), duration(p.periodSeconds()), pText(p.pValue()), p.periodsTested(),
                    duration(p.minPeriodSeconds()), duration(p.maxPeriodSeconds()),
                    p.n() < 12 ? " With fewer than about 12 onsets even a strict periodic trigger cannot be told from chance;"
                            + " check the known jobs below." : ""));
        }
        for (KnownJobAlignment.Alignment a : knownJobs) {
            String job = "`" + a.name() + "`" + (a.cron() == null ? "" : " (" + a.cron() + ")");
            if (a.aligned() == 0) {
                lines.add(String.format(Locale.ROOT, "None of %d crashes began within %s after %s: not aligned.",
                        a.of(), duration(a.toleranceSeconds()), job));
            } else {
                lines.add(String.format(Locale.ROOT,
                        "%d of %d crashes began within %s after %s (chance alone: about %.1f, p = %s): %s.",
                        a.aligned(), a.of(), duration(a.maxLagSeconds()), job, a.expected(), pText(a.pAdjusted()),
                        a.significant() ? "aligned" : "not significant"));
            }
        }
        if (histograms.total() > 0) {
            int[] h = histograms.byHour();
            int[] d = histograms.byWeekday();
            int bh = argmax(h);
            int bd = argmax(d);
            int hoursHit = 0;
            for (int x : h) {
                hoursHit += x > 0 ? 1 : 0;
            }
            int daysHit = 0;
            for (int x : d) {
                daysHit += x > 0 ? 1 : 0;
            }
            lines.add(String.format(Locale.ROOT,
                    "Onsets fall in %d of 24 hours of the day and on %d of 7 days (%s); most in %02d:00-%02d:00 (%d) and on %s (%d).",
                    hoursHit, daysHit, histograms.zone().equals(java.time.ZoneOffset.UTC) ? "UTC" : histograms.zone().getId(), bh, (bh + 1) % 24, h[bh],
                    DayOfWeek.of(bd + 1).getDisplayName(TextStyle.FULL, Locale.ENGLISH), d[bd]));
        }
        return String.join("\n", lines);
    }

    /** Where in the clock the trigger sits, in UTC (periods that divide an hour or a day), else epoch offset. */
    static String phaseText(double period, double phase) {
        long p = Math.round(period);
        boolean whole = Math.abs(period - p) < 0.01 * Math.max(1, period / 3600);
        if (whole && p > 0 && 3600 % p == 0) {
            StringBuilder sb = new StringBuilder("triggers at ");
            int count = (int) (3600 / p);
            for (int k = 0; k < Math.min(count, 4); k++) {
                long s = Math.round(phase + k * p) % 3600;
                sb.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, ":%02d:%02d", s / 60, s % 60));
            }
            sb.append(count > 4 ? ", ..." : "").append(" past each hour UTC");
            return sb.toString();
        }
        if (whole && p > 0 && 86400 % p == 0) {
            long s = Math.round(phase) % 86400;
            return String.format(Locale.ROOT, "triggers at %02d:%02d:%02d UTC%s", s / 3600, s / 60 % 60, s % 60,
                    p == 86400 ? " daily" : " and every " + duration(period) + " after");
        }
        return "triggers at Unix epoch + " + duration(phase) + " + k x " + duration(period);
    }

    /** Human duration: {@code 15m0s}, {@code 2m10s}, {@code 3h12m}, {@code 2d5h}, {@code 40s}. */
    public static String duration(Double seconds) {
        if (seconds == null) {
            return "n/a";
        }
        long s = Math.round(seconds);
        if (s >= 86400) {
            return s / 86400 + "d" + (s % 86400) / 3600 + "h";
        }
        if (s >= 3600) {
            return s / 3600 + "h" + (s % 3600) / 60 + "m";
        }
        if (s >= 60) {
            return s / 60 + "m" + s % 60 + "s";
        }
        return s + "s";
    }

    static String pText(double p) {
        if (p >= 0.01) {
            return String.format(Locale.ROOT, "%.2f", p);
        }
        if (p >= 0.0001) {
            return String.format(Locale.ROOT, "%.4f", p);
        }
        return String.format(Locale.ROOT, "%.1e", p);
    }

    private static int argmax(int[] a) {
        int best = 0;
        for (int i = 1; i < a.length; i++) {
            if (a[i] > a[best]) {
                best = i;
            }
        }
        return best;
    }
}
