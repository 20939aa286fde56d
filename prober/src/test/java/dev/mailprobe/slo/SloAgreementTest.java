package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.SloSpec;
import dev.mailprobe.metrics.MetricsRegistry;
import dev.mailprobe.metrics.Promtool;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tag;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process engine and the shipped Prometheus rules agree (DESIGN.md: "computed from the same
 * counters and must agree").
 *
 * <p>31 simulated days of SLI events (steady traffic, outages, partial failures, minutes of random
 * traffic near the check times) go into an engine with the default SLOs (30d). The engine's own
 * {@code mailprobe_sli_events_total} counters are sampled once a minute, on the minute, and become
 * the input series of a {@code promtool test rules} file that loads the SHIPPED rules file. At each
 * check time (a multiple of the evaluation interval, on a minute boundary) it expects, within 1 %,
 * the engine's snapshot at that instant: the error ratio of every window (5m .. 3d and 30d), the
 * burn rate of every window (ratio / slo:error_budget:ratio, as the alerts will compute it),
 * slo:current_burn_rate:ratio, slo:period_burn_rate:ratio, slo:period_error_budget_remaining:ratio
 * and slo:period_error_budget_consumed_by_node:ratio for every node.
 *
 * <p>Why they agree exactly (up to float rounding): a sample at minute T holds the events recorded
 * before T; Prometheus 2.x ranges are closed, so {@code increase(c[W])} at a minute boundary t is
 * c(t) - c(t - W) with no extrapolation (the sampled interval spans the range; before the first
 * sample, the zero-point rule stops extrapolation as counters start at 0), i.e. the events of
 * [t - W, t) = the engine's slices starting in [t - W, t). rate() divides numerator and denominator by
 * the same range, so the ratio is the ratio of event counts.
 */
class SloAgreementTest {
    static final Duration EVALUATION_INTERVAL = Duration.ofHours(6);
    static final int DAYS = 31;
    static final List<String> NODES = List.of("smtp-1", "smtp-2", "imap-1", "imap-2");
    static final double TOLERANCE = 0.01;

    @TempDir
    Path dir;

    /** Minutes since the epoch at which the checks are made; multiples of the evaluation interval. */
    static final List<Long> CHECKS = List.of(
            6 * 60L,                        // windows longer than the history so far
            24 * 60L,                       // 1d exactly full
            (3 * 24 + 6) * 60L,             // 3d sliding
            (15 * 24 + 6) * 60L,            // during a 6h partial outage
            30 * 24 * 60L,                  // the 30d period exactly full
            (30 * 24 + 18) * 60L,           // the period sliding: day 0's outages leave it
            31 * 24 * 60L);

    /** Events of one minute: per SLO and node, good and bad. */
    record Traffic(String slo, String node, int good, int bad) {}

    static List<Traffic> trafficAt(long minute, Random random) {
        long day = minute / 1440;
        long minuteOfDay = minute % 1440;
        List<Traffic> t = new ArrayList<>();
        boolean randomMinute = CHECKS.stream().anyMatch(c -> minute < c && minute >= c - 90) || (day == 3 && minuteOfDay / 60 == 5);
        if (randomMinute) {
            for (String slo : List.of("delivery", "access", "submission")) {
                for (String node : List.of("imap-1", "imap-2", "smtp-1", "smtp-2", SliEvent.UNKNOWN_NODE)) {
                    int good = random.nextInt(4);
                    int bad = random.nextInt(10) < 3 ? random.nextInt(3) : 0;
                    t.add(new Traffic(slo, node, good, bad));
                }
            }
            return t;
        }
        boolean imap2Down = day == 0 && minuteOfDay >= 120 && minuteOfDay < 160;          // customer-visible IMAP crash
        boolean deliveryLoss = day == 0 && minuteOfDay >= 330 && minuteOfDay < 350;       // mail lost, node unknown
        boolean submissionFlaky = day == 2 && minuteOfDay >= 600 && minuteOfDay < 840;    // half the submissions fail
        boolean imap1Partial = day == 15 && minuteOfDay >= 0 && minuteOfDay < 360;        // 1 in 3 logins fail
        boolean smtp2Down = day == 29;                                                     // absorbed by failover: no SLI impact
        t.add(new Traffic("delivery", "imap-1", 1, 0));
        t.add(new Traffic("delivery", "imap-2", imap2Down ? 0 : 1, imap2Down ? 1 : 0));
        if (deliveryLoss) {
            t.add(new Traffic("delivery", SliEvent.UNKNOWN_NODE, 0, 2));
        }
        t.add(new Traffic("access", "imap-1", imap1Partial ? 2 : 3, imap1Partial ? 1 : 0));
        t.add(new Traffic("access", "imap-2", imap2Down ? 0 : 3, imap2Down ? 3 : 0));
        t.add(new Traffic("submission", "smtp-1", submissionFlaky ? 1 : 2, submissionFlaky ? 1 : 0));
        t.add(new Traffic("submission", "smtp-2", smtp2Down ? 0 : 1, 0));
        return t;
    }

    @Test
    void theEngineAndTheShippedRecordingRulesAgreeOnEveryWindow() throws Exception {
        List<SloSpec> slos = SlothRules.DEFAULT_SLOS;
        SloSnapshotClock clock = new SloSnapshotClock();
        SloEngine engine = SloEngine.inMemory(slos, clock);
        MetricsRegistry registry = new MetricsRegistry("mail", "dc1", "test");
        new SloMetrics(registry.registry(), engine, NODES, clock, Duration.ofSeconds(5));
        List<Counter> counters = new ArrayList<>(registry.registry().find(SloMetrics.SLI_EVENTS).counters());
        counters.sort((a, b) -> seriesName(a).compareTo(seriesName(b)));
        assertThat(counters).hasSize(slos.size() * (NODES.size() + 1) * 2);

        long last = DAYS * 1440L;
        List<long[]> samples = new ArrayList<>();
        for (int i = 0; i < counters.size(); i++) {
            samples.add(new long[(int) last + 1]);
        }
        TreeMap<Long, SloSnapshot> expected = new TreeMap<>();
        Random random = new Random(20240131);
        for (long minute = 0; minute <= last; minute++) {
            Instant start = Instant.EPOCH.plusSeconds(minute * 60);
            for (int i = 0; i < counters.size(); i++) {
                samples.get(i)[(int) minute] = (long) counters.get(i).count();
            }
            if (CHECKS.contains(minute)) {
                expected.put(minute, engine.snapshot(start));
            }
            if (minute == last) {
                break;
            }
            for (Traffic t : trafficAt(minute, random)) {
                for (int k = 0; k < t.good() + t.bad(); k++) {
                    // anywhere in the minute, including its very first instant
                    Instant at = start.plusMillis(k == 0 ? 0 : random.nextInt(60_000));
                    engine.record(new SliEvent(t.slo(), at, k >= t.bad(), t.node()));
                }
            }
        }
        registry.close();

        StringBuilder y = new StringBuilder();
        y.append("rule_files:\n  - ").append(SloRulesTest.shippedRules()).append('\n');
        y.append("evaluation_interval: ").append(EVALUATION_INTERVAL.toHours()).append("h\n");
        y.append("tests:\n");
        // promtool's unit-test engine refuses to load more than 10,000 samples of one series in a
        // query, so the 30d rules cannot read 30 days of 1-minute samples. Group 1: counters sampled
        // every minute over the first 4 days (every window but the period is exercised at minute
        // resolution). Group 2: the same counters sampled every 5 minutes over all 31 days (8,641
        // samples; every window length and check time is a multiple of 5m, so increase() is still
        // exact).
        int checks = testGroup(y, counters, samples, 1, 4 * 1440L, expected);
        checks += testGroup(y, counters, samples, 5, last, expected);
        // the scenario reaches every window with traffic at least once, and the period fills up
        assertThat(checks).isGreaterThan((CHECKS.size() + 3) * slos.size() * 20);
        SloSnapshot.SloStatus atPeriodEnd = expected.get(30 * 1440L).slo("access").orElseThrow();
        assertThat(atPeriodEnd.period().bad()).isGreaterThan(0);
        assertThat(expected.get(31 * 1440L).slo("access").orElseThrow().period().bad()).isLessThan(atPeriodEnd.period().bad());

        Path file = dir.resolve("agreement.test.yml");
        Files.writeString(file, y);
        long t0 = System.nanoTime();
        Promtool.Outcome outcome = Promtool.run(null, "test", "rules", file.toString());
        System.out.printf(Locale.ROOT, "promtool test rules: %d checks, %d bytes, %.1f s%n", checks, Files.size(file),
                (System.nanoTime() - t0) / 1e9);
        if (outcome.exitCode() != 0) {
            Files.copy(file, Path.of(System.getProperty("java.io.tmpdir"), "mailprobe-slo-agreement.test.yml"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertThat(outcome.exitCode())
                .as("engine and rules disagree (file kept at %s/mailprobe-slo-agreement.test.yml):%n%s",
                        System.getProperty("java.io.tmpdir"), outcome.output())
                .isZero();
    }

    private static int testGroup(StringBuilder y, List<Counter> counters, List<long[]> samples, int step, long until,
                                 TreeMap<Long, SloSnapshot> expected) {
        y.append("  - interval: ").append(step).append("m\n    input_series:\n");
        for (int i = 0; i < counters.size(); i++) {
            long[] all = samples.get(i);
            long[] sampled = new long[(int) (until / step) + 1];
            for (int k = 0; k < sampled.length; k++) {
                sampled[k] = all[k * step];
            }
            y.append("      - series: '").append(seriesName(counters.get(i))).append("'\n");
            y.append("        values: '").append(expanding(sampled)).append("'\n");
        }
        y.append("    promql_expr_test:\n");
        int checks = 0;
        for (var e : expected.headMap(until, true).entrySet()) {
            String evalTime = e.getKey() + "m";
            for (SloSnapshot.SloStatus s : e.getValue().slos()) {
                String sel = "{sloth_slo=\"" + s.name() + "\"}";
                String labels = "cluster=\"mail\",vantage=\"dc1\",sloth_id=\"mailprobe-" + s.name()
                        + "\",sloth_service=\"mailprobe\",sloth_slo=\"" + s.name() + "\"";
                for (SloSnapshot.WindowStats w : s.windows()) {
                    if (w.total() == 0) {
                        continue; // 0/0: no sample in Prometheus, NaN in the engine
                    }
                    String ratio = "slo:sli_error:ratio_rate" + w.window().label() + sel;
                    String wl = labels + ",sloth_window=\"" + w.window().label() + "\"";
                    checks += check(y, evalTime, ratio, w.errorRatio(), wl);
                    checks += check(y, evalTime, ratio + " / on (sloth_id, sloth_slo, sloth_service) group_left slo:error_budget:ratio" + sel,
                            w.burnRate(), wl);
                }
                if (s.period().total() == 0) {
                    continue;
                }
                checks += check(y, evalTime, "slo:current_burn_rate:ratio" + sel, s.window("5m").burnRate(), labels + ",sloth_window=\"5m\"");
                String pl = labels + ",sloth_window=\"" + s.period().window().label() + "\"";
                checks += check(y, evalTime, "slo:period_burn_rate:ratio" + sel, s.period().burnRate(), pl);
                checks += check(y, evalTime, "slo:period_error_budget_remaining:ratio" + sel, s.remainingBudget(), pl);
                for (String node : nodesOf(counters)) {
                    checks += check(y, evalTime,
                            "slo:period_error_budget_consumed_by_node:ratio{sloth_slo=\"" + s.name() + "\",node=\"" + node + "\"}",
                            s.consumedByNode().getOrDefault(node, 0.0), pl + ",node=\"" + node + "\"");
                }
            }
        }
        return checks;
    }

    /** One expectation: |rule - engine| <= 1 % of the engine's value (exact for 0), as a 0/1 sample. */
    private static int check(StringBuilder y, String evalTime, String expr, double engineValue, String labels) {
        String v = Double.toString(engineValue); // shortest text that parses back to the same double
        String tol = Double.toString(Math.abs(engineValue) * TOLERANCE + 1e-12);
        y.append("      - expr: 'abs((").append(expr).append(") - ").append(v).append(") <= bool ").append(tol).append("'\n");
        y.append("        eval_time: ").append(evalTime).append('\n');
        y.append("        exp_samples:\n");
        y.append("          - labels: '{").append(labels).append("}'\n");
        y.append("            value: 1\n");
        return 1;
    }

    private static List<String> nodesOf(List<Counter> counters) {
        return counters.stream().map(c -> c.getId().getTag("node")).distinct().sorted().collect(Collectors.toList());
    }

    static String seriesName(Counter c) {
        StringBuilder s = new StringBuilder("mailprobe_sli_events_total{");
        for (Tag tag : c.getId().getTags()) {
            s.append(tag.getKey()).append("=\"").append(tag.getValue()).append("\",");
        }
        return s.append("job=\"mailprobe\",instance=\"prober-0:8080\"}").toString();
    }

    /** promtool's expanding notation: runs of equal steps become {@code a+bxn} (n + 1 values). */
    static String expanding(long[] values) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < values.length) {
            int j = i;
            if (i + 1 < values.length) {
                long step = values[i + 1] - values[i];
                j = i + 1;
                while (j + 1 < values.length && values[j + 1] - values[j] == step) {
                    j++;
                }
                if (out.length() > 0) {
                    out.append(' ');
                }
                out.append(values[i]).append(step >= 0 ? "+" : "").append(step).append('x').append(j - i);
            } else {
                if (out.length() > 0) {
                    out.append(' ');
                }
                out.append(values[i]);
            }
            i = j + 1;
        }
        return out.toString();
    }

    @Test
    void expandingNotationRoundTrips() {
        assertThat(expanding(new long[] {0, 1, 2, 3, 3, 3, 7})).isEqualTo("0+1x3 3+0x1 7");
        assertThat(expanding(new long[] {5})).isEqualTo("5");
        assertThat(expanding(new long[] {0, 0})).isEqualTo("0+0x1");
    }

    /** A clock for the engine and the metrics refresh; the simulation passes instants explicitly. */
    static final class SloSnapshotClock extends java.time.Clock {
        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH;
        }
    }
}
