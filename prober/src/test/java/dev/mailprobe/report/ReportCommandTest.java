package dev.mailprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.cli.CliRun;
import dev.mailprobe.health.HealthEvents;
import dev.mailprobe.store.Store;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailprobe report} as a user runs it: text and JSON, and its errors. */
class ReportCommandTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void jsonFollowsTheContractEvenWithNoEvents() throws Exception {
        Path store = dir.resolve("empty.db");
        try (Store s = Store.open(store)) {
            new HealthEvents(s);
        }
        Path config = ReportFixtures.file(dir, store);
        assertThat(run("report", "--config", config.toString(), "--format", "json", "--since", "30d")).as(cli.err()).isZero();
        JsonObject json = new JsonObject(cli.out());
        assertThat(json.fieldNames()).contains("nodes", "events", "pattern", "knownJobs");
        assertThat(json.getJsonArray("nodes")).hasSize(4);
        assertThat(json.getJsonArray("events")).isEmpty();
        assertThat(json.getJsonObject("pattern").getBoolean("found")).isFalse();
    }

    @Test
    void textSaysPlainlyThatThereWasNothingToFind() throws Exception {
        Path store = dir.resolve("empty.db");
        try (Store s = Store.open(store)) {
            new HealthEvents(s);
        }
        assertThat(run("report", "--config", ReportFixtures.file(dir, store).toString())).isZero();
        assertThat(cli.out()).contains("DOWN events").contains("none").contains("Crash pattern");
    }

    @Test
    void uptimeIsCountedOnlySinceMailprobeFirstWatched() throws Exception {
        Path store = dir.resolve("watched.db");
        java.time.Instant now = java.time.Instant.now();
        java.time.Instant firstRun = now.minus(java.time.Duration.ofHours(2));
        try (Store s = Store.open(store)) {
            new dev.mailprobe.store.ProberRuns(s).started(firstRun);
            dev.mailprobe.health.HealthEngine health = new dev.mailprobe.health.HealthEngine(
                    dev.mailprobe.config.HealthSettings.DEFAULTS,
                    java.util.Map.of("smtp-1", java.util.Set.of("smtp")), new HealthEvents(s), java.time.Clock.systemUTC());
            java.time.Instant crash = now.minus(java.time.Duration.ofHours(1));
            for (int i = 0; i < 20; i++) {
                java.time.Instant t = crash.plusSeconds(30L * i);
                health.observe("smtp-1", dev.mailprobe.config.Protocol.SMTP, t, false,
                        dev.mailprobe.health.Evidence.minimal(t, "smtp-1", "smtp", "refused", "connection refused"));
            }
            health.observe("smtp-1", dev.mailprobe.config.Protocol.SMTP, crash.plusSeconds(600), true, null);
            health.observe("smtp-1", dev.mailprobe.config.Protocol.SMTP, crash.plusSeconds(630), true, null);
        }
        assertThat(run("report", "--config", ReportFixtures.file(dir, store).toString(), "--format", "json", "--since", "7d")).isZero();
        JsonObject smtp = new JsonObject(cli.out()).getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .filter(n -> n.getString("node").equals("smtp-1")).findFirst().orElseThrow();
        assertThat(smtp.getInteger("downEvents")).isEqualTo(1);
        // 2 h watched, 10 min down: MTBF about 1 h 50 min, not 7 days
        assertThat(smtp.getDouble("mtbfSeconds")).isBetween(2 * 3600.0 - 600 - 5, 2 * 3600.0 - 600 + 5);
    }

    @Test
    void aMissingStoreIsAnErrorThatSaysWhere() throws Exception {
        Path config = ReportFixtures.file(dir, dir.resolve("never-written.db"));
        assertThat(run("report", "--config", config.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("no store at").contains("never-written.db");
    }

    @Test
    void aBadSinceIsAUsageError() throws Exception {
        Path config = ReportFixtures.file(dir, dir.resolve("x.db"));
        assertThat(run("report", "--config", config.toString(), "--since", "last tuesday")).isEqualTo(2);
        assertThat(cli.err()).contains("--since").contains("last tuesday");
    }

    @Test
    void sinceTakesADurationOrAnRfc3339Time() {
        java.time.Instant now = java.time.Instant.parse("2026-03-02T00:00:00Z");
        assertThat(dev.mailprobe.cli.ReportSince.parse("7d", now)).isEqualTo(java.time.Instant.parse("2026-02-23T00:00:00Z"));
        assertThat(dev.mailprobe.cli.ReportSince.parse("2026-03-01T12:00:00Z", now)).isEqualTo(java.time.Instant.parse("2026-03-01T12:00:00Z"));
    }
}
