package dev.mailprobe.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mailprobe.config.AlertingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What every shipped alert promises (DESIGN.md, docs/ALERTS.md): {@code severity} critical|warning
 * with the matching {@code sloth_severity} page|ticket; {@code summary}, {@code description},
 * {@code runbook_url} and {@code dashboard_url}; a runbook that exists, with its three parts; and
 * promtool unit tests under {@code alerts/tests/} that fire it, keep it silent and reset it.
 */
class AlertContractTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    /** Every alerting rule of the shipped files, as parsed YAML. */
    static List<JsonNode> shippedAlerts() throws Exception {
        List<JsonNode> alerts = new ArrayList<>();
        for (String file : ShippedRulesTest.ymlFiles(ShippedRules.rulesDir())) {
            for (JsonNode group : YAML.readTree(Path.of(file).toFile()).get("groups")) {
                for (JsonNode rule : group.get("rules")) {
                    if (rule.has("alert")) {
                        alerts.add(rule);
                    }
                }
            }
        }
        return alerts;
    }

    @Test
    void everyAlertCarriesSeverityAndSlothSeverityAndTheFourAnnotations() throws Exception {
        List<JsonNode> alerts = shippedAlerts();
        Set<String> names = new TreeSet<>();
        for (JsonNode rule : alerts) {
            String name = rule.get("alert").asText();
            names.add(name);
            JsonNode labels = rule.get("labels");
            String severity = labels.path("severity").asText();
            assertThat(severity).as(name).isIn("critical", "warning");
            assertThat(labels.path("sloth_severity").asText()).as(name).isEqualTo(severity.equals("critical") ? "page" : "ticket");
            JsonNode annotations = rule.get("annotations");
            for (String key : List.of("summary", "description", "runbook_url", "dashboard_url")) {
                assertThat(annotations.path(key).asText()).as(name + " " + key).isNotBlank();
            }
            assertThat(annotations.get("runbook_url").asText()).as(name)
                    .isEqualTo(AlertingSettings.DEFAULT_RUNBOOK_URL + "/" + name + ".md");
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(AlertNames.ALL);
    }

    @Test
    void burnRateAlertsCarryTheSlothAndTierLabelsAndNameTheBurningNode() throws Exception {
        Set<String> tiers = new HashSet<>();
        for (JsonNode rule : shippedAlerts()) {
            if (!rule.get("alert").asText().equals(AlertNames.ERROR_BUDGET_BURN)) {
                continue;
            }
            JsonNode labels = rule.get("labels");
            for (String key : List.of("sloth_id", "sloth_service", "sloth_slo", "slo", "burnrate_tier", "long", "short")) {
                assertThat(labels.path(key).asText()).as(key).isNotBlank();
            }
            assertThat(labels.get("sloth_id").asText()).isEqualTo("mailprobe-" + labels.get("slo").asText());
            tiers.add(labels.get("burnrate_tier").asText());
            assertThat(rule.get("annotations").fieldNames()).toIterable()
                    .contains("burning_node", "burning_node_share", "burning_node_state");
        }
        assertThat(tiers).containsExactlyInAnyOrderElementsOf(AlertingSettings.TIERS);
    }

    @Test
    void nodeAlertsAreLabelledWithTheNodeWhereverTheyFire() throws Exception {
        Set<String> nodeAlerts = Set.of(AlertNames.NODE_DOWN_CUSTOMER_IMPACT, AlertNames.NODE_DOWN_ABSORBED,
                AlertNames.NODE_FLAPPING, AlertNames.NODE_DOWN_FROM_QUORUM, AlertNames.TLS_CERTIFICATE_EXPIRING,
                AlertNames.PROBE_LOAD_ABOVE_LIMIT);
        Set<String> seen = new HashSet<>();
        for (String file : ShippedRulesTest.ymlFiles(ShippedRules.testsDir())) {
            for (JsonNode test : YAML.readTree(Path.of(file).toFile()).get("tests")) {
                for (JsonNode t : test.path("alert_rule_test")) {
                    String alert = t.get("alertname").asText();
                    if (!nodeAlerts.contains(alert)) {
                        continue;
                    }
                    for (JsonNode a : t.path("exp_alerts")) {
                        assertThat(a.path("exp_labels").path("node").asText()).as(alert + " at " + t.get("eval_time")).isNotBlank();
                        seen.add(alert);
                    }
                }
            }
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(nodeAlerts);
    }

    @Test
    void everyAlertHasARunbookWithItsThreePartsAndExactCommands() throws Exception {
        Set<String> pages = new TreeSet<>();
        try (Stream<Path> files = Files.list(ShippedRules.runbooksDir())) {
            files.map(p -> p.getFileName().toString()).filter(f -> !f.equals("README.md")).forEach(pages::add);
        }
        assertThat(pages).containsExactlyInAnyOrderElementsOf(AlertNames.ALL.stream().map(n -> n + ".md").toList());
        for (String alert : AlertNames.ALL) {
            String page = Files.readString(ShippedRules.runbooksDir().resolve(alert + ".md"));
            assertThat(page).as(alert).startsWith("# " + alert + "\n")
                    .contains("## What it means", "## First three checks", "## Silence safely")
                    .containsPattern("mailprobe (probe|report) --config /")
                    .contains("amtool silence add alertname");
        }
        String index = Files.readString(ShippedRules.runbooksDir().resolve("README.md"));
        AlertNames.ALL.forEach(a -> assertThat(index).contains("(" + a + ".md)"));
    }

    /**
     * For every alert, a promtool test where it fires (non-empty {@code exp_alerts}) and, in the
     * same test group, one before where it does not (no-fire) and one after where it no longer
     * does (reset); for the burn-rate alert, a firing case of every tier.
     */
    @Test
    void thePromtoolTestsFireKeepSilentAndResetEveryAlert() throws Exception {
        Map<String, boolean[]> coverage = new HashMap<>(); // fire, no-fire before, reset after
        Set<String> firedTiers = new HashSet<>();
        for (String file : ShippedRulesTest.ymlFiles(ShippedRules.testsDir())) {
            for (JsonNode test : YAML.readTree(Path.of(file).toFile()).get("tests")) {
                Map<String, List<long[]>> byAlert = new HashMap<>(); // eval seconds, firing count
                for (JsonNode t : test.path("alert_rule_test")) {
                    String alert = t.get("alertname").asText();
                    long at = dev.mailprobe.config.Durations.tryParse(t.get("eval_time").asText()).orElseThrow().toSeconds();
                    byAlert.computeIfAbsent(alert, k -> new ArrayList<>()).add(new long[] {at, t.path("exp_alerts").size()});
                    for (JsonNode a : t.path("exp_alerts")) {
                        firedTiers.add(a.path("exp_labels").path("burnrate_tier").asText(""));
                    }
                }
                byAlert.forEach((alert, checks) -> {
                    boolean[] c = coverage.computeIfAbsent(alert, k -> new boolean[3]);
                    for (long[] fire : checks) {
                        if (fire[1] == 0) {
                            continue;
                        }
                        c[0] = true;
                        c[1] |= checks.stream().anyMatch(x -> x[0] < fire[0] && x[1] == 0);
                        c[2] |= checks.stream().anyMatch(x -> x[0] > fire[0] && x[1] < fire[1]);
                    }
                });
            }
        }
        for (String alert : AlertNames.ALL) {
            boolean[] c = coverage.getOrDefault(alert, new boolean[3]);
            assertThat(c).as("%s: fire, no-fire before, reset after", alert).containsExactly(true, true, true);
        }
        assertThat(firedTiers).containsAll(AlertingSettings.TIERS);
    }
}
