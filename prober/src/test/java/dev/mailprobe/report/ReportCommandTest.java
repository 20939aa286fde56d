package dev.mailprobe.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.cli.Main;
import dev.mailprobe.health.HealthEvents;
import dev.mailprobe.store.Store;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code mailprobe report} as a user runs it: text and JSON, and its errors. */
class ReportCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void jsonFollowsTheContractEvenWithNoEvents() throws Exception {
        Path store = dir.resolve("empty.db");
        try (Store s = Store.open(store)) {
            new HealthEvents(s);
        }
        Path config = ReportFixtures.file(dir, store);
        assertThat(run("report", "--config", config.toString(), "--format", "json", "--since", "30d")).as(err.toString()).isZero();
        JsonObject json = new JsonObject(out.toString());
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
        assertThat(out.toString()).contains("DOWN events").contains("none").contains("Crash pattern");
    }

    @Test
    void aMissingStoreIsAnErrorThatSaysWhere() throws Exception {
        Path config = ReportFixtures.file(dir, dir.resolve("never-written.db"));
        assertThat(run("report", "--config", config.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no store at").contains("never-written.db");
    }

    @Test
    void aBadSinceIsAUsageError() throws Exception {
        Path config = ReportFixtures.file(dir, dir.resolve("x.db"));
        assertThat(run("report", "--config", config.toString(), "--since", "last tuesday")).isEqualTo(2);
        assertThat(err.toString()).contains("--since").contains("last tuesday");
    }

    @Test
    void sinceTakesADurationOrAnRfc3339Time() {
        java.time.Instant now = java.time.Instant.parse("2026-03-02T00:00:00Z");
        assertThat(dev.mailprobe.cli.ReportSince.parse("7d", now)).isEqualTo(java.time.Instant.parse("2026-02-23T00:00:00Z"));
        assertThat(dev.mailprobe.cli.ReportSince.parse("2026-03-01T12:00:00Z", now)).isEqualTo(java.time.Instant.parse("2026-03-01T12:00:00Z"));
    }
}
