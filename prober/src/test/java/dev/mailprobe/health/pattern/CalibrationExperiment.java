package dev.mailprobe.health.pattern;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Slow measurement, not a test: run with -Dmailprobe.experiments=true. */
@EnabledIfSystemProperty(named = "mailprobe.experiments", matches = "true")
class CalibrationExperiment {
    @Test
    void run() {
        int reps = Integer.getInteger("reps", 2000);
        double[] xs = {0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1};
        Random rnd = new Random(42);
        double[] u = new double[reps];
        for (int rep = 0; rep < reps; rep++) {
            int n = 10 + rnd.nextInt(91);
            double d = 3 + rnd.nextDouble() * 27;
            List<Instant> on = new ArrayList<>();
            long base = 1_700_000_000L + rnd.nextInt(1_000_000);
            for (int i = 0; i < n; i++) {
                on.add(Instant.ofEpochSecond(base + (long) (rnd.nextDouble() * d * 86400)));
            }
            var res = PeriodicitySearch.search(on);
            u[rep] = res.independentPeriods() * Math.exp(PeriodicitySearch.rayleighLogP(n, res.r()));
        }
        Arrays.sort(u);
        StringBuilder sb = new StringBuilder("pooled reps=" + reps + "\n");
        for (double x : xs) {
            long c = Arrays.stream(u).filter(v -> v < x).count();
            sb.append(String.format("P(M*p < %.4f) = %.4f  ratio %.2f%n", x, c / (double) reps, c / (double) reps / x));
        }
        System.out.println(sb);

        // the final decision, as in the unit test but with more seeds
        int found = 0;
        Random r2 = new Random(7);
        for (int rep = 0; rep < reps; rep++) {
            int n = 8 + r2.nextInt(33);
            double d = 3 + r2.nextDouble() * 27;
            if (PeriodicitySearch.search(Onsets.poisson(r2, 1_717_200_000L, d, n)).found()) {
                found++;
            }
        }
        System.out.printf("found on Poisson onsets (n 8..40, 3..30 days): %d of %d = %.2f %%%n", found, reps, 100.0 * found / reps);
    }
}
