package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.SloSpec;
import dev.mailprobe.metrics.Exposition;
import dev.mailprobe.metrics.MetricsRegistry;
import dev.mailprobe.metrics.Promtool;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SloMetricsTest {
    static final Instant NOW = Instant.parse("2024-01-31T00:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final MetricsRegistry registry = new MetricsRegistry("c1", "v1", "test");
    private SloEngine engine;

    @AfterEach
    void close() {
        registry.close();
    }

    private SloMetrics metrics(List<SloSpec> slos) {
        engine = SloEngine.inMemory(slos, clock);
        return new SloMetrics(registry.registry(), engine, List.of("imap-1", "imap-2"), clock, Duration.ofSeconds(5));
    }

    private Exposition scrape() {
        return Exposition.parse(registry.scrape());
    }

    /** The series name with the labels in the exposition's (alphabetical) order, cluster and vantage added. */
    static String s(String name, String labels) {
        java.util.TreeSet<String> sorted = new java.util.TreeSet<>(List.of(labels.split(",")));
        sorted.add("cluster=\"c1\"");
        sorted.add("vantage=\"v1\"");
        return name + "{" + String.join(",", sorted) + "}";
    }

    @Test
    void everySeriesExistsBeforeTheFirstEvent() {
        metrics(List.of(new SloSpec("access", 0.999, Duration.ofDays(30)), new SloSpec("delivery", 0.999, Duration.ofDays(28))));
        Exposition e = scrape();
        for (String w : List.of("5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d")) {
            assertThat(e.value(s("mailprobe_slo_burn_rate", "slo=\"access\",window=\"" + w + "\""))).as(w).isPresent();
        }
        assertThat(e.value(s("mailprobe_slo_burn_rate", "slo=\"delivery\",window=\"28d\""))).isPresent();
        assertThat(e.value(s("mailprobe_slo_burn_rate", "slo=\"delivery\",window=\"30d\""))).isEmpty();
        assertThat(e.value(s("mailprobe_slo_burn_rate", "slo=\"access\",window=\"5m\"")).getAsDouble()).isNaN();
        assertThat(e.value(s("mailprobe_slo_error_budget_remaining_ratio", "slo=\"access\""))).hasValue(1.0);
        for (String node : List.of("imap-1", "imap-2", "unknown")) {
            for (String result : List.of("good", "bad")) {
                assertThat(e.value(s("mailprobe_sli_events_total", "node=\"" + node + "\",result=\"" + result + "\",slo=\"delivery\"")))
                        .hasValue(0.0);
            }
            assertThat(e.value(s("mailprobe_slo_error_budget_consumed_ratio", "node=\"" + node + "\",slo=\"access\""))).hasValue(0.0);
        }
    }

    @Test
    void countersCountEveryEventAndGaugesFollowTheSnapshot() {
        metrics(List.of(new SloSpec("access", 0.99, Duration.ofDays(30))));
        for (int i = 0; i < 18; i++) {
            engine.record(new SliEvent("access", NOW.minusSeconds(100), true, "imap-1"));
        }
        engine.record(new SliEvent("access", NOW.minusSeconds(100), false, "imap-2"));
        engine.record(new SliEvent("access", NOW.minusSeconds(100), false, "imap-9")); // unconfigured node: series made now
        engine.record(new SliEvent("other", NOW.minusSeconds(100), false, "imap-2"));  // unconfigured SLO: not counted
        Exposition e = scrape();
        assertThat(e.value(s("mailprobe_sli_events_total", "node=\"imap-1\",result=\"good\",slo=\"access\""))).hasValue(18.0);
        assertThat(e.value(s("mailprobe_sli_events_total", "node=\"imap-2\",result=\"bad\",slo=\"access\""))).hasValue(1.0);
        assertThat(e.value(s("mailprobe_sli_events_total", "node=\"imap-9\",result=\"bad\",slo=\"access\""))).hasValue(1.0);
        assertThat(registry.scrape()).doesNotContain("slo=\"other\"");
        // 20 events, 2 bad: error ratio 0.1, burn rate 10 (5m window is meaningful: 20 >= 10)
        assertThat(e.value(s("mailprobe_slo_burn_rate", "slo=\"access\",window=\"5m\""))).hasValue(0.1 / (1 - 0.99));
        assertThat(e.value(s("mailprobe_slo_error_budget_remaining_ratio", "slo=\"access\""))).hasValue(1 - 0.1 / (1 - 0.99));
        double consumed1 = e.value(s("mailprobe_slo_error_budget_consumed_ratio", "node=\"imap-1\",slo=\"access\"")).getAsDouble();
        double consumed2 = e.value(s("mailprobe_slo_error_budget_consumed_ratio", "node=\"imap-2\",slo=\"access\"")).getAsDouble();
        double consumed9 = e.value(s("mailprobe_slo_error_budget_consumed_ratio", "node=\"imap-9\",slo=\"access\"")).getAsDouble();
        assertThat(consumed1).isZero();
        assertThat(consumed2 + consumed9).isCloseTo(0.1 / (1 - 0.99), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void lowTrafficBurnRatesAreNaN() {
        metrics(List.of(new SloSpec("access", 0.99, Duration.ofDays(30))));
        for (int i = 0; i < 9; i++) {
            engine.record(new SliEvent("access", NOW.minusSeconds(10), i != 0, "imap-1"));
        }
        assertThat(scrape().value(s("mailprobe_slo_burn_rate", "slo=\"access\",window=\"5m\"")).getAsDouble()).isNaN();
        assertThat(scrape().value(s("mailprobe_slo_error_budget_remaining_ratio", "slo=\"access\"")).getAsDouble())
                .isCloseTo(1 - (1 / 9.0) / (1 - 0.99), org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void theSnapshotIsRefreshedAtMostEveryRefreshInterval() {
        SloMetrics metrics = metrics(List.of(new SloSpec("access", 0.99, Duration.ofDays(30))));
        SloSnapshot first = metrics.current();
        engine.record(new SliEvent("access", NOW.minusSeconds(10), false, "imap-1"));
        clock.now = NOW.plusSeconds(4);
        assertThat(metrics.current()).isSameAs(first);
        clock.now = NOW.plusSeconds(5);
        assertThat(metrics.current()).isNotSameAs(first);
        assertThat(metrics.current().slo("access").orElseThrow().period().bad()).isEqualTo(1);
    }

    @Test
    void theExpositionPassesPromtoolLint() throws Exception {
        metrics(List.of(new SloSpec("access", 0.999, Duration.ofDays(30))));
        String slo = registry.scrape().lines().filter(l -> l.contains("mailprobe_sl"))
                .reduce("", (a, b) -> a + b + "\n");
        Promtool.Outcome outcome = Promtool.checkMetrics(slo);
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    }

    static final class MutableClock extends Clock {
        volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
