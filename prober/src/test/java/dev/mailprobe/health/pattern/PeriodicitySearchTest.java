package dev.mailprobe.health.pattern;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PeriodicitySearchTest {
    private static final long START = 1_717_200_000L; // 2024-06-01T00:00:00Z

    /** Dense case: period and trigger phase found within 2 % for several periods and seeds. */
    @ParameterizedTest(name = "period {0}s over {1} days, n = {2}")
    @CsvSource({
            "900,   21, 25",
            "900,   14, 40",
            "3600,  21, 25",
            "21600, 21, 20",
            "86400, 35, 25",
            "2400,  18, 30"})
    void recoversHiddenPeriodAndPhase(double period, double days, int n) {
        for (int seed = 0; seed < 5; seed++) {
            Random rnd = new Random(seed * 7919L + (long) period);
            double phase = rnd.nextDouble() * period;
            List<Instant> onsets = Onsets.periodic(rnd, START + rnd.nextInt(86400), days, period, phase, n, 5, 40);
            PeriodicitySearch.Result r = PeriodicitySearch.search(onsets);
            String ctx = "seed " + seed + ": " + r;
            assertThat(r.found()).as(ctx).isTrue();
            assertThat(r.pValue()).as(ctx).isLessThan(0.01);
            assertThat(Math.abs(r.periodSeconds() - period) / period).as(ctx).isLessThan(0.02);
            assertThat(Onsets.phaseDistance(r.phaseSeconds(), phase, period)).as(ctx).isLessThan(0.02 * period);
            assertThat(r.maxLagSeconds()).as(ctx).isLessThan(40);
        }
    }

    /**
     * The story's case: a 15-minute sweep, crashes on a random subset of sweeps. Measures the detection
     * rate by number of onsets; every detection must name the right period (or a multiple that every
     * onset's firing shares, which is then just as true of the data).
     */
    @Test
    void sparseSubsetOfFifteenMinuteSlotsDetectionByN() {
        double period = 900;
        int seeds = 40;
        StringBuilder table = new StringBuilder("15-min trigger, 21 days, lag 5-40 s, detection rate by n:\n");
        for (int n : new int[] {6, 8, 10, 12, 16, 20, 30}) {
            int found = 0;
            for (int seed = 0; seed < seeds; seed++) {
                Random rnd = new Random(1000L * n + seed);
                double phase = rnd.nextDouble() * period;
                List<Instant> onsets = Onsets.periodic(rnd, START, 21, period, phase, n, 5, 40);
                PeriodicitySearch.Result r = PeriodicitySearch.search(onsets);
                if (r.found()) {
                    found++;
                    double ratio = r.periodSeconds() / period;
                    assertThat(Math.abs(ratio - Math.round(ratio))).as("seed %d n %d: %s", seed, n, r).isLessThan(0.02);
                }
            }
            table.append(String.format("  n = %2d: %2d / %d%n", n, found, seeds));
            if (n >= 12) {
                assertThat(found).as("n = %d", n).isGreaterThanOrEqualTo(seeds * 95 / 100);
            }
        }
        System.out.println(table);
    }

    /** Real life mixes in crashes with other causes: 20 triggered + 6 unrelated onsets. */
    @Test
    void periodFoundDespiteUnrelatedCrashes() {
        for (int seed = 0; seed < 5; seed++) {
            Random rnd = new Random(seed);
            double phase = 130;
            List<Instant> onsets = new ArrayList<>(Onsets.periodic(rnd, START, 21, 900, phase, 20, 5, 40));
            onsets.addAll(Onsets.poisson(rnd, START, 21, 6));
            PeriodicitySearch.Result r = PeriodicitySearch.search(onsets);
            assertThat(r.found()).as("seed %d: %s", seed, r).isTrue();
            assertThat(Math.abs(r.periodSeconds() - 900) / 900).isLessThan(0.02);
            assertThat(Onsets.phaseDistance(r.phaseSeconds(), phase, 900)).as("seed %d: %s", seed, r).isLessThan(18);
        }
    }

    /** Without jitter the harmonics P/2, P/3 ... score exactly as high; the fundamental must win. */
    @Test
    void exactTriggerPrefersTheFundamentalOverItsHarmonics() {
        Random rnd = new Random(5);
        List<Instant> onsets = Onsets.periodic(rnd, START, 21, 3600, 600, 20, 0, 0);
        PeriodicitySearch.Result r = PeriodicitySearch.search(onsets);
        assertThat(r.found()).isTrue();
        assertThat(r.periodSeconds()).isCloseTo(3600, org.assertj.core.api.Assertions.within(3600 * 0.001));
        assertThat(r.phaseSeconds()).isCloseTo(600, org.assertj.core.api.Assertions.within(1.0));
    }

    /**
     * Pattern-free onsets (a Poisson process: n uniform instants in the window) over 200 seeds, n 8..40,
     * spans 3..30 days: "found" at most 5 % of the time (nominal: 1 %).
     */
    @Test
    void falsePatternRateOnPoissonOnsets() {
        int falsePositives = 0;
        int seeds = 200;
        List<String> hits = new ArrayList<>();
        for (int seed = 0; seed < seeds; seed++) {
            Random rnd = new Random(424242L + seed);
            int n = 8 + rnd.nextInt(33);
            double days = 3 + rnd.nextDouble() * 27;
            PeriodicitySearch.Result r = PeriodicitySearch.search(Onsets.poisson(rnd, START, days, n));
            assertThat(r.searched()).isTrue();
            if (r.found()) {
                falsePositives++;
                hits.add(String.format("seed %d n %d days %.1f period %.0f p %.4f", seed, n, days, r.periodSeconds(), r.pValue()));
            }
        }
        System.out.printf("false 'pattern found' on Poisson onsets: %d of %d seeds (alpha 0.01) %s%n", falsePositives, seeds, hits);
        assertThat(falsePositives).isLessThanOrEqualTo(seeds * 5 / 100);
    }

    @Test
    void performanceHundredOnsetsOverThirtyDays() {
        Random rnd = new Random(99);
        List<Instant> onsets = Onsets.poisson(rnd, START, 30, 100);
        PeriodicitySearch.search(onsets); // warm-up
        long t0 = System.nanoTime();
        PeriodicitySearch.Result r = PeriodicitySearch.search(onsets);
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("periodicity search, 100 onsets over 30 days: %.1f ms, %,d periods tested (%,.0f independent)%n",
                ms, r.periodsTested(), r.independentPeriods());
        List<Instant> periodic = Onsets.periodic(rnd, START, 30, 900, 130, 100, 5, 40);
        t0 = System.nanoTime();
        PeriodicitySearch.Result p = PeriodicitySearch.search(periodic);
        System.out.printf("periodicity search, 100 periodic onsets over 30 days: %.1f ms, found %s period %.2f%n",
                (System.nanoTime() - t0) / 1e6, p.found(), p.periodSeconds());
    }

    @Test
    void deterministic() {
        List<Instant> onsets = Onsets.periodic(new Random(3), START, 14, 900, 42, 15, 5, 40);
        assertThat(PeriodicitySearch.search(onsets)).isEqualTo(PeriodicitySearch.search(new ArrayList<>(onsets)));
    }

    @Test
    void tooFewOnsetsOrTooShortASpanAreNotSearched() {
        assertThat(PeriodicitySearch.search(List.of()).searched()).isFalse();
        assertThat(PeriodicitySearch.search(List.of(Instant.ofEpochSecond(START), Instant.ofEpochSecond(START + 5000))).searched())
                .isFalse();
        List<Instant> burst = List.of(Instant.ofEpochSecond(START), Instant.ofEpochSecond(START + 60), Instant.ofEpochSecond(START + 120));
        PeriodicitySearch.Result r = PeriodicitySearch.search(burst);
        assertThat(r.searched()).isFalse();
        assertThat(r.found()).isFalse();
        assertThat(r.pValue()).isEqualTo(1.0);
    }

    @Test
    void rayleighSmallSampleP() {
        // R = 0: p = exp(sqrt(1 + 4n + 4n²) - (1 + 2n)) = exp(0) = 1
        assertThat(PeriodicitySearch.rayleighLogP(10, 0)).isEqualTo(0.0);
        // large n: close to exp(-Z)
        double z = 6;
        int n = 10_000;
        assertThat(PeriodicitySearch.rayleighLogP(n, Math.sqrt(z / n))).isCloseTo(-z, org.assertj.core.api.Assertions.within(0.01));
        // Zar's table: n = 10, R = 0.5 (Z = 2.5) gives p ≈ 0.077
        assertThat(Math.exp(PeriodicitySearch.rayleighLogP(10, 0.5))).isCloseTo(0.077, org.assertj.core.api.Assertions.within(0.005));
    }
}
