package dev.mailprobe.health.pattern;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;

/**
 * Looks for a hidden periodic trigger behind crash onsets that look irregular (DESIGN principle 4).
 *
 * <h2>Model</h2>
 * A trigger fires at {@code epoch + phase + k * period}; on a <em>subset</em> of firings (those that meet
 * some hidden condition) the node crashes a little later (a lag of seconds to tens of seconds). So the
 * onsets, folded modulo the true period, pile up just after one phase; folded modulo a wrong period they
 * spread around the circle.
 *
 * <h2>Statistic: the Rayleigh test</h2>
 * For a candidate period {@code P} each onset {@code t_i} gets the angle {@code θ_i = 2π (t_i mod P) / P}.
 * The mean resultant length is {@code R = |Σ exp(iθ_i)| / n} and {@code Z = n R²}. Under the null (phases
 * uniform) {@code P(Z > z) ≈ exp(-z)}; we use the small-sample form of Greenwood &amp; Durand as given by
 * Zar (Biostatistical Analysis, eq. 27.4): {@code p = exp(sqrt(1 + 4n + 4(n² - (nR)²)) - (1 + 2n))},
 * which stays accurate down to n ≈ 5 and, unlike {@code exp(-Z)}, knows that {@code Z ≤ n}.
 *
 * <h2>Grid of candidate periods</h2>
 * Over the span {@code T} of the onsets, changing the frequency {@code f = 1/P} by {@code δf} rotates the
 * last onset's phase against the first one's by {@code 2π T δf}; peaks of {@code Z(f)} are therefore about
 * {@code 1/T} wide in frequency, whatever the period. A grid uniform in frequency with step
 * {@code δf = 1/(k T)} (oversampling {@code k = 5}, default) samples every peak at least {@code k} times;
 * in period that is {@code δP = P² δf = P² / (k T)}, i.e. fine at short periods and coarse at long ones,
 * exactly as coherence requires (a log-spaced grid would need the finest step everywhere). The worst
 * loss between grid points is a factor {@code sinc²(π/2k) ≈ 0.97} on Z, and every promising peak is then
 * refined by a golden-section search to well below 0.1 % in period. The grid size is
 * {@code k T (1/Pmin - 1/Pmax)}: about 216,000 frequencies for 30 days and 1 min..7 d.
 * The sums {@code Σ exp(2πi f t_j)} are advanced from one grid frequency to the next by one complex
 * multiplication per onset (re-seeded exactly every 1024 steps), so 100 onsets over 30 days take tens
 * of milliseconds.
 *
 * <p>Periods longer than {@code T / minCycles} (default 3 cycles) are not tried: with fewer cycles the
 * folded phases of random onsets are not uniform (a partial cycle is over-represented), Z is biased upward
 * and the Rayleigh p-value is wrong. So a 7-day period needs at least 21 days of onsets.
 *
 * <h2>Look-elsewhere correction</h2>
 * Trying many periods makes a large Z by chance likely. The number of <em>independent</em> frequencies
 * in {@code [1/Pmax, 1/Pmin]} is {@code M = T (1/Pmin - 1/Pmax)} (the peak width is {@code 1/T}); because
 * the maximum is taken over a continuum (and refined), not over M independent points, the effective
 * number of trials is larger: we use {@code M_eff = CONTINUUM_FACTOR * M} (factor 5) and the Šidák form
 * {@code p_corr = 1 - (1 - p)^M_eff}. The factor was measured by Monte-Carlo on uniform onsets (3,000
 * data sets, n = 10..100, spans 3..30 days; {@code CalibrationExperiment}): the observed rate of
 * {@code M p < x} over {@code x} was 3.0 at x = 0.1, 3.6 at 0.01, 4.0 at 0.002 and 4.3-4.7 at 0.001-0.0005
 * (it grows slowly with the level, as Davies' bound for a continuous scan predicts). With 5 the
 * false-alarm rate at {@code alpha = 0.01} is about 0.8 %. A permutation calibration per report was
 * rejected: it needs hundreds of full scans (seconds), while this is deterministic and free.
 *
 * <p>A pattern is reported as {@code found} when {@code p_corr < alpha}, {@code alpha = 0.01} by default:
 * a false alarm sends people hunting for a trigger that does not exist, so at most about one pattern-free
 * report in a hundred may do that.
 *
 * <h2>Harmonics: reporting the fundamental</h2>
 * Onsets on multiples of {@code P} are also on multiples of {@code P/2, P/3, ...}, so those score too.
 * The lag jitter is amplified {@code k} times at {@code P/k}, which usually makes {@code P} win, and exact
 * ties among the refined peaks go to the longer period. But a few unrelated onsets can lift a harmonic
 * above {@code P}. Once a pattern is found, the longest multiple {@code m P*} of the winner {@code P*} is
 * reported that keeps at least half its Z and is significant on its own under a weighted Bonferroni over
 * the multiples examined (multiple m gets {@code alpha / (m H)}, {@code H = Σ 1/m}: small multiples, the
 * usual confusion, need little evidence). Multiples {@code 2P, 3P, ...} of the true period fold a random
 * subset of firings into m classes and score like noise unless the crashing firings happen to share a
 * residue, in which case the data really are periodic at the longer period. Detection ({@code found},
 * {@code z}, {@code pValue}) is decided on the scan maximum before this step and is not affected by it.
 *
 * <h2>Period and phase</h2>
 * Onsets come slightly <em>after</em> the trigger. The onsets near the mean direction form a cluster
 * (within 4 robust standard deviations, 1.4826 x MAD, of the median direction). Its least-squares line
 * (onset time against cycle number) refines the period; when a whole number of minutes (else seconds) is
 * within 4 standard errors of it, that round period is reported (cron and timers have round periods, and
 * the phase is counted from 1970, i.e. ~10^6 cycles away, where a 0.01 s period error would scramble it).
 * When no round period fits, the phase is only meaningful near the data (it predicts the triggers there).
 * The trigger phase is the earliest cluster onset above Tukey's lower fence {@code Q1 - 1.5 IQR}, so that
 * an unrelated onset well before the cluster does not move it. {@code meanLagSeconds} and
 * {@code maxLagSeconds} are the aligned onsets' delays after that phase (lower bounds of the true lag:
 * the earliest onset already lags the trigger a little).
 *
 * <h2>Measured power ({@code PowerExperiment}, 100 data sets per row, lag 5–40 s)</h2>
 * <ul>
 *   <li>Only triggered onsets, 15 min / 1 h / 6 h over 2–3 weeks, 1 d over 5 weeks: found in 100 % from
 *       n = 12, period and phase within 2 % in 93–100 % (n = 12) and 98–100 % (n ≥ 16); n = 11 is the edge
 *       (0–97 % depending on span); n ≤ 10: never. The Rayleigh maximum is Z = n and, with ~30,000
 *       independent periods to pay for, n ≈ 11 onsets are needed before even perfect alignment is
 *       significant. So the story's three crashes a week are detected after about four weeks, and 8 onsets
 *       are not enough for this test; {@link KnownJobAlignment} (one hypothesis, no look-elsewhere) can
 *       already confirm a suspected job with a handful of onsets.</li>
 *   <li>A quarter of the onsets unrelated: found in ≥ 79 % from n = 20 (15 min) and 100 % from n = 16–20
 *       (1 h..1 d); the fundamental is identified within 2 % in 60–90 % at n = 20 and ≥ 96 % at n = 30;
 *       otherwise a harmonic {@code P/k} is reported, which still predicts every trigger instant.</li>
 * </ul>
 */
public final class PeriodicitySearch {

    /**
     * Ratio of the effective number of trials of the continuous, refined scan to the number of
     * independent frequencies {@code T Δf}. Measured by Monte-Carlo (uniform onsets, n = 10..100, spans
     * 3..30 days; {@code CalibrationExperiment}): 3.0-4.7 over levels 0.1..0.0005, so 5 is conservative.
     */
    public static final double CONTINUUM_FACTOR = 5.0;

    private static final int RESEED_EVERY = 1024;
    private static final int PEAKS_TO_REFINE = 64;
    private static final double TIE_TOLERANCE = 1e-4;

    /**
     * Search settings.
     *
     * @param minPeriod    shortest period tried (default 1 min)
     * @param maxPeriod    longest period tried (default 7 d; also capped at span / minCycles)
     * @param oversampling grid points per independent frequency (default 5)
     * @param minCycles    the onsets' span must cover at least this many periods (default 3)
     * @param alpha        significance threshold on the corrected p-value (default 0.01)
     */
    public record Options(Duration minPeriod, Duration maxPeriod, double oversampling, double minCycles, double alpha) {
        public Options {
            Objects.requireNonNull(minPeriod);
            Objects.requireNonNull(maxPeriod);
            if (minPeriod.isNegative() || minPeriod.isZero() || maxPeriod.compareTo(minPeriod) <= 0) {
                throw new IllegalArgumentException("need 0 < minPeriod < maxPeriod");
            }
            if (oversampling < 1 || minCycles < 1 || alpha <= 0 || alpha >= 1) {
                throw new IllegalArgumentException("need oversampling >= 1, minCycles >= 1, 0 < alpha < 1");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ofMinutes(1), Duration.ofDays(7), 5, 3, 0.01);
        }
    }

    /**
     * Outcome of a search. When the search could run ({@link #searched()}), the period, phase, Z and
     * p-values describe the best candidate whether or not it is significant; {@link #found()} says
     * whether it is.
     *
     * @param found              corrected p-value below alpha
     * @param searched           false when there were too few onsets (under 3) or too short a span
     * @param n                  number of onsets
     * @param periodSeconds      best candidate period; null when not searched
     * @param phaseSeconds       estimated trigger offset from the Unix epoch modulo the period, in
     *                           {@code [0, period)}: triggers at {@code epoch + phase + k * period}; null when
     *                           not searched
     * @param z                  Rayleigh Z = n R² at the maximum of the scan (the detection statistic); the
     *                           maximum may sit at a harmonic {@code period / k} of the reported period
     * @param zAtPeriod          Rayleigh Z at the reported period
     * @param r                  mean resultant length R at the maximum of the scan
     * @param pSingle            Rayleigh p-value of {@code z} for one period (no correction)
     * @param pValue             p-value of {@code z} corrected for all periods tried
     * @param periodsTested      number of grid frequencies evaluated
     * @param independentPeriods number of independent frequencies {@code T (1/Pmin - 1/Pmax)}
     * @param minPeriodSeconds   shortest period tried
     * @param maxPeriodSeconds   longest period tried (after the minCycles cap)
     * @param spanSeconds        time from first to last onset
     * @param alignedOnsets      onsets within 3 circular standard deviations of the mean phase
     * @param meanLagSeconds     mean delay of the aligned onsets after the phase
     * @param maxLagSeconds      largest delay of the aligned onsets after the phase
     */
    public record Result(boolean found, boolean searched, int n, Double periodSeconds, Double phaseSeconds, double z,
                         double zAtPeriod, double r, double pSingle, double pValue, long periodsTested, double independentPeriods,
                         double minPeriodSeconds, double maxPeriodSeconds, double spanSeconds, int alignedOnsets,
                         Double meanLagSeconds, Double maxLagSeconds) {
        static Result notSearched(int n, double span) {
            return new Result(false, false, n, null, null, 0, 0, 0, 1, 1, 0, 0, 0, 0, span, 0, null, null);
        }
    }

    private PeriodicitySearch() {}

    /** Search with {@link Options#defaults()}. */
    public static Result search(Collection<Instant> onsets) {
        return search(onsets, Options.defaults());
    }

    /** Runs the search. Deterministic: same onsets and options give the same result. */
    public static Result search(Collection<Instant> onsets, Options options) {
        Instant[] sorted = onsets.toArray(new Instant[0]);
        Arrays.sort(sorted);
        int n = sorted.length;
        if (n == 0) {
            return Result.notSearched(0, 0);
        }
        Instant t0 = sorted[0];
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = ReliabilityStats.seconds(Duration.between(t0, sorted[i]));
        }
        double span = t[n - 1];
        double pMin = ReliabilityStats.seconds(options.minPeriod());
        double pMax = Math.min(ReliabilityStats.seconds(options.maxPeriod()), span / options.minCycles());
        if (n < 3 || pMax <= pMin) {
            return Result.notSearched(n, span);
        }
        double fLo = 1 / pMax;
        double fHi = 1 / pMin;
        double df = 1 / (options.oversampling() * span);
        int steps = (int) Math.ceil((fHi - fLo) / df);
        float[] zGrid = scan(t, fLo, df, steps + 1);

        // refine the highest local maxima of the coarse grid
        int[] peaks = topLocalMaxima(zGrid, PEAKS_TO_REFINE);
        double bestF = Double.NaN;
        double bestZ = -1;
        for (int j : peaks) {
            double f = fLo + j * df;
            double[] fz = refine(t, Math.max(fLo, f - df), Math.min(fHi, f + df));
            if (fz[1] > bestZ * (1 + TIE_TOLERANCE) || (fz[1] >= bestZ * (1 - TIE_TOLERANCE) && fz[0] < bestF)) {
                bestF = fz[0];
                bestZ = fz[1];
            }
        }
        double independent = span * (fHi - fLo);
        double trials = CONTINUUM_FACTOR * Math.max(1, independent);
        double chosenF = bestF;
        if (pValueOf(n, bestZ, trials) < options.alpha()) {
            // Prefer the fundamental. Onsets on multiples of P also align at P/2, P/3, ..., and a few
            // unrelated onsets can lift such a harmonic above P itself. Detection is settled (above); which
            // multiple m * P* of the winner P* to report is a choice among few candidates: take the longest
            // one that (a) keeps at least half the winner's Z and (b) is significant on its own, with a
            // weighted Bonferroni over the multiples examined: multiple m gets alpha * w_m, w_m = 1 / (m H)
            // with H = sum of 1/m, so small multiples (the usual confusion: jitter favours P/2, P/3 ...
            // only slightly) need little evidence and large ones much. Under "P* is the fundamental",
            // m * P* folds a random subset of P*'s firings into m classes and scores like noise.
            int maxMultiple = (int) Math.floor(bestF / fLo);
            double harmonicSum = 0;
            for (int m = 2; m <= maxMultiple; m++) {
                harmonicSum += 1.0 / m;
            }
            for (int m = maxMultiple; m >= 2; m--) {
                double f = bestF / m;
                if (rayleighZ(t, f) < 0.4 * bestZ) {
                    continue;
                }
                double[] fz = refine(t, Math.max(fLo, f - df), Math.min(fHi, f + df));
                if (fz[1] >= 0.5 * bestZ && pValueOf(n, fz[1], m * harmonicSum) < options.alpha()) {
                    chosenF = fz[0];
                    break;
                }
            }
        }
        double r = Math.sqrt(Math.min(1, bestZ / n));
        double logP = rayleighLogP(n, r);
        double pValue = correctedP(logP, trials);

        // Period from the cluster: least squares of onset time against cycle number, re-folding until
        // the period is stable (the cluster window adapts: at a slightly wrong period the cluster is
        // smeared by the drift and the window widens with it, so the fit is not biased towards it).
        double period = 1 / chosenF;
        Fold fold = fold(t, t0, period);
        double[] fit = fit(t, fold);
        for (int it = 0; it < 8 && fit != null && Math.abs(fit[0] - period) < 0.01 * period; it++) {
            boolean stable = Math.abs(fit[0] - period) <= 1e-9 * period;
            period = fit[0];
            fold = fold(t, t0, period);
            if (stable) {
                break;
            }
            fit = fit(t, fold);
        }
        double snapped = snap(period, fit);
        if (snapped != period) {
            period = snapped;
            fold = fold(t, t0, period);
        }
        return new Result(pValue < options.alpha(), true, n, period, fold.phaseSeconds, bestZ,
                rayleighZ(t, 1 / period), r, Math.exp(logP), pValue,
                steps + 1L, independent, pMin, pMax, span, fold.aligned, fold.meanLag, fold.maxLag);
    }

    /**
     * Onsets folded at one period: the trigger phase, the number of aligned onsets (the cluster without
     * the ones below its lower fence), and the cluster's onset indices with their cycle numbers.
     */
    private record Fold(double period, double phaseSeconds, int aligned, int[] cluster, long[] cycle, double meanLag,
                        double maxLag) {}

    /**
     * Folds the onsets at {@code period}: the aligned onsets (the cluster around the mean direction),
     * the trigger phase (the earliest aligned onset) and each aligned onset's cycle number counted from the
     * epoch.
     */
    private static Fold fold(double[] t, Instant t0, double period) {
        int n = t.length;
        double phase0 = epochSecondsMod(t0, period); // t0's offset from the epoch, modulo the period
        long cycles0 = (long) Math.floor((t0.getEpochSecond() + t0.getNano() / 1e9) / period);
        double c = 0;
        double s = 0;
        double[] ang = new double[n];
        for (int i = 0; i < n; i++) {
            ang[i] = 2 * Math.PI * ((phase0 + t[i]) % period) / period;
            c += Math.cos(ang[i]);
            s += Math.sin(ang[i]);
        }
        // The cluster of triggered onsets, robust to unrelated onsets spread around the circle: the
        // onsets within a quarter cycle of the mean direction give a median direction and a robust spread
        // (1.4826 x MAD); the cluster is the onsets within 4 robust standard deviations of the median (at
        // least 0.01 rad). Its lower edge, the trigger, is the earliest onset
        // above Tukey's lower fence Q1 - 1.5 IQR of the cluster (half the width below the edge of uniform
        // lags, -2.7 sd for Gaussian ones), so that an unrelated onset well before the cluster does not
        // move it.
        double mean = Math.atan2(s, c);
        double[] dev = new double[n];
        int[] idx = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            double d = wrap(ang[i] - mean);
            if (Math.abs(d) <= Math.PI / 2) {
                dev[m++] = d;
            }
        }
        double window;
        if (m == 0) {
            window = Math.PI / 2;
        } else {
            double[] inner = Arrays.copyOf(dev, m);
            double med = median(inner);
            mean = wrap(mean + med);
            for (int j = 0; j < m; j++) {
                inner[j] = Math.abs(inner[j] - med);
            }
            window = Math.min(Math.PI / 2, Math.max(4 * 1.4826 * median(inner), 0.01));
        }
        m = 0;
        for (int i = 0; i < n; i++) {
            double d = wrap(ang[i] - mean);
            if (Math.abs(d) <= window) {
                idx[m] = i;
                dev[m++] = d;
            }
        }
        if (m == 0) { // no onset near the median direction: fall back to the first onset
            idx[0] = 0;
            dev[0] = 0;
            mean = ang[0];
            m = 1;
        }
        // cycle numbers (from the epoch) of the whole cluster, for the least-squares period
        int[] clusterIdx = Arrays.copyOf(idx, m);
        long[] clusterCycle = new long[m];
        double centre = ((mean / (2 * Math.PI) * period) % period + period) % period;
        for (int j = 0; j < m; j++) {
            clusterCycle[j] = cycles0 + Math.round((phase0 + t[idx[j]] - centre) / period);
        }
        double[] sorted = Arrays.copyOf(dev, m);
        Arrays.sort(sorted);
        double q1 = quantile(sorted, 0.25);
        double fence = q1 - 1.5 * (quantile(sorted, 0.75) - q1);
        int kept = 0;
        for (int j = 0; j < m; j++) {
            if (dev[j] >= fence) {
                idx[kept] = idx[j];
                dev[kept++] = dev[j];
            }
        }
        m = kept;
        double minDev = Double.POSITIVE_INFINITY;
        for (int j = 0; j < m; j++) {
            minDev = Math.min(minDev, dev[j]);
        }
        double trigger = wrap(mean + minDev);
        double phaseSeconds = ((trigger / (2 * Math.PI) * period) % period + period) % period;
        double lagSum = 0;
        double lagMax = 0;
        for (int j = 0; j < m; j++) {
            double lag = (dev[j] - minDev) / (2 * Math.PI) * period;
            lagSum += lag;
            lagMax = Math.max(lagMax, lag);
        }
        return new Fold(period, phaseSeconds, m, clusterIdx, clusterCycle, lagSum / m, lagMax);
    }

    /**
     * Least-squares line through the cluster of onsets: onset time against cycle number. The whole
     * cluster is used, not only the aligned onsets: trimming either tail at a slightly wrong period would
     * keep the onsets that agree with it and bias the fit towards it. Returns {slope, standard error of the slope}, or null with fewer than 3 aligned onsets
     * or all in one cycle.
     */
    private static double[] fit(double[] t, Fold fold) {
        int m = fold.cluster.length;
        if (m < 3) {
            return null;
        }
        double kMean = 0;
        double tMean = 0;
        for (int j = 0; j < m; j++) {
            kMean += fold.cycle[j] - fold.cycle[0];
            tMean += t[fold.cluster[j]];
        }
        kMean /= m;
        tMean /= m;
        double skk = 0;
        double skt = 0;
        for (int j = 0; j < m; j++) {
            double dk = fold.cycle[j] - fold.cycle[0] - kMean;
            skk += dk * dk;
            skt += dk * (t[fold.cluster[j]] - tMean);
        }
        if (skk == 0) {
            return null;
        }
        double slope = skt / skk;
        double sse = 0;
        for (int j = 0; j < m; j++) {
            double e = t[fold.cluster[j]] - (tMean + slope * (fold.cycle[j] - fold.cycle[0] - kMean));
            sse += e * e;
        }
        return new double[] {slope, Math.sqrt(sse / (m - 2) / skk)};
    }

    /**
     * Real triggers (cron, timers) have periods of whole minutes or seconds. When a whole number of
     * minutes (else of seconds) lies within 4 standard errors of the least-squares period (well inside its
     * confidence interval, so the data cannot tell the two apart), that round
     * period is used, so that the phase, counted from the epoch, is not thrown off by a tiny period error
     * multiplied by the ~10^6 cycles since 1970.
     */
    private static double snap(double period, double[] fit) {
        if (fit == null) {
            return period;
        }
        double tolerance = Math.max(4 * fit[1], 1e-6 * period);
        for (double unit : new double[] {60, 1}) {
            double round = Math.rint(period / unit) * unit;
            if (round > 0 && Math.abs(round - period) <= tolerance) {
                return round;
            }
        }
        return period;
    }

    private static double pValueOf(int n, double z, double trials) {
        return correctedP(rayleighLogP(n, Math.sqrt(Math.min(1, z / n))), trials);
    }

    /** Rayleigh Z = n R² of onset times {@code t} (seconds) at frequency {@code f} (1/seconds). */
    static double rayleighZ(double[] t, double f) {
        double c = 0;
        double s = 0;
        for (double ti : t) {
            double a = 2 * Math.PI * ((f * ti) % 1.0);
            c += Math.cos(a);
            s += Math.sin(a);
        }
        return (c * c + s * s) / t.length;
    }

    /**
     * Natural log of the Rayleigh p-value with the small-sample correction (Zar eq. 27.4):
     * {@code ln p = sqrt(1 + 4n + 4(n² - (nR)²)) - (1 + 2n)}, capped at 0.
     */
    public static double rayleighLogP(int n, double r) {
        double rn = n * r;
        double lp = Math.sqrt(1 + 4.0 * n + 4 * ((double) n * n - rn * rn)) - (1 + 2.0 * n);
        return Math.min(0, lp);
    }

    /** Šidák correction {@code 1 - (1 - p)^trials}, computed in logs so tiny p-values survive. */
    static double correctedP(double logP, double trials) {
        double p = Math.exp(logP);
        if (p >= 1) {
            return 1;
        }
        return Math.min(1, -Math.expm1(trials * Math.log1p(-p)));
    }

    /**
     * Z on the grid {@code f_j = f0 + j df}, j = 0..count-1, advancing each onset's unit phasor by one
     * complex multiplication per step.
     */
    static float[] scan(double[] t, double f0, double df, int count) {
        int n = t.length;
        double[] re = new double[n];
        double[] im = new double[n];
        double[] wr = new double[n];
        double[] wi = new double[n];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * ((df * t[i]) % 1.0);
            wr[i] = Math.cos(a);
            wi[i] = Math.sin(a);
        }
        float[] z = new float[count];
        for (int j = 0; j < count; j++) {
            if (j % RESEED_EVERY == 0) {
                double f = f0 + j * df;
                for (int i = 0; i < n; i++) {
                    double a = 2 * Math.PI * ((f * t[i]) % 1.0);
                    re[i] = Math.cos(a);
                    im[i] = Math.sin(a);
                }
            }
            double c = 0;
            double s = 0;
            for (int i = 0; i < n; i++) {
                double x = re[i];
                double y = im[i];
                c += x;
                s += y;
                re[i] = x * wr[i] - y * wi[i];
                im[i] = x * wi[i] + y * wr[i];
            }
            z[j] = (float) ((c * c + s * s) / n);
        }
        return z;
    }

    /** Indices of the {@code k} highest local maxima (ties to the right count once). */
    static int[] topLocalMaxima(float[] z, int k) {
        // bounded min-heap by value, implemented on parallel arrays for speed
        int[] idx = new int[k];
        float[] val = new float[k];
        int size = 0;
        for (int j = 0; j < z.length; j++) {
            float v = z[j];
            if ((j > 0 && z[j - 1] > v) || (j + 1 < z.length && z[j + 1] >= v)) {
                continue;
            }
            if (size < k) {
                idx[size] = j;
                val[size] = v;
                size++;
            } else {
                int min = 0;
                for (int q = 1; q < k; q++) {
                    if (val[q] < val[min]) {
                        min = q;
                    }
                }
                if (v > val[min]) {
                    idx[min] = j;
                    val[min] = v;
                }
            }
        }
        return Arrays.copyOf(idx, size);
    }

    /** Golden-section maximisation of Z over [a, b]; returns {f, Z}. */
    static double[] refine(double[] t, double a, double b) {
        final double g = (Math.sqrt(5) - 1) / 2;
        double x1 = b - g * (b - a);
        double x2 = a + g * (b - a);
        double z1 = rayleighZ(t, x1);
        double z2 = rayleighZ(t, x2);
        for (int it = 0; it < 40; it++) {
            if (z1 >= z2) {
                b = x2;
                x2 = x1;
                z2 = z1;
                x1 = b - g * (b - a);
                z1 = rayleighZ(t, x1);
            } else {
                a = x1;
                x1 = x2;
                z1 = z2;
                x2 = a + g * (b - a);
                z2 = rayleighZ(t, x2);
            }
        }
        return z1 >= z2 ? new double[] {x1, z1} : new double[] {x2, z2};
    }

    /** Seconds from the Unix epoch to {@code t}, modulo {@code period}, exact for whole seconds. */
    static double epochSecondsMod(Instant t, double period) {
        double whole = ((double) t.getEpochSecond()) % period; // fmod is exact; epoch seconds < 2^53
        return (whole + t.getNano() / 1e9) % period;
    }

    /** Linear-interpolation quantile of sorted values. */
    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int k = v.length;
        return k % 2 == 1 ? v[k / 2] : (v[k / 2 - 1] + v[k / 2]) / 2;
    }

    private static double wrap(double a) {
        double w = a % (2 * Math.PI);
        if (w > Math.PI) {
            w -= 2 * Math.PI;
        } else if (w <= -Math.PI) {
            w += 2 * Math.PI;
        }
        return w;
    }
}
