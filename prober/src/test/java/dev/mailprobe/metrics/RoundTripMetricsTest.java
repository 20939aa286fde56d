package dev.mailprobe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Account;
import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.RoundTripSettings;
import dev.mailprobe.config.Secret;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.probe.roundtrip.Outcome;
import dev.mailprobe.probe.roundtrip.RoundTripResult;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundTripMetricsTest {
    static final Account PROBE = new Account("probe", "probe@example.net", Secret.of("pw", "test"));

    static MailprobeConfig config(RoundTripSettings.Matrix matrix) {
        ProbeSettings s = ProbeSettings.DEFAULTS;
        Endpoint smtp = new Endpoint(Protocol.SMTP, 25, TlsMode.NONE, null, s);
        Endpoint imap = new Endpoint(Protocol.IMAP, 143, TlsMode.NONE, PROBE, s);
        RoundTripSettings rt = new RoundTripSettings(Duration.ofSeconds(60), "probe@example.net", "probe@example.net",
                PROBE, Duration.ofSeconds(7), Duration.ofMinutes(10), Secret.of("k", "test"), matrix);
        return new MailprobeConfig("c1", null, MailprobeConfig.Http.DEFAULTS, new MailprobeConfig.Store(Path.of("x.db")), s,
                Map.of("probe", PROBE),
                List.of(new Node("smtp-1", "h", null, Map.of(Protocol.SMTP, smtp)), new Node("smtp-2", "h", null, Map.of(Protocol.SMTP, smtp)),
                        new Node("imap-1", "h", null, Map.of(Protocol.IMAP, imap)), new Node("imap-2", "h", null, Map.of(Protocol.IMAP, imap))),
                List.of(new EntryPoint("mx", List.of("smtp-1"), null, EntryPoint.Selection.FAILOVER, Map.of(Protocol.SMTP, smtp)),
                        new EntryPoint("mailbox", List.of("imap-1"), null, EntryPoint.Selection.FAILOVER, Map.of(Protocol.IMAP, imap))),
                rt, List.of(), List.of());
    }

    static String series(String name, String send, String fetch, String extra) {
        // labels as exposed: cluster, fetch_node, send_node, then le
        return name + "{cluster=\"c1\",fetch_node=\"" + fetch + "\",send_node=\"" + send + "\"" + extra + "}";
    }

    @Test
    void everySeriesOfEveryPathExistsUpFrontEvenInCoverMode() throws Exception {
        MetricsRegistry registry = new MetricsRegistry("c1", null, "test");
        new RoundTripMetrics(registry.registry(), config(RoundTripSettings.Matrix.COVER));
        Exposition e = Exposition.parse(registry.scrape());
        for (String[] path : new String[][] {{"smtp-1", "imap-1"}, {"smtp-1", "imap-2"}, {"smtp-2", "imap-1"},
                {"smtp-2", "imap-2"}, {"mx", "mailbox"}}) {
            for (Outcome o : Outcome.values()) {
                assertThat(e.value("mailprobe_roundtrips_total{cluster=\"c1\",fetch_node=\"" + path[1] + "\",result=\""
                        + o.label() + "\",send_node=\"" + path[0] + "\"}")).as(path[0] + "->" + path[1] + " " + o).hasValue(0);
            }
            assertThat(e.value(series("mailprobe_roundtrip_seconds_count", path[0], path[1], ""))).hasValue(0);
        }
        registry.close();
    }

    @Test
    void bucketsIncludeDeliveredWithinExactly() throws Exception {
        MetricsRegistry registry = new MetricsRegistry("c1", null, "test");
        RoundTripMetrics m = new RoundTripMetrics(registry.registry(), config(RoundTripSettings.Matrix.FULL));
        m.record(new RoundTripResult("a", "mx", "mailbox", "smtp-1", "imap-1", Instant.now(), Duration.ofMillis(6900),
                Outcome.DELIVERED, "", List.of()));
        m.record(new RoundTripResult("b", "mx", "mailbox", "smtp-1", "imap-1", Instant.now(), Duration.ofMillis(7100),
                Outcome.LATE, "", List.of()));
        m.record(new RoundTripResult("c", "mx", "mailbox", "smtp-1", "imap-1", Instant.now(), null, Outcome.LOST, "", List.of()));
        m.record(new RoundTripResult("d", "nowhere", "mailbox", "x", "y", Instant.now(), null, Outcome.LOST, "", List.of()));
        String text = registry.scrape();
        Exposition e = Exposition.parse(text);
        assertThat(e.value(series("mailprobe_roundtrip_seconds_bucket", "mx", "mailbox", ",le=\"7.0\""))).hasValue(1);
        assertThat(e.value(series("mailprobe_roundtrip_seconds_bucket", "mx", "mailbox", ",le=\"10.0\""))).hasValue(2);
        assertThat(e.value(series("mailprobe_roundtrip_seconds_bucket", "mx", "mailbox", ",le=\"600.0\""))).hasValue(2);
        assertThat(e.value(series("mailprobe_roundtrip_seconds_bucket", "mx", "mailbox", ",le=\"0.01\""))).hasValue(0);
        assertThat(e.value(series("mailprobe_roundtrip_seconds_count", "mx", "mailbox", ""))).hasValue(2);
        assertThat(e.value("mailprobe_roundtrips_total{cluster=\"c1\",fetch_node=\"mailbox\",result=\"lost\",send_node=\"mx\"}")).hasValue(1);
        assertThat(e.value("mailprobe_roundtrips_total{cluster=\"c1\",fetch_node=\"mailbox\",result=\"late\",send_node=\"mx\"}")).hasValue(1);
        assertThat(text).doesNotContain("nowhere");
        assertThat(Promtool.checkMetrics(text).output()).isEmpty();
        registry.close();
    }

    @Test
    void ladderStopsAtLostAfter() {
        assertThat(RoundTripMetrics.buckets(Duration.ofSeconds(5), Duration.ofSeconds(30)))
                .contains(Duration.ofSeconds(5), Duration.ofSeconds(30))
                .doesNotContain(Duration.ofSeconds(60))
                .isSorted();
    }
}
