package dev.mailprobe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.rules.RuleFile;
import dev.mailprobe.rules.RuleYaml;
import dev.mailprobe.rules.RulesGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One source of truth: the chart's dashboards are the repository's {@code dashboards/} (copied by
 * {@code scripts/sync-chart}, byte for byte), and its PrometheusRule holds the rules the generator
 * prints for the config the chart renders.
 */
class ChartSourcesTest {
    @TempDir
    Path dir;

    /** {@code *.json} of a directory by name, with their bytes; empty when the directory does not exist. */
    static Map<String, byte[]> jsonFiles(Path directory) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (Stream<Path> list = Files.list(directory)) {
            for (Path p : list.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void theChartsDashboardsAreTheRepositorysDashboardsByteForByte() throws IOException {
        Map<String, byte[]> source = jsonFiles(DeployTools.projectRoot().resolve("dashboards"));
        Map<String, byte[]> copy = jsonFiles(DeployTools.chart().resolve("dashboards"));
        assertThat(copy.keySet()).as("helm/mailprobe/dashboards/ lists the files of dashboards/: run scripts/sync-chart")
                .isEqualTo(source.keySet());
        source.forEach((name, bytes) -> assertThat(copy.get(name))
                .as("helm/mailprobe/dashboards/%s differs from dashboards/%s: run scripts/sync-chart", name, name)
                .isEqualTo(bytes));
    }

    /**
     * Whatever dashboards exist go into one ConfigMap for the Grafana sidecar, each byte for byte
     * under its file name. Checked on a copy of the chart with dashboards of its own (including
     * non-ASCII text and no final newline), so it holds before and after dashboards/ changes.
     */
    @Test
    void theDashboardsConfigMapCarriesEveryDashboardVerbatimWithTheSidecarLabel() throws Exception {
        Path chart = dir.resolve("mailprobe");
        copyTree(DeployTools.chart(), chart);
        Map<String, String> dashboards = Map.of(
                "mailprobe-availability.json", "{\n  \"title\": \"Mail availability — board\",\n  \"uid\": \"mailprobe-availability\",\n  \"panels\": []\n}\n",
                "mailprobe-node.json", "{\"title\":\"Node drill-down <&>\",\"uid\":\"mailprobe-node\",\"panels\":[]}");
        for (var e : dashboards.entrySet()) {
            Files.writeString(chart.resolve("dashboards").resolve(e.getKey()), e.getValue());
        }
        DeployTools.Outcome o = DeployTools.helm("template", "mail", chart.toString(), "--set", "dashboards.enabled=true",
                "--set", "dashboards.annotations.grafana_folder=Mail");
        assertThat(o.exitCode()).as(o.all()).isZero();
        JsonNode cm = DeployTools.documents(o.out()).stream()
                .filter(d -> d.at("/metadata/name").asText().equals("mail-mailprobe-dashboards")).findFirst().orElseThrow();
        assertThat(cm.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
        assertThat(cm.at("/metadata/annotations/grafana_folder").asText()).isEqualTo("Mail");
        assertThat(cm.path("data").size()).isEqualTo(dashboards.size());
        dashboards.forEach((name, content) -> assertThat(cm.at("/data/" + name).asText()).isEqualTo(content));

        DeployTools.Outcome notes = DeployTools.helm("install", "mail", chart.toString(), "--dry-run=client", "--set", "dashboards.enabled=true");
        assertThat(notes.out()).contains("Mail availability — board: /d/mailprobe-availability", "Node drill-down <&>: /d/mailprobe-node");

        DeployTools.Outcome off = DeployTools.helm("template", "mail", chart.toString());
        assertThat(off.out()).doesNotContain("grafana_dashboard");
    }

    /**
     * The PrometheusRule's groups equal the generator's rule file for the SLOs of the config the
     * chart renders (compared as parsed YAML: same groups, rules, expressions and labels, in order),
     * for the default values and the full-featured ones (28d period, 0.995 and 0.9995 objectives).
     */
    @Test
    void thePrometheusRuleHoldsTheGeneratorsRulesForTheRenderedConfig() throws Exception {
        for (String[] values : new String[][] {{"--set", "prometheusRule.enabled=true"}, {"-f", DeployTools.fullValues().toString()}}) {
            RenderedChart r = RenderedChart.render("mail", values);
            MailprobeConfig config = renderedConfig(r);
            JsonNode generated = generatedRules(config);
            JsonNode chartGroups = r.one("PrometheusRule").at("/spec/groups");
            assertThat(chartGroups.size()).isEqualTo(config.slos().size());
            assertSameGroups(chartGroups, generated.path("groups"));
        }
    }

    /** Other periods and objectives than the shipped ones: the Go template and the generator agree on every window list. */
    @Test
    void theRulesAgreeForEveryPeriodLengthAndObjectiveShape() throws Exception {
        Path values = Files.writeString(dir.resolve("slos.yaml"), """
                prometheusRule: {enabled: true}
                config:
                  slos:
                    - {name: delivery, objective: 0.99, window: 1d}
                    - {name: access, objective: 0.5, window: 2d}
                    - {name: submission, objective: 0.95, window: 3d}
                """);
        for (String[] extra : new String[][] {{}, {"--set", "config.slos[0].window=7d"}}) {
            String[] args = Stream.concat(Stream.of("-f", values.toString()), Stream.of(extra)).toArray(String[]::new);
            RenderedChart r = RenderedChart.render("mail", args);
            MailprobeConfig config = renderedConfig(r);
            JsonNode generated = generatedRules(config);
            assertSameGroups(r.one("PrometheusRule").at("/spec/groups"), generated.path("groups"));
        }
        RenderedChart none = RenderedChart.render("mail", "--set", "prometheusRule.enabled=true", "--set-json", "config.slos=[]");
        assertThat(none.ofKind("PrometheusRule")).as("no SLOs, no rules").isEmpty();
    }

    /**
     * The SLO recording rules the generator writes for {@code config} (the first file of
     * {@code mailprobe rules --config FILE --out DIR}, {@code mailprobe-slo.rules.yml}), parsed;
     * the chart's PrometheusRule holds those. This is the one place that names the generator.
     */
    static JsonNode generatedRules(MailprobeConfig config) throws IOException {
        RuleFile recordings = RulesGenerator.files(config, "config.yaml").get(0);
        return DeployTools.YAML.readTree(RuleYaml.render(recordings));
    }

    /** Equal rule groups, compared rule by rule so that a difference names its group and rule. */
    static void assertSameGroups(JsonNode chart, JsonNode generated) {
        assertThat(chart.findValuesAsText("name")).as("group names").isEqualTo(generated.findValuesAsText("name"));
        for (int g = 0; g < generated.size(); g++) {
            JsonNode expected = generated.get(g);
            JsonNode actual = chart.get(g);
            assertThat(actual.fieldNames()).toIterable().containsExactlyInAnyOrderElementsOf(() -> expected.fieldNames());
            assertThat(actual.path("rules").size()).as("rules in %s", expected.path("name").asText()).isEqualTo(expected.path("rules").size());
            for (int i = 0; i < expected.path("rules").size(); i++) {
                JsonNode rule = expected.path("rules").get(i);
                assertThat(actual.path("rules").get(i)).as("%s rule %d (%s%s)", expected.path("name").asText(), i,
                        rule.path("record").asText(), rule.path("alert").asText()).isEqualTo(rule);
            }
        }
    }

    private MailprobeConfig renderedConfig(RenderedChart r) throws Exception {
        // the default values need no secret; the full ones do: give the loader files to read
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        for (String key : new String[] {"probe-password", "monitor-password", "token-key"}) {
            Files.writeString(secrets.resolve(key), "secret-value-0123456789abcdef\n");
        }
        Path ca = Files.createDirectories(dir.resolve("ca"));
        Files.copy(DeployTools.projectRoot().resolve("prober/src/test/resources/config/ca.pem"), ca.resolve("ca.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String text = r.config().replace("/etc/mailprobe/secrets/", secrets + "/").replace("/etc/mailprobe/ca/", ca + "/");
        return ConfigLoader.parse(text, dir);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
