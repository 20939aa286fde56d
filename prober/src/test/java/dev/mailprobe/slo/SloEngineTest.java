package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mailprobe.config.SloSpec;
import dev.mailprobe.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SloEngineTest {
    static final Instant NOW = Instant.parse("2024-01-31T00:00:00Z");
    static final SloSpec ACCESS = new SloSpec("access", 0.99, Duration.ofDays(30));

    @TempDir
    Path dir;

    static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    static void record(SloEngine engine, String slo, Instant at, int good, int bad, String node) {
        for (int i = 0; i < good; i++) {
            engine.record(new SliEvent(slo, at, true, node));
        }
        for (int i = 0; i < bad; i++) {
            engine.record(new SliEvent(slo, at, false, node));
        }
    }

    /** The hand-computed example of docs/SLO.md. */
    static void feedExample(SloEngine e) {
        record(e, "access", NOW.minus(Duration.ofDays(30)).minusSeconds(1), 0, 1, "imap-1"); // slice before the period: out
        record(e, "access", NOW.minus(Duration.ofDays(30)), 0, 1, "imap-1");                  // first slice of the period: in
        record(e, "access", NOW.minus(Duration.ofDays(20)), 600, 0, "imap-1");
        record(e, "access", NOW.minus(Duration.ofDays(2)), 300, 0, "imap-2");
        record(e, "access", NOW.minus(Duration.ofHours(3)), 80, 2, "imap-1");
        record(e, "access", NOW.minus(Duration.ofMinutes(10)), 10, 3, "imap-2");
        record(e, "access", NOW.minus(Duration.ofMinutes(3)), 7, 1, "unknown");
        record(e, "access", NOW, 0, 5, "imap-2");                                              // the current minute: not yet in
    }

    @Test
    void errorRatiosBurnRatesAndBudgetMatchTheHandComputedExample() {
        SloEngine engine = SloEngine.inMemory(List.of(ACCESS), at(NOW));
        feedExample(engine);
        SloSnapshot.SloStatus s = engine.snapshot(NOW).slo("access").orElseThrow();

        assertWindow(s.window("5m"), 7, 1, false);
        assertThat(s.window("5m").burnRate()).isCloseTo(12.5, within(1e-12));
        assertThat(s.window("5m").burnRateIfMeaningful()).isNaN();
        for (String w : List.of("30m", "1h", "2h")) {
            assertWindow(s.window(w), 17, 4, true);
            assertThat(s.window(w).errorRatio()).isCloseTo(4.0 / 21, within(1e-15));
            assertThat(s.window(w).burnRate()).isCloseTo(4.0 / 21 / 0.01, within(1e-9));
        }
        assertWindow(s.window("6h"), 97, 6, true);
        assertWindow(s.window("1d"), 97, 6, true);
        assertWindow(s.window("3d"), 397, 6, true);
        assertWindow(s.window("30d"), 997, 7, true);
        assertThat(s.period().window().label()).isEqualTo("30d");
        assertThat(s.period().burnRate()).isCloseTo(7.0 / 1004 / 0.01, within(1e-12));
        assertThat(s.consumed()).isCloseTo(7.0 / 1004 / 0.01, within(1e-12));
        assertThat(s.remainingBudget()).isCloseTo(1 - 7.0 / 10.04, within(1e-12));
        assertThat(s.consumedByNode()).containsOnlyKeys("imap-1", "imap-2", "unknown");
        assertThat(s.consumedByNode().get("imap-1")).isCloseTo(3 / 10.04, within(1e-12));
        assertThat(s.consumedByNode().get("imap-2")).isCloseTo(3 / 10.04, within(1e-12));
        assertThat(s.consumedByNode().get("unknown")).isCloseTo(1 / 10.04, within(1e-12));
    }

    private static void assertWindow(SloSnapshot.WindowStats w, long good, long bad, boolean meaningful) {
        assertThat(w.good()).as(w.window().label() + " good").isEqualTo(good);
        assertThat(w.bad()).as(w.window().label() + " bad").isEqualTo(bad);
        assertThat(w.meaningful()).as(w.window().label() + " meaningful").isEqualTo(meaningful);
    }

    @Test
    void aWindowAtTCoversTheSlicesStartingInTMinusWToBeforeT() {
        SloEngine engine = SloEngine.inMemory(List.of(ACCESS), at(NOW));
        Instant t = NOW;
        record(engine, "access", t.minus(Duration.ofMinutes(6)).plusSeconds(59), 0, 1, "a"); // slice t-6m: never in 5m at t
        record(engine, "access", t.minus(Duration.ofMinutes(5)), 0, 2, "a");                 // slice t-5m: in at t, out just after
        record(engine, "access", t.minus(Duration.ofMinutes(1)).plusSeconds(59), 0, 4, "a"); // slice t-1m
        record(engine, "access", t, 0, 8, "a");                                              // slice t: out at t, in just after

        assertThat(engine.snapshot(t).slo("access").orElseThrow().window("5m").bad()).isEqualTo(2 + 4);
        assertThat(engine.snapshot(t.plusNanos(1)).slo("access").orElseThrow().window("5m").bad()).isEqualTo(4 + 8);
        assertThat(engine.snapshot(t.plusSeconds(59)).slo("access").orElseThrow().window("5m").bad()).isEqualTo(4 + 8);
        assertThat(engine.snapshot(t.plusSeconds(60)).slo("access").orElseThrow().window("5m").bad()).isEqualTo(4 + 8);
        // the set of slices is constant on (t - 1m, t]: just before t it is still t-5m .. t-1m
        assertThat(engine.snapshot(t.minusNanos(1)).slo("access").orElseThrow().window("5m").bad()).isEqualTo(2 + 4);
        assertThat(engine.snapshot(t.minusSeconds(60)).slo("access").orElseThrow().window("5m").bad()).isEqualTo(1 + 2);
    }

    @Test
    void anSloWithNoTrafficHasTheWholeBudgetAndNoBurnRate() {
        SloEngine engine = SloEngine.inMemory(List.of(ACCESS, new SloSpec("delivery", 0.999, Duration.ofDays(28))), at(NOW));
        record(engine, "access", NOW.minusSeconds(30), 20, 0, "imap-1");
        SloSnapshot.SloStatus s = engine.snapshot(NOW).slo("delivery").orElseThrow();
        assertThat(s.windows()).extracting(w -> w.window().label())
                .containsExactly("5m", "30m", "1h", "2h", "6h", "1d", "3d", "28d");
        for (SloSnapshot.WindowStats w : s.windows()) {
            assertThat(w.total()).isZero();
            assertThat(w.errorRatio()).isNaN();
            assertThat(w.burnRate()).isNaN();
            assertThat(w.meaningful()).isFalse();
        }
        assertThat(s.remainingBudget()).isEqualTo(1.0);
        assertThat(s.consumed()).isEqualTo(0.0);
        assertThat(s.consumedByNode()).isEmpty();
    }

    @Test
    void eventsOfUnconfiguredSlosAreIgnored() {
        SloEngine engine = SloEngine.inMemory(List.of(ACCESS), at(NOW));
        assertThat(engine.record(SliEvent.delivery(NOW, false, "smtp-1"))).isFalse();
        assertThat(engine.snapshot(NOW).slos()).hasSize(1);
    }

    @Test
    void perNodeSharesSumToTheTotalConsumedBudget() {
        SloEngine engine = SloEngine.inMemory(List.of(ACCESS), at(NOW));
        Random random = new Random(42);
        List<String> nodes = List.of("imap-1", "imap-2", "imap-3", "unknown", "pop-7");
        for (int i = 0; i < 20_000; i++) {
            Instant at = NOW.minusSeconds(random.nextInt(31 * 86_400));
            engine.record(new SliEvent("access", at, random.nextDouble() > 0.013, nodes.get(random.nextInt(nodes.size()))));
        }
        SloSnapshot.SloStatus s = engine.snapshot(NOW).slo("access").orElseThrow();
        double sum = s.consumedByNode().values().stream().mapToDouble(Double::doubleValue).sum();
        assertThat(s.consumed()).isGreaterThan(1.0); // 1.3 % errors against a 1 % budget
        assertThat(sum).isCloseTo(s.consumed(), within(1e-9));
        assertThat(sum).isCloseTo(1 - s.remainingBudget(), within(1e-9));
        long badInPeriod = s.period().bad();
        assertThat(s.consumed()).isCloseTo(badInPeriod / (s.period().total() * 0.01), within(1e-12));
    }

    @Test
    void consumedBetweenIsZeroForAnAbsorbedDownEventAndTheNodesBadEventsForAVisibleOne() {
        SloEngine engine = SloEngine.inMemory(List.of(ACCESS, new SloSpec("submission", 0.99, Duration.ofDays(30))), at(NOW));
        // steady traffic for an hour: 10 access events a minute on imap-1/imap-2, 4 submissions via smtp-1
        Instant start = NOW.minus(Duration.ofHours(1));
        for (Instant m = start; m.isBefore(NOW); m = m.plusSeconds(60)) {
            boolean imap2Down = !m.isBefore(start.plusSeconds(600)) && m.isBefore(start.plusSeconds(900));
            record(engine, "access", m.plusSeconds(5), 5, 0, "imap-1");
            record(engine, "access", m.plusSeconds(7), imap2Down ? 0 : 5, imap2Down ? 5 : 0, "imap-2");
            record(engine, "submission", m.plusSeconds(9), 4, 0, "smtp-1"); // smtp-2 down, failover absorbs it
        }
        // imap-2 DOWN from +10m:03 to +14m:50 (minutes +10..+14 overlap it): 5 minutes x 5 bad
        BudgetImpact visible = engine.impactBetween("access", "imap-2", start.plusSeconds(603), start.plusSeconds(890), NOW);
        assertThat(visible.bad()).isEqualTo(25);
        assertThat(visible.good()).isZero();
        assertThat(visible.complete()).isTrue();
        assertThat(visible.absorbed()).isFalse();
        assertThat(visible.budgetConsumed()).isCloseTo(25 / (600 * 0.01), within(1e-12));
        assertThat(engine.consumedBetween("access", "imap-2", start.plusSeconds(603), start.plusSeconds(890)))
                .isCloseTo(25 / 6.0, within(1e-12));
        // the same interval ending on a minute boundary excludes the slice starting there
        assertThat(engine.impactBetween("access", "imap-2", start.plusSeconds(600), start.plusSeconds(840), NOW).bad()).isEqualTo(20);

        BudgetImpact absorbed = engine.impactBetween("submission", "smtp-2", start.plusSeconds(1200), start.plusSeconds(2400), NOW);
        assertThat(absorbed.bad()).isZero();
        assertThat(absorbed.budgetConsumed()).isZero();
        assertThat(absorbed.absorbed()).isTrue();
        assertThat(engine.consumedBetween("submission", "smtp-2", start.plusSeconds(1200), start.plusSeconds(2400))).isZero();
    }

    @Test
    void anIntervalOlderThanThePeriodIsIncompleteAndNotCalledAbsorbed() {
        SloEngine engine = SloEngine.inMemory(List.of(ACCESS), at(NOW));
        record(engine, "access", NOW.minusSeconds(100), 20, 0, "imap-1");
        BudgetImpact old = engine.impactBetween("access", "imap-1", NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(29)), NOW);
        assertThat(old.complete()).isFalse();
        assertThat(old.absorbed()).isFalse();
    }

    @Test
    void countsSurviveARestartInTheMiddleOfAWindow() throws Exception {
        Path db = dir.resolve("store.db");
        SloSnapshot before;
        try (Store store = Store.open(db)) {
            SloEngine engine = new SloEngine(List.of(ACCESS), store, at(NOW));
            feedExample(engine);
            before = engine.snapshot(NOW);
        }
        try (Store store = Store.open(db)) {
            SloEngine engine = new SloEngine(List.of(ACCESS), store, at(NOW));
            assertThat(engine.snapshot(NOW)).isEqualTo(before);
            // the restarted engine keeps adding to the same slices
            record(engine, "access", NOW.minus(Duration.ofMinutes(3)), 0, 2, "unknown");
            assertThat(engine.snapshot(NOW).slo("access").orElseThrow().window("5m").bad()).isEqualTo(3);
        }
        try (Store store = Store.open(db)) {
            SloEngine engine = new SloEngine(List.of(ACCESS), store, at(NOW.plusSeconds(30)));
            SloSnapshot.SloStatus s = engine.snapshot(NOW).slo("access").orElseThrow();
            assertThat(s.window("5m").bad()).isEqualTo(3);
            assertThat(s.window("5m").good()).isEqualTo(7);
            assertThat(s.window("30d").total()).isEqualTo(1006);
        }
    }

    @Test
    void slicesOlderThanTheLongestWindowAreNotLoadedBack() throws Exception {
        Path db = dir.resolve("store.db");
        try (Store store = Store.open(db)) {
            SloEngine engine = new SloEngine(List.of(ACCESS), store, at(NOW));
            record(engine, "access", NOW.minus(Duration.ofDays(45)), 0, 3, "imap-1");
            record(engine, "access", NOW.minus(Duration.ofDays(1)), 5, 0, "imap-1");
        }
        try (Store store = Store.open(db)) {
            SloEngine engine = new SloEngine(List.of(ACCESS), store, at(NOW));
            SloSnapshot.SloStatus s = engine.snapshot(NOW).slo("access").orElseThrow();
            assertThat(s.period().bad()).isZero();
            assertThat(s.period().good()).isEqualTo(5);
            try (var rs = store.connection().createStatement().executeQuery("SELECT count(*) FROM slo_slices")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1); // the 45-day-old slice was pruned
            }
        }
    }

    @Test
    void snapshotsAreSafeWhileAnotherThreadRecords() throws Exception {
        SloEngine engine = SloEngine.inMemory(List.of(ACCESS), at(NOW));
        Thread writer = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                engine.record(new SliEvent("access", NOW.minusSeconds(1 + i % 3_000), i % 7 != 0, "n" + (i % 3)));
            }
        });
        writer.start();
        while (writer.isAlive()) {
            SloSnapshot.SloStatus s = engine.snapshot(NOW).slo("access").orElseThrow();
            double sum = s.consumedByNode().values().stream().mapToDouble(Double::doubleValue).sum();
            assertThat(sum).isCloseTo(s.consumed(), within(1e-9));
        }
        writer.join();
        assertThat(engine.snapshot(NOW).slo("access").orElseThrow().period().total()).isEqualTo(20_000);
    }
}
