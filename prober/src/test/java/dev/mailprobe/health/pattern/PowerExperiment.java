package dev.mailprobe.health.pattern;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Slow measurement, not a test: detection rate and accuracy of {@link PeriodicitySearch} by period, span
 * and number of onsets (lag 5-40 s), optionally with unrelated onsets mixed in. Run with
 * {@code -Dmailprobe.experiments=true [-Dreps=100] [-Dverbose=true]} (verbose prints every miss).
 */
@EnabledIfSystemProperty(named = "mailprobe.experiments", matches = "true")
class PowerExperiment {
    @Test
    void run() {
        int reps = Integer.getInteger("reps", 100);
        double[][] cases = {{900, 14}, {900, 21}, {3600, 21}, {21600, 21}, {86400, 35}};
        for (double noiseShare : new double[] {0, 0.25}) {
            for (double[] c : cases) {
                double period = c[0];
                double days = c[1];
                for (int n : new int[] {8, 10, 11, 12, 14, 16, 20, 30}) {
                    int periodic = (int) Math.round(n * (1 - noiseShare));
                    if (periodic > days * 86400 / period * 0.8) {
                        continue;
                    }
                    Random rnd = new Random(n * 31L + (long) days + (long) period);
                    int found = 0;
                    int periodOk = 0;
                    int phaseOk = 0;
                    long nanos = 0;
                    for (int rep = 0; rep < reps; rep++) {
                        long start = 1_700_000_000L + rnd.nextInt(10_000_000);
                        double phase = rnd.nextDouble() * period;
                        List<Instant> on = new ArrayList<>(Onsets.periodic(rnd, start, days, period, phase, periodic, 5, 40));
                        on.addAll(Onsets.poisson(rnd, start, days, n - periodic));
                        long t0 = System.nanoTime();
                        PeriodicitySearch.Result r = PeriodicitySearch.search(on);
                        nanos += System.nanoTime() - t0;
                        if (r.found()) {
                            found++;
                            if (Boolean.getBoolean("verbose") && Math.abs(r.periodSeconds() - period) / period >= 0.02) {
                                System.out.printf("   period miss: ratio %.4f zmax %.1f zAt %.1f%n", r.periodSeconds() / period, r.z(), r.zAtPeriod());
                            }
                            if (Math.abs(r.periodSeconds() - period) / period < 0.02) {
                                periodOk++;
                                if (Onsets.phaseDistance(r.phaseSeconds(), phase, period) < 0.02 * period) {
                                    phaseOk++;
                                } else if (Boolean.getBoolean("verbose")) {
                                    System.out.printf("   phase miss: true %.1f got %.1f, %s%n", phase, r.phaseSeconds(), r);
                                }
                            }
                        }
                    }
                    System.out.printf("P=%6.0f days=%2.0f n=%2d (unrelated %2d) found %3d/%d, period within 2%% %3d, phase within 2%% %3d, %.1f ms/search%n",
                            period, days, n, n - periodic, found, reps, periodOk, phaseOk, nanos / 1e6 / reps);
                }
            }
        }
    }
}
