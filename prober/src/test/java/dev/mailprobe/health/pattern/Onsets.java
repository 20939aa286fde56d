package dev.mailprobe.health.pattern;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/** Synthetic crash onsets for the tests. */
final class Onsets {
    private Onsets() {}

    /**
     * A trigger at {@code epoch + phase + k * period} fires over {@code days} days from {@code start};
     * the node crashes on {@code n} distinct firings picked at random, {@code lagMin..lagMax} seconds after.
     */
    static List<Instant> periodic(Random rnd, long start, double days, double period, double phase, int n,
                                  double lagMin, double lagMax) {
        long k0 = (long) Math.ceil((start - phase) / period);
        long slots = (long) (days * 86400 / period);
        if (n > slots) {
            throw new IllegalArgumentException("only " + slots + " slots for " + n + " onsets");
        }
        TreeSet<Long> ks = new TreeSet<>();
        while (ks.size() < n) {
            ks.add(k0 + (long) (rnd.nextDouble() * slots));
        }
        List<Instant> out = new ArrayList<>();
        for (long k : ks) {
            double t = phase + k * period + lagMin + rnd.nextDouble() * (lagMax - lagMin);
            out.add(Instant.ofEpochMilli(Math.round(t * 1000)));
        }
        return out;
    }

    /** A Poisson process conditioned on {@code n} events: n uniform instants in {@code [start, start + days)}. */
    static List<Instant> poisson(Random rnd, long start, double days, int n) {
        List<Instant> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Instant.ofEpochMilli(Math.round((start + rnd.nextDouble() * days * 86400) * 1000)));
        }
        return out;
    }

    /** Circular distance between two phases modulo {@code period}. */
    static double phaseDistance(double a, double b, double period) {
        double d = Math.abs(a - b) % period;
        return Math.min(d, period - d);
    }
}
