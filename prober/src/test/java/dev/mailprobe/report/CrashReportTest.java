package dev.mailprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.health.Evidence;
import dev.mailprobe.health.HealthEngine;
import dev.mailprobe.health.HealthEvents;
import dev.mailprobe.slo.SliEvent;
import dev.mailprobe.slo.SloEngine;
import dev.mailprobe.store.Store;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report over a store written by the real health and SLO engines: per-node MTBF/MTTR, budget
 * per incident (absorbed or not), and a crash pattern that follows a 15-minute sweep.
 */
class CrashReportTest {
    static final Instant NOW = Instant.parse("2026-03-02T00:00:00Z");
    static final Instant SINCE = NOW.minus(Duration.ofDays(7));

    @TempDir
    Path dir;

    @Test
    void anAbsorbedAndACustomerVisibleCrashWithTheirBudgets() throws Exception {
        try (Store store = Store.open(dir.resolve("s.db"))) {
            HealthEvents events = new HealthEvents(store);
            HealthEngine health = engine(events);
            SloEngine slo = new SloEngine(ReportFixtures.config(dir).slos(), store, Clock.fixed(NOW, ZoneOffset.UTC));
            Instant crash = NOW.minus(Duration.ofHours(2));
            // background traffic: 200 good access events over the last 3 hours through imap-2
            for (int i = 0; i < 200; i++) {
                slo.record(new SliEvent("access", NOW.minus(Duration.ofHours(3)).plusSeconds(i * 50L), true, "imap-2"));
            }
            // smtp-1 down for 10 minutes, absorbed by failover: no bad SLI event from it
            down(health, "smtp-1", Protocol.SMTP, crash, Duration.ofMinutes(10));
            // imap-1 down for 5 minutes: 4 customers failed through it
            down(health, "imap-1", Protocol.IMAP, crash.plus(Duration.ofMinutes(30)), Duration.ofMinutes(5));
            for (int i = 0; i < 4; i++) {
                slo.record(new SliEvent("access", crash.plus(Duration.ofMinutes(31 + i)), false, "imap-1"));
            }

            CrashReport r = CrashReportBuilder.build(ReportFixtures.config(dir),
                    events.events(Optional.empty(), SINCE, Optional.empty()), slo, SINCE, NOW);

            assertThat(r.events()).hasSize(2);
            CrashReport.Event imap = r.events().get(0);
            CrashReport.Event smtp = r.events().get(1);
            assertThat(imap.node()).isEqualTo("imap-1");
            assertThat(imap.absorbed()).isFalse();
            assertThat(imap.badEvents()).isEqualTo(4);
            // 4 bad of 204 events in the 30d window, budget 0.1 %: 4 / (204 * 0.001)
            assertThat(imap.budgetConsumed().get("access")).isCloseTo(4 / (204 * 0.001), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(smtp.node()).isEqualTo("smtp-1");
            assertThat(smtp.absorbed()).isTrue();
            assertThat(smtp.budgetConsumed().values()).allMatch(v -> v == 0.0);
            assertThat(smtp.end()).isEqualTo(crash.plus(Duration.ofMinutes(10)));

            JsonObject json = CrashReportJson.toJson(r);
            JsonObject smtpNode = json.getJsonArray("nodes").stream().map(JsonObject.class::cast)
                    .filter(n -> n.getString("node").equals("smtp-1")).findFirst().orElseThrow();
            assertThat(smtpNode.getInteger("downEvents")).isEqualTo(1);
            assertThat(smtpNode.getDouble("downtimeSeconds")).isEqualTo(600.0);
            assertThat(smtpNode.getDouble("mttrSeconds")).isEqualTo(600.0);
            // uptime in the 7-day window over one failure
            assertThat(smtpNode.getDouble("mtbfSeconds")).isEqualTo(7 * 86400.0 - 600.0);
            JsonObject smtp2 = json.getJsonArray("nodes").stream().map(JsonObject.class::cast)
                    .filter(n -> n.getString("node").equals("smtp-2")).findFirst().orElseThrow();
            assertThat(smtp2.getValue("mtbfSeconds")).isNull();
            assertThat(smtp2.getValue("mttrSeconds")).isNull();
            JsonObject event = json.getJsonArray("events").getJsonObject(1);
            assertThat(event.fieldNames()).contains("node", "start", "end", "reason", "absorbed", "budgetConsumed");
            assertThat(event.getString("start")).isEqualTo(crash.toString());
            assertThat(json.getJsonObject("pattern").fieldNames()).contains("found", "periodSeconds", "phaseSeconds", "pValue", "onsets");
            assertThat(json.getJsonArray("knownJobs").getJsonObject(0).fieldNames()).contains("name", "cron", "aligned", "of");

            String text = CrashReportText.render(r);
            assertThat(text).contains("absorbed: no budget burned").contains("of the access budget").contains("smtp-1");
        }
    }

    @Test
    void crashesThatFollowTheSweepAreFoundAsAPatternAndAlignedWithTheKnownJob() throws Exception {
        try (Store store = Store.open(dir.resolve("p.db"))) {
            HealthEvents events = new HealthEvents(store);
            HealthEngine health = engine(events);
            SloEngine slo = new SloEngine(ReportFixtures.config(dir).slos(), store, Clock.fixed(NOW, ZoneOffset.UTC));
            // 16 crashes over 6 days on random-looking nodes, each 10-40 s after a quarter hour (the ps sweep)
            java.util.Random random = new java.util.Random(7);
            String[] nodes = {"smtp-1", "smtp-2", "imap-1", "imap-2"};
            Instant slot0 = SINCE.plus(Duration.ofHours(6));
            long quarter = 0;
            for (int i = 0; i < 16; i++) {
                quarter += 20 + random.nextInt(500);
                Instant onset = slot0.plus(Duration.ofMinutes(15 * quarter)).plusSeconds(10 + random.nextInt(30));
                String node = nodes[random.nextInt(4)];
                down(health, node, node.startsWith("smtp") ? Protocol.SMTP : Protocol.IMAP, onset, Duration.ofMinutes(3));
            }
            CrashReport r = CrashReportBuilder.build(ReportFixtures.config(dir),
                    events.events(Optional.empty(), SINCE, Optional.empty()), slo, SINCE, NOW);
            assertThat(r.events()).hasSize(16);
            assertThat(r.pattern().periodicity().found()).as(r.pattern().describe()).isTrue();
            assertThat(r.pattern().periodicity().periodSeconds()).isCloseTo(900.0, org.assertj.core.data.Percentage.withPercentage(2));
            assertThat(r.pattern().knownJobs().get(0).aligned()).isEqualTo(16);
            assertThat(r.pattern().knownJobs().get(0).significant()).isTrue();
            assertThat(CrashReportText.render(r)).contains("15m0s").contains("ps-sweep");
        }
    }

    private static HealthEngine engine(HealthEvents events) {
        Map<String, Set<String>> checks = Map.of(
                "smtp-1", Set.of("smtp"), "smtp-2", Set.of("smtp"), "imap-1", Set.of("imap"), "imap-2", Set.of("imap"));
        return new HealthEngine(HealthSettings.DEFAULTS, checks, events, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Probes every 30 s: failing from {@code start} for {@code length}, then healthy again. */
    private static void down(HealthEngine health, String node, Protocol p, Instant start, Duration length) {
        for (Instant t = start; t.isBefore(start.plus(length)); t = t.plusSeconds(30)) {
            health.observe(node, p, t, false, Evidence.minimal(t, node, p.label(), "refused", "connection refused"));
        }
        Instant back = start.plus(length);
        health.observe(node, p, back, true, null);
        health.observe(node, p, back.plusSeconds(30), true, null);
    }
}
