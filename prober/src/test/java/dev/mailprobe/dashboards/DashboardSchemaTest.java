package dev.mailprobe.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.prometheus.PrometheusServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both dashboards validate against Grafana's own dashboard schema: the types of npm
 * {@code @grafana/schema} (dashboard kind and each panel plugin's options) turned into JSON Schema
 * by {@code ts-json-schema-generator} and checked with Ajv ({@code tools/dashboards/validate.mjs},
 * installed by scripts/install-test-deps). The check must also reject a broken dashboard, and the
 * committed JSON must be what {@code tools/dashboards/build.mjs} builds.
 */
class DashboardSchemaTest {
    static final Path ROOT = PrometheusServer.projectRoot();
    static final List<Path> DASHBOARDS = List.of(ROOT.resolve("dashboards/mailprobe-availability.json"),
            ROOT.resolve("dashboards/mailprobe-node.json"));

    @TempDir
    Path dir;

    record Run(int exit, String output) {}

    static Run node(String... args) throws IOException, InterruptedException {
        Path tools = ROOT.resolve("tools/dashboards");
        assertThat(tools.resolve("node_modules/@grafana/schema")).as("run scripts/install-test-deps (npm ci in tools/dashboards)").isDirectory();
        List<String> command = new ArrayList<>(List.of("node"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("node " + String.join(" ", args) + " did not finish in 180 s: " + out);
        }
        return new Run(p.exitValue(), out);
    }

    @Test
    void bothDashboardsValidateAgainstGrafanasSchema() throws Exception {
        Run run = node("tools/dashboards/validate.mjs", DASHBOARDS.get(0).toString(), DASHBOARDS.get(1).toString());
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).contains("valid " + DASHBOARDS.get(0), "valid " + DASHBOARDS.get(1)).doesNotContain("INVALID");
    }

    @Test
    void theCheckRejectsWhatGrafanaWouldNot() throws Exception {
        JsonObject d = new JsonObject(Files.readString(DASHBOARDS.get(0)));
        // a typo in a panel option, an unknown dashboard field, an old schemaVersion, a hard-coded datasource
        d.getJsonArray("panels").getJsonObject(1).getJsonObject("options").put("colourMode", "value");
        d.put("refreshEvery", "30s");
        d.put("schemaVersion", 27);
        d.getJsonArray("panels").getJsonObject(2).getJsonArray("targets").getJsonObject(0)
                .put("datasource", new JsonObject().put("type", "prometheus").put("uid", "P1809F7CD0C75ACF3"));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, d.encodePrettily());
        Run run = node("tools/dashboards/validate.mjs", broken.toString());
        assertThat(run.exit()).as(run.output()).isEqualTo(1);
        assertThat(run.output()).contains("INVALID", "(colourMode)", "(refreshEvery)", "schemaVersion 27 is not the current",
                "does not use the ${datasource} variable");
    }

    @Test
    void theCommittedJsonIsWhatTheGeneratorBuilds() throws Exception {
        Run run = node("tools/dashboards/build.mjs", "--check");
        assertThat(run.exit()).as(run.output()).isZero();
    }

    @Test
    void uidsAreStableAndTheBoardsLinkEachOtherAndTheRunbooks() throws Exception {
        JsonObject availability = new JsonObject(Files.readString(DASHBOARDS.get(0)));
        JsonObject node = new JsonObject(Files.readString(DASHBOARDS.get(1)));
        assertThat(availability.getString("uid")).isEqualTo("mailprobe-availability");
        assertThat(node.getString("uid")).isEqualTo("mailprobe-node");
        for (JsonObject board : List.of(availability, node)) {
            String links = board.getJsonArray("links").encode();
            assertThat(links).contains("\"type\":\"dashboards\"", "\"tags\":[\"mailprobe\"]", "${runbooks}");
            assertThat(board.getJsonArray("tags").getList()).contains("mailprobe");
            assertThat(board.encode()).doesNotContain("\"uid\":\"P"); // no data source uid of some Grafana instance
        }
        assertThat(availability.encode()).contains("/d/mailprobe-node/");
    }
}
