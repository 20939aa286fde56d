package dev.mailprobe.health.pattern;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** Slow measurement, not a test: run with -Dmailprobe.experiments=true. */
@EnabledIfSystemProperty(named = "mailprobe.experiments", matches = "true")
class PowerExperiment {
    @Test
    void run() {
        int reps = Integer.getInteger("reps", 100);
        double period = Double.parseDouble(System.getProperty("period", "900"));
        for (double days : new double[] {14, 21}) {
            for (int n : new int[] {6, 8, 10, 11, 12, 13, 14, 16, 20}) {
                Random rnd = new Random(n * 31L + (long) days);
                int found = 0, right = 0;
                double maxErr = 0;
                for (int rep = 0; rep < reps; rep++) {
                    long base = 1_700_000_000L + rnd.nextInt(10_000_000);
                    double phase = rnd.nextDouble() * period;
                    long k0 = (long) Math.ceil((base - phase) / period);
                    long slots = (long) (days * 86400 / period);
                    TreeSet<Long> ks = new TreeSet<>();
                    while (ks.size() < n) ks.add(k0 + (long) (rnd.nextDouble() * slots));
                    List<Instant> on = new ArrayList<>();
                    for (long k : ks) {
                        double trig = phase + k * period + 5 + rnd.nextDouble() * 35;
                        on.add(Instant.ofEpochMilli((long) (trig * 1000)));
                    }
                    var r = PeriodicitySearch.search(on);
                    if (r.found()) {
                        found++;
                        double e = Math.abs(r.periodSeconds() - period) / period;
                        if (e < 0.02) right++;
                        maxErr = Math.max(maxErr, e);
                    }
                }
                System.out.printf("P=%.0f days=%.0f n=%2d found=%3d/%d right=%3d maxRelErr=%.4f%n", period, days, n, found, reps, right, maxErr);
            }
        }
    }
}
