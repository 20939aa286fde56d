package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Protocol;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Expected SLI events per hour, from the schedule, as SliClassifier would count them. */
class ExpectedTrafficTest {
    static MailprobeConfig example() throws Exception {
        return ConfigLoader.load(SloRulesTest.projectRoot().resolve("prober/src/main/resources/example.yaml"), true);
    }

    @Test
    void theExampleConfigExpectsItsEntryPointProbesAndCustomerRoundTrips() throws Exception {
        MailprobeConfig c = example();
        // mailbox imap + pop3 every 30s; mx submission every 30s; 1 customer path (mx -> mailbox) every 60s
        assertThat(ExpectedTraffic.of(c, "access").eventsPerHour()).isEqualTo(240.0);
        assertThat(ExpectedTraffic.of(c, "access").sources()).containsExactly("mailbox imap every 30s", "mailbox pop3 every 30s");
        assertThat(ExpectedTraffic.of(c, "submission").eventsPerHour()).isEqualTo(120.0);
        assertThat(ExpectedTraffic.of(c, "delivery").eventsPerHour()).isEqualTo(60.0);
        assertThat(ExpectedTraffic.of(c, "delivery").sources()).containsExactly("1 customer path, a round trip every 1m");
    }

    @Test
    void perProtocolIntervalsNodeProbesAndSmtpCountAsTheClassifierCounts() throws Exception {
        MailprobeConfig c = ConfigLoader.parse("""
                accounts: {p: {username: p@example.net, passwordEnv: X}}
                nodes:
                  - {name: a, host: 10.0.0.1, protocols: {smtp: {}, submission: {account: p}, imap: {account: p}}}
                entryPoints:
                  - name: mx
                    via: [a]
                    protocols: {smtp: {}, submission: {account: p, interval: 10s, timeout: 5s}}
                  - name: box
                    host: imap.example.net
                    interval: 1m
                    protocols: {imap: {account: p}, pop3: {account: p, interval: 15s}}
                """, Path.of("."), n -> "x", true);
        assertThat(ExpectedTraffic.of(c, "access").eventsPerHour()).isEqualTo(60 + 240);
        assertThat(ExpectedTraffic.of(c, "submission").eventsPerHour()).isEqualTo(360);
        assertThat(ExpectedTraffic.of(c, "delivery").eventsPerHour()).as("no roundTrip").isZero();
        for (Protocol p : Protocol.values()) {
            List<SliEvent> events = SliClassifier.classify(SliClassifierTest.result("ep", true, p, "a", true));
            assertThat(ExpectedTraffic.sloOf(p)).as(p.label()).isEqualTo(events.isEmpty() ? "" : events.get(0).slo());
        }
    }

    @Test
    void lowTrafficWarnsWhereOneFailureFiresATierAndWhereAnSloHasNoEvents() throws Exception {
        MailprobeConfig example = example();
        List<LowTraffic.SloLines> lines = LowTraffic.of(example);
        assertThat(LowTraffic.warnings(lines)).as("the example's guards hold").isEmpty();
        LowTraffic.TierLine delivery1h = lines.get(0).tiers().get(0);
        assertThat(delivery1h.eventsInLong()).isEqualTo(60.0);
        assertThat(LowTraffic.number(delivery1h.oneFailureBurn())).isEqualTo("16.7");
        assertThat(delivery1h.guarded()).as("60 events < guard 70: silent").isTrue();
        assertThat(delivery1h.oneFailureFires()).isFalse();

        MailprobeConfig lowGuard = ConfigLoader.parse("""
                accounts: {p: {username: p@example.net, passwordEnv: X}}
                nodes:
                  - {name: a, host: 10.0.0.1, protocols: {submission: {account: p}, imap: {account: p}}}
                entryPoints:
                  - {name: mx, via: [a], protocols: {submission: {account: p}}}
                  - {name: box, via: [a], protocols: {imap: {account: p}}}
                roundTrip: {account: p, tokenKeyEnv: K, interval: 1m}
                alerting: {minEvents: {page-1h: 10}}
                """, Path.of("."), n -> "0123456789abcdef0123", true);
        List<String> warnings = LowTraffic.warnings(LowTraffic.of(lowGuard));
        assertThat(warnings).containsExactly(
                "slos[0] (delivery): one failure fires page-1h (page): 60 events in 1h, one failure burns 16.7x > 14.4x, "
                        + "and the guard (minEvents 10) lets it through; probe more often, or raise page-1h in minEvents to at least 70");

        MailprobeConfig noEntryPoints = ConfigLoader.parse("""
                nodes: [{name: a, host: 10.0.0.1, protocols: {smtp: {}}}]
                """, Path.of("."), n -> null, true);
        assertThat(LowTraffic.warnings(LowTraffic.of(noEntryPoints))).containsExactly(
                "slos[0] (delivery): no SLI events expected (no roundTrip, or no customer path between entry points): its alerts can never fire",
                "slos[1] (access): no SLI events expected (no entry point offers imap or pop3): its alerts can never fire",
                "slos[2] (submission): no SLI events expected (no entry point offers submission): its alerts can never fire");
    }
}
