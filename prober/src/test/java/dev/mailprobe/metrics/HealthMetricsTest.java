package dev.mailprobe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.ConfigFixtures;
import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.health.HealthEngine;
import dev.mailprobe.health.HealthEvents;
import dev.mailprobe.health.HealthFixtures;
import dev.mailprobe.store.Store;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthMetricsTest {
    private static final String LABELS = "cluster=\"test-cluster\",";
    private static final String VANTAGE = ",vantage=\"test-vantage\"";

    @TempDir
    Path dir;

    private final HealthFixtures.MutableClock clock = new HealthFixtures.MutableClock(HealthFixtures.t(0));
    private MetricsRegistry registry;
    private Store store;
    private HealthEngine engine;

    @BeforeEach
    void start() throws Exception {
        MailprobeConfig config = ConfigFixtures.small(dir.resolve("store.db"));
        registry = new MetricsRegistry(config.cluster(), config.vantage(), "test");
        store = Store.open(config.store().path());
        engine = new HealthEngine(HealthSettings.DEFAULTS, HealthEngine.checksOf(config), new HealthEvents(store), clock);
        new HealthMetrics(registry.registry(), engine);
    }

    @AfterEach
    void stop() {
        store.close();
        registry.close();
    }

    private Exposition scrape() {
        return Exposition.parse(registry.scrape());
    }

    private static String up(String node) {
        return "mailprobe_node_up{" + LABELS + "node=\"" + node + "\"" + VANTAGE + "}";
    }

    private static String downEvents(String node, String reason) {
        return "mailprobe_node_down_events_total{" + LABELS + "node=\"" + node + "\",reason=\"" + reason + "\"" + VANTAGE + "}";
    }

    private static String downtime(String node) {
        return "mailprobe_node_downtime_seconds_total{" + LABELS + "node=\"" + node + "\"" + VANTAGE + "}";
    }

    @Test
    void everySeriesOfEveryNodeExistsBeforeTheFirstProbe() {
        Exposition e = scrape();
        for (String node : new String[] {"smtp-1", "imap-1"}) {
            assertThat(e.value(up(node))).hasValue(1.0);
            assertThat(e.value(downtime(node))).hasValue(0.0);
            for (String reason : new String[] {"refused", "timeout", "tls_error", "auth_failed", "rejected",
                    "protocol_error", "dns_error", "io_error", "lost"}) {
                assertThat(e.value(downEvents(node, reason))).as(node + " " + reason).hasValue(0.0);
            }
        }
        assertThat(HealthMetrics.REASONS).hasSize(9);
        assertThat(e.hasFamily("mailprobe_node_up{" + LABELS + "node=\"mx\"")).as("entry points have no node state").isFalse();
        assertThat(registry.scrape()).doesNotContain("node=\"mx\",reason");
    }

    @Test
    void upEventsAndDowntimeFollowTheStateMachine() throws Exception {
        feed(HealthFixtures.refused("imap-1", Protocol.IMAP, HealthFixtures.t(0)));
        assertThat(scrape().value(up("imap-1"))).as("suspect still counts as up").hasValue(1.0);
        feed(HealthFixtures.refused("imap-1", Protocol.IMAP, HealthFixtures.t(30)));
        Exposition e = scrape();
        assertThat(e.value(up("imap-1"))).hasValue(0.0);
        assertThat(e.value(up("smtp-1"))).hasValue(1.0);
        assertThat(e.value(downEvents("imap-1", "refused"))).hasValue(1.0);
        assertThat(e.value(downEvents("imap-1", "timeout"))).hasValue(0.0);
        assertThat(e.value(downtime("imap-1"))).hasValue(30.0);
        clock.set(HealthFixtures.t(50));
        assertThat(scrape().value(downtime("imap-1"))).hasValue(50.0);
        feed(HealthFixtures.ok("imap-1", Protocol.IMAP, HealthFixtures.t(60)));
        feed(HealthFixtures.ok("imap-1", Protocol.IMAP, HealthFixtures.t(90)));
        e = scrape();
        assertThat(e.value(up("imap-1"))).hasValue(1.0);
        assertThat(e.value(downtime("imap-1"))).hasValue(60.0);
        assertThat(e.value(downEvents("imap-1", "refused"))).hasValue(1.0);
        assertThat(Promtool.checkMetrics(registry.scrape()).output()).isEmpty();
    }

    private void feed(dev.mailprobe.probe.ProbeResult r) {
        clock.set(r.startedAt());
        engine.observe(r);
    }
}
