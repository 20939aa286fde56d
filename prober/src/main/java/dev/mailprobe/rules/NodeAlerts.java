package dev.mailprobe.rules;

import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.SloSpec;
import dev.mailprobe.slo.BurnTier;
import dev.mailprobe.slo.SloWindow;
import dev.mailprobe.slo.SlothRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Node alerts that say whether customers saw it, in one group {@code mailprobe-nodes} (its
 * recording rules run first, at the same timestamp as the alerts that read them):
 * <ul>
 *   <li>{@link AlertNames#NODE_DOWN_CUSTOMER_IMPACT} (critical, one rule per SLO, labels
 *       {@code node}, {@code slo}): the node is DOWN and SLI events it served failed in the last
 *       {@link #IMPACT_WINDOW};</li>
 *   <li>{@link AlertNames#NODE_DOWN_ABSORBED} (warning, never a page, label {@code node}): the node
 *       is DOWN for {@link #ABSORBED_FOR} and none of the SLI events it served failed;</li>
 *   <li>{@link AlertNames#NODE_FLAPPING} (warning): as many DOWN events within the window as the
 *       config's flap damping counts ({@code health.flapDamping}, default 3 in 1h);</li>
 *   <li>{@link AlertNames#NODE_DOWN_FROM_QUORUM} (labels {@code cluster}, {@code node}, no
 *       {@code vantage}): more than half of the vantage points that report the node, and at least
 *       two, see it DOWN; critical when SLI events it served failed, else a warning;</li>
 *   <li>{@link AlertNames#TLS_CERTIFICATE_EXPIRING}: under 14 days a warning, under 3 days critical.</li>
 * </ul>
 * The per-vantage DOWN alerts need the same majority: with one vantage that is the vantage
 * itself; with several, one vantage's own network trouble does not make them fire.
 */
final class NodeAlerts {
    /** A node "burns its SLO budget" while SLI events it served failed within this window. */
    static final Duration IMPACT_WINDOW = Duration.ofMinutes(5);
    /** How long a DOWN node must stay free of failed SLI events to count as absorbed. */
    static final String ABSORBED_FOR = "1m";
    static final Duration TLS_WARNING = Duration.ofDays(14);
    static final Duration TLS_CRITICAL = Duration.ofDays(3);

    static final String UP = "cluster_vantage_node:mailprobe_node_up:min";
    static final String DOWN_RATIO = "cluster_node:mailprobe_node_down_vantages:ratio";
    static final String VANTAGES = "cluster_node:mailprobe_node_vantages:count";
    static final String BAD = "cluster_vantage_node_slo:mailprobe_sli_bad_events:increase5m";

    private NodeAlerts() {}

    static RuleGroup group(MailprobeConfig config, Links links) {
        List<Rule> rules = new ArrayList<>();
        String impact = SloWindow.label(IMPACT_WINDOW);
        // one value per node and vantage: min over the replicas (shards) that export it, so a DOWN wins
        rules.add(Rule.record(UP, "min by (cluster, vantage, node) (mailprobe_node_up)", Map.of()));
        rules.add(Rule.record(DOWN_RATIO, "avg by (cluster, node) (" + UP + " == bool 0)", Map.of()));
        rules.add(Rule.record(VANTAGES, "count by (cluster, node) (" + UP + ")", Map.of()));
        rules.add(Rule.record(BAD, "sum by (cluster, vantage, node, slo) (increase(" + SlothRules.METRIC
                + "{result=\"bad\"}[" + impact + "]))", Map.of()));

        for (SloSpec spec : config.slos()) {
            rules.add(customerImpact(spec, impact, links));
        }
        rules.add(absorbed(impact, links));
        rules.add(flapping(config.health(), links));
        rules.add(quorum(true, impact, links));
        rules.add(quorum(false, impact, links));
        rules.add(tls(false, links));
        rules.add(tls(true, links));
        return new RuleGroup("mailprobe-nodes", rules);
    }

    private static Rule customerImpact(SloSpec spec, String impact, Links links) {
        String slo = spec.name();
        String expr = BAD + "{slo=\"" + slo + "\"} > 0\n"
                + "and on (cluster, vantage, node)\n"
                + UP + " == 0\n"
                + "and on (cluster, node)\n"
                + DOWN_RATIO + " > 0.5\n";
        Map<String, String> labels = severity(true);
        labels.put("slo", slo);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "{{ with $labels.cluster }}[{{ . }}] {{ end }}{{ $labels.node }} is DOWN and customers see it: "
                + slo + " SLI events it served fail ({{ printf \"%.0f\" $value }} in the last " + impact + ")");
        annotations.put("description", new AlertTemplate()
                .query("burn", "?", "slo:sli_error_by_node:ratio_rate1h{%s, node=%q, sloth_id=\""
                        + SlothRules.slothId(slo) + "\"} / " + BurnTier.errorBudget(spec.objective()).toPlainString(),
                        "$where $labels.node", "value | printf \"%.1f\"")
                .text("mailprobe{{ with $labels.vantage }} (from {{ . }}){{ end }} sees {{ $labels.node }} DOWN, and "
                        + slo + " SLI events it served through the entry points fail: {{ printf \"%.0f\" $value }} in "
                        + "the last " + impact + ". The cluster does not hide this crash from customers. Over the last 1h "
                        + "its failures alone burn the " + slo + " error budget {{ $burn }}x as fast as the SLO allows."));
        annotations.put("runbook_url", links.runbook(AlertNames.NODE_DOWN_CUSTOMER_IMPACT));
        annotations.put("dashboard_url", links.dashboard("1h", true));
        return Rule.alert(AlertNames.NODE_DOWN_CUSTOMER_IMPACT, expr, null, labels, annotations);
    }

    private static Rule absorbed(String impact, Links links) {
        String expr = UP + " == 0\n"
                + "unless on (cluster, vantage, node)\n"
                + "(" + BAD + " > 0)\n"
                + "and on (cluster, node)\n"
                + DOWN_RATIO + " > 0.5\n";
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "{{ with $labels.cluster }}[{{ . }}] {{ end }}{{ $labels.node }} is DOWN; the cluster "
                + "absorbs it (no SLI event it served failed in the last " + impact + ")");
        annotations.put("description", "mailprobe{{ with $labels.vantage }} (from {{ . }}){{ end }} sees "
                + "{{ $labels.node }} DOWN, but no SLI event it served through the entry points failed in the last "
                + impact + ": customers are not affected (failover or redundancy took over). Fix it before the "
                + "redundancy is needed again; it is not worth waking anyone for.");
        annotations.put("runbook_url", links.runbook(AlertNames.NODE_DOWN_ABSORBED));
        annotations.put("dashboard_url", links.dashboard("1h", true));
        return Rule.alert(AlertNames.NODE_DOWN_ABSORBED, expr, ABSORBED_FOR, severity(false), annotations);
    }

    private static Rule flapping(HealthSettings health, Links links) {
        HealthSettings.FlapDamping damping = health.flapDamping() != null ? health.flapDamping()
                : HealthSettings.DEFAULTS.flapDamping();
        String within = SloWindow.label(damping.within());
        String expr = "sum by (cluster, vantage, node) (increase(mailprobe_node_down_events_total[" + within + "])) >= "
                + damping.downs() + "\n";
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "{{ with $labels.cluster }}[{{ . }}] {{ end }}{{ $labels.node }} is flapping: "
                + "{{ printf \"%.0f\" $value }} DOWN events in " + within);
        annotations.put("description", "mailprobe{{ with $labels.vantage }} (from {{ . }}){{ end }} saw {{ $labels.node }} "
                + "go DOWN {{ printf \"%.0f\" $value }} times in the last " + within + " (alert at " + damping.downs()
                + "). Crashes that come back again and again are worth a pattern search: `mailprobe report` tells "
                + "whether they follow a periodic trigger.");
        annotations.put("runbook_url", links.runbook(AlertNames.NODE_FLAPPING));
        annotations.put("dashboard_url", links.dashboard(within, true));
        return Rule.alert(AlertNames.NODE_FLAPPING, expr, null, severity(false), annotations);
    }

    private static Rule quorum(boolean customersSeeIt, String impact, Links links) {
        String bad = "(sum by (cluster, node) (" + BAD + ") > 0)";
        String expr = DOWN_RATIO + " > 0.5\n"
                + "and on (cluster, node)\n"
                + VANTAGES + " >= 2\n"
                + (customersSeeIt ? "and" : "unless") + " on (cluster, node)\n"
                + bad + "\n";
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "{{ with $labels.cluster }}[{{ . }}] {{ end }}{{ $labels.node }} is DOWN from "
                + "{{ $value | humanizePercentage }} of the vantage points" + (customersSeeIt ? " and customers see it" : "; no customer impact"));
        annotations.put("description", new AlertTemplate()
                .line("{{- $down := \"\" -}}{{- range sortByLabel \"vantage\" (query (printf \"" + UP + "{cluster=%q, node=%q} == 0\" $labels.cluster "
                        + "$labels.node)) }}{{ $down = printf \"%s %s\" $down (label \"vantage\" .) }}{{ end -}}")
                .text("{{ $labels.node }} is DOWN from a quorum of the vantage points that probe it (more than half, at "
                        + "least two; DOWN from:{{ $down }}), so it is the node, not one vantage's network. "
                        + (customersSeeIt ? "SLI events it served failed in the last " + impact + "."
                        : "No SLI event it served failed in the last " + impact + ": the cluster absorbs it.")));
        annotations.put("runbook_url", links.runbook(AlertNames.NODE_DOWN_FROM_QUORUM));
        annotations.put("dashboard_url", links.dashboard("1h", true));
        return Rule.alert(AlertNames.NODE_DOWN_FROM_QUORUM, expr, null, severity(customersSeeIt), annotations);
    }

    private static Rule tls(boolean critical, Links links) {
        Duration limit = critical ? TLS_CRITICAL : TLS_WARNING;
        String expr = "min by (cluster, vantage, node, protocol) (mailprobe_tls_certificate_expiry_timestamp_seconds) - time()\n"
                + "< " + limit.toSeconds() + "\n";
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "{{ with $labels.cluster }}[{{ . }}] {{ end }}The TLS certificate of {{ $labels.node }} "
                + "({{ $labels.protocol }}) {{ if lt $value 0.0 }}has expired{{ else }}expires in {{ $value | humanizeDuration }}{{ end }}");
        annotations.put("description", "The certificate {{ $labels.node }} presents for {{ $labels.protocol }} "
                + "{{ if lt $value 0.0 }}has expired: clients that verify certificates fail now"
                + "{{ else }}expires in {{ $value | humanizeDuration }} (alert under " + SloWindow.label(limit)
                + "){{ end }}. Renew it and reload the server; mailprobe sees the new one at its next probe.");
        annotations.put("runbook_url", links.runbook(AlertNames.TLS_CERTIFICATE_EXPIRING));
        annotations.put("dashboard_url", links.dashboard("1h", true));
        return Rule.alert(AlertNames.TLS_CERTIFICATE_EXPIRING, expr, null, severity(critical), annotations);
    }

    /** {@code severity} and {@code sloth_severity}: critical/page or warning/ticket. */
    static Map<String, String> severity(boolean page) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("severity", page ? "critical" : "warning");
        labels.put("sloth_severity", page ? "page" : "ticket");
        return labels;
    }
}
