package dev.mailprobe.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code alerts/alertmanager.example.yml} is valid ({@code amtool check-config}), routes every
 * generated alert to the pager or the ticket queue by its {@code sloth_severity}
 * ({@code amtool config routes test}), and its inhibition rules silence what they say they do in
 * a real Alertmanager: a faster tier the slower tiers of the same SLO, a customer-impact node
 * alert the absorbed one of the same node, the quorum alert the per-vantage ones, a critical
 * certificate alert the warning, a blind monitor the rest of its cluster and vantage.
 */
class AlertmanagerExampleTest {
    static Path config() {
        return ShippedRules.projectRoot().resolve("alerts/alertmanager.example.yml");
    }

    @Test
    void amtoolAcceptsTheConfig() throws Exception {
        Amtool.Outcome outcome = Amtool.run("check-config", config().toString());
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("SUCCESS").contains("9 inhibit rules").contains("2 receivers");
    }

    @Test
    void everyGeneratedAlertRoutesToThePagerOrTheTicketQueueByItsSlothSeverity() throws Exception {
        Set<Map<String, String>> routed = new LinkedHashSet<>();
        for (RuleFile file : RulesGenerator.files(ShippedRules.example(), "example.yaml")) {
            for (Rule rule : file.rules()) {
                if (rule.isAlert()) {
                    Map<String, String> labels = new LinkedHashMap<>(rule.labels());
                    labels.put("alertname", rule.alert());
                    routed.add(labels);
                }
            }
        }
        assertThat(routed).hasSizeGreaterThan(AlertNames.ALL.size());
        for (Map<String, String> labels : routed) {
            String expected = labels.get("sloth_severity").equals("page") ? "page" : "ticket";
            List<String> args = new ArrayList<>(List.of("config", "routes", "test", "--config.file=" + config(),
                    "--verify.receivers=" + expected));
            labels.forEach((k, v) -> args.add(k + "=" + v));
            Amtool.Outcome outcome = Amtool.run(args.toArray(String[]::new));
            assertThat(outcome.exitCode()).as("%s -> %s: %s", labels, expected, outcome.output()).isZero();
        }
        // an alert from elsewhere without sloth_severity opens a ticket, it never pages
        Amtool.Outcome other = Amtool.run("config", "routes", "test", "--config.file=" + config(),
                "--verify.receivers=ticket", "alertname=SomethingElse", "severity=critical");
        assertThat(other.exitCode()).as(other.output()).isZero();
    }

    @Test
    void theInhibitionRulesSilenceWhatTheySayInARealAlertmanager() throws Exception {
        Map<String, Map<String, String>> alerts = new LinkedHashMap<>();
        // burn-rate tiers: a faster tier silences the slower ones of the same SLO, cluster, vantage
        alerts.put("access-1h", burn("c1", "v1", "access", "page-1h"));
        alerts.put("access-6h", burn("c1", "v1", "access", "page-6h"));
        alerts.put("access-1d", burn("c1", "v1", "access", "ticket-1d"));
        alerts.put("access-3d", burn("c1", "v1", "access", "ticket-3d"));
        alerts.put("submission-6h", burn("c1", "v1", "submission", "page-6h"));
        alerts.put("submission-3d", burn("c1", "v1", "submission", "ticket-3d"));
        alerts.put("delivery-1d", burn("c1", "v1", "delivery", "ticket-1d"));
        alerts.put("delivery-3d", burn("c1", "v1", "delivery", "ticket-3d"));
        alerts.put("access-3d-other-vantage", burn("c1", "v2", "access", "ticket-3d"));
        // node alerts
        alerts.put("imap-1-impact", node(AlertNames.NODE_DOWN_CUSTOMER_IMPACT, "c1", "v1", "imap-1", "critical", "access"));
        alerts.put("imap-1-absorbed", node(AlertNames.NODE_DOWN_ABSORBED, "c1", "v1", "imap-1", "warning", null));
        alerts.put("smtp-1-absorbed", node(AlertNames.NODE_DOWN_ABSORBED, "c1", "v1", "smtp-1", "warning", null));
        alerts.put("imap-2-quorum", node(AlertNames.NODE_DOWN_FROM_QUORUM, "c1", null, "imap-2", "critical", null));
        alerts.put("imap-2-impact-v1", node(AlertNames.NODE_DOWN_CUSTOMER_IMPACT, "c1", "v1", "imap-2", "critical", "access"));
        alerts.put("imap-2-absorbed-v2", node(AlertNames.NODE_DOWN_ABSORBED, "c1", "v2", "imap-2", "warning", null));
        alerts.put("smtp-2-quorum", node(AlertNames.NODE_DOWN_FROM_QUORUM, "c1", null, "smtp-2", "warning", null));
        alerts.put("smtp-2-absorbed-v1", node(AlertNames.NODE_DOWN_ABSORBED, "c1", "v1", "smtp-2", "warning", null));
        alerts.put("smtp-2-impact-v3", node(AlertNames.NODE_DOWN_CUSTOMER_IMPACT, "c1", "v3", "smtp-2", "critical", "submission"));
        // certificates
        alerts.put("tls-imap-critical", tls("c1", "v1", "imap-1", "imap", "critical"));
        alerts.put("tls-imap-warning", tls("c1", "v1", "imap-1", "imap", "warning"));
        alerts.put("tls-pop3-warning", tls("c1", "v1", "imap-1", "pop3", "warning"));
        // a blind monitor silences the rest of its cluster and vantage
        alerts.put("c2-monitor-down", monitor(AlertNames.MONITOR_DOWN, "c2", "v1", null));
        alerts.put("c2-v1-burn", burn("c2", "v1", "access", "page-1h"));
        alerts.put("c2-v1-absorbed", node(AlertNames.NODE_DOWN_ABSORBED, "c2", "v1", "smtp-1", "warning", null));
        alerts.put("c2-v2-burn", burn("c2", "v2", "access", "page-1h"));
        // stalled round trips silence the delivery SLO's alerts only
        alerts.put("c3-stalled", monitor(AlertNames.ROUND_TRIPS_STALLED, "c3", "v1", "delivery"));
        alerts.put("c3-delivery-burn", burn("c3", "v1", "delivery", "page-6h"));
        alerts.put("c3-access-burn", burn("c3", "v1", "access", "page-6h"));

        Set<String> suppressed = Set.of("access-6h", "access-1d", "access-3d", "submission-3d", "delivery-3d",
                "imap-1-absorbed", "imap-2-impact-v1", "imap-2-absorbed-v2", "smtp-2-absorbed-v1",
                "tls-imap-warning", "c2-v1-burn", "c2-v1-absorbed", "c3-delivery-burn");

        List<Map<String, String>> batch = new ArrayList<>();
        alerts.forEach((id, labels) -> {
            Map<String, String> l = new LinkedHashMap<>(labels);
            l.put("test_case", id);
            batch.add(l);
        });
        try (AlertmanagerServer am = AlertmanagerServer.start(config())) {
            am.post(batch);
            Map<String, String> states = new HashMap<>();
            long deadline = System.nanoTime() + 10_000_000_000L;
            do {
                JsonArray got = am.alerts();
                states.clear();
                for (Object o : got) {
                    JsonObject a = (JsonObject) o;
                    states.put(a.getJsonObject("labels").getString("test_case"), a.getJsonObject("status").getString("state"));
                }
            } while (states.size() < alerts.size() && System.nanoTime() < deadline && sleep());
            assertThat(states.keySet()).as(am.log()).containsExactlyInAnyOrderElementsOf(alerts.keySet());
            for (String id : alerts.keySet()) {
                assertThat(states.get(id)).as(id).isEqualTo(suppressed.contains(id) ? "suppressed" : "active");
            }
        }
    }

    private static boolean sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    private static Map<String, String> burn(String cluster, String vantage, String slo, String tier) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("alertname", AlertNames.ERROR_BUDGET_BURN);
        l.put("cluster", cluster);
        l.put("vantage", vantage);
        l.put("slo", slo);
        l.put("burnrate_tier", tier);
        l.put("severity", tier.startsWith("page") ? "critical" : "warning");
        l.put("sloth_severity", tier.startsWith("page") ? "page" : "ticket");
        return l;
    }

    private static Map<String, String> node(String alert, String cluster, String vantage, String node, String severity, String slo) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("alertname", alert);
        l.put("cluster", cluster);
        if (vantage != null) {
            l.put("vantage", vantage);
        }
        l.put("node", node);
        l.put("severity", severity);
        l.put("sloth_severity", severity.equals("critical") ? "page" : "ticket");
        if (slo != null) {
            l.put("slo", slo);
        }
        return l;
    }

    private static Map<String, String> tls(String cluster, String vantage, String node, String protocol, String severity) {
        Map<String, String> l = node(AlertNames.TLS_CERTIFICATE_EXPIRING, cluster, vantage, node, severity, null);
        l.put("protocol", protocol);
        return l;
    }

    private static Map<String, String> monitor(String alert, String cluster, String vantage, String slo) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("alertname", alert);
        l.put("cluster", cluster);
        l.put("vantage", vantage);
        l.put("job", "mailprobe");
        l.put("severity", "critical");
        l.put("sloth_severity", "page");
        if (slo != null) {
            l.put("slo", slo);
        }
        return l;
    }
}
