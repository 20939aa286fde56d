package dev.mailprobe.rules;

import dev.mailprobe.config.AlertingSettings;
import dev.mailprobe.config.SloSpec;
import dev.mailprobe.slo.BurnTier;
import dev.mailprobe.slo.SloWindow;
import dev.mailprobe.slo.SlothRules;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The multi-window, multi-burn-rate alerts of one SLO ({@link AlertNames#ERROR_BUDGET_BURN}), one
 * rule per {@link BurnTier} that applies to its period, in group {@code mailprobe-slo-alerts-<slo>}.
 *
 * <p>A tier fires when the burn rate (error ratio / error budget) is above its threshold over both
 * its long and its short window, and the long window holds at least the tier's minimum number of
 * events (the low-traffic guard, {@link BurnTier#minEvents}). The alert's value is the long-window
 * burn rate. Its annotations name the node that burned most of the long window's budget, its
 * share of the bad events, and whether it is DOWN now: recording rule
 * {@code slo:sli_error_share_by_node:ratio_rate<long>} gives the shares, a {@code query} in the
 * annotation template picks the largest ({@code topk(1, ...)}) and reads {@code mailprobe_node_up}.
 * The node is an annotation, not a label, so the alert keeps one identity while the node that
 * burns most changes.
 */
final class BurnRateAlerts {
    private BurnRateAlerts() {}

    static RuleGroup group(SloSpec spec, AlertingSettings alerting, Links links) {
        List<Rule> rules = new ArrayList<>();
        for (BurnTier tier : BurnTier.of(spec.window())) {
            rules.add(rule(spec, tier, tier.minEvents(spec, alerting.minEvents()), links));
        }
        return new RuleGroup("mailprobe-slo-alerts-" + spec.name(), rules);
    }

    static Rule rule(SloSpec spec, BurnTier tier, long minEvents, Links links) {
        String slo = spec.name();
        String sel = SloRecordingRules.selector(slo);
        String budget = BurnTier.errorBudget(spec.objective()).toPlainString();
        String factor = tier.factor(spec.window()).toPlainString();
        String longW = SloWindow.label(tier.longWindow());
        String shortW = SloWindow.label(tier.shortWindow());
        String period = SloWindow.label(spec.window());

        String burns = "max without (sloth_window) (slo:sli_error:ratio_rate" + longW + sel + ") / " + budget + " > " + factor + "\n"
                + "and on (cluster, vantage)\n"
                + "slo:sli_error:ratio_rate" + shortW + sel + " / " + budget + " > " + factor + "\n";
        String expr = minEvents == 0 ? burns
                : "(\n" + indent(burns) + ")\n"
                + "and on (cluster, vantage)\n"
                + "slo:sli_events:increase" + longW + sel + " >= " + minEvents + "\n";

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("severity", tier.alertSeverity());
        labels.put("sloth_severity", tier.severity());
        labels.put("sloth_id", SlothRules.slothId(slo));
        labels.put("sloth_service", SlothRules.SERVICE);
        labels.put("sloth_slo", slo);
        labels.put("slo", slo);
        labels.put("burnrate_tier", tier.name());
        labels.put("long", longW);
        labels.put("short", shortW);

        String sloSel = "{%s, sloth_id=\"" + SlothRules.slothId(slo) + "\"}";
        // the share of the budget the threshold spends in the long window (2% at 14.4 over 1h of 30d)
        String spent = new BigDecimal(factor).multiply(BigDecimal.valueOf(tier.longWindow().toSeconds()))
                .divide(BigDecimal.valueOf(spec.window().toSeconds()), 4, RoundingMode.HALF_UP)
                .movePointRight(2).stripTrailingZeros().toPlainString() + "%";

        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", node(new AlertTemplate(), longW, sloSel, true).text(
                "{{ with $labels.cluster }}[{{ . }}] {{ end }}" + slo + " SLO burns its error budget "
                        + "{{ printf \"%.1f\" $value }}x too fast{{ if ne $node \"none\" }}, most of it on {{ $node }}"
                        + "{{ if eq $state \"DOWN\" }} (DOWN){{ end }}{{ end }}"));
        annotations.put("description", node(new AlertTemplate()
                        .query("events", "?", "slo:sli_events:increase" + longW + sloSel, "$where", "value | printf \"%.0f\"")
                        .query("failed", "?", "slo:sli_error:ratio_rate" + longW + sloSel, "$where", "value | humanizePercentage")
                        .query("short", "?", "slo:sli_error:ratio_rate" + shortW + sloSel + " / " + budget, "$where",
                                "value | printf \"%.1f\"")
                        .query("lasts", "?", spec.window().toSeconds() + " / (slo:sli_error:ratio_rate" + longW + sloSel
                                + " / " + budget + ")", "$where", "value | humanizeDuration")
                        .query("left", "?", "slo:period_error_budget_remaining:ratio" + sloSel, "$where",
                                "value | humanizePercentage"), longW, sloSel, true)
                .text("Over the last " + longW + ", {{ $failed }} of {{ $events }} " + events(slo)
                        + "{{ with $labels.vantage }} (seen from {{ . }}){{ end }}: a burn rate of "
                        + "{{ printf \"%.1f\" $value }}, and {{ $short }} over the last " + shortW + ", both above the "
                        + tier.name() + " threshold " + factor + " (" + spent + " of the " + period + " error budget in "
                        + longW + "). At this rate a whole " + period + " budget lasts {{ $lasts }}; {{ $left }} of it is "
                        + "left for this period. {{ if ne $node \"none\" }}Most of the " + longW + " burn is on {{ $node }} "
                        + "({{ $share }} of the bad events), {{ if eq $state \"DOWN\" }}which is DOWN now{{ else if eq $state \"up\" }}"
                        + "which is up now{{ else }}whose state mailprobe does not track{{ end }}.{{ else }}No node has bad "
                        + "events in the last " + longW + ".{{ end }}"));
        annotations.put("burning_node", node(new AlertTemplate(), longW, sloSel, false).text("{{ $node }}"));
        annotations.put("burning_node_share", node(new AlertTemplate(), longW, sloSel, false).text("{{ $share }}"));
        annotations.put("burning_node_state", node(new AlertTemplate(), longW, sloSel, true).text("{{ $state }}"));
        annotations.put("runbook_url", links.runbook(AlertNames.ERROR_BUDGET_BURN));
        annotations.put("dashboard_url", links.dashboard(longW, false));
        return Rule.alert(AlertNames.ERROR_BUDGET_BURN, expr, null, labels, annotations);
    }

    /**
     * Adds {@code $node} (the node with the largest share of the window's bad events, or
     * {@code none}), {@code $share} (that share) and {@code $state} ({@code DOWN}, {@code up}, or
     * {@code unknown} when mailprobe has no state for it, e.g. the {@code unknown} node).
     */
    private static AlertTemplate node(AlertTemplate t, String longW, String sloSel, boolean state) {
        t.line("{{- $node := \"none\" -}}{{- $share := \"0%\" -}}")
                .line("{{- with query (printf " + AlertTemplate.goString("topk(1, slo:sli_error_share_by_node:ratio_rate"
                        + longW + sloSel + ")") + " $where) }}{{ $node = . | first | label \"node\" }}"
                        + "{{ $share = . | first | value | humanizePercentage }}{{ end -}}");
        if (!state) {
            return t;
        }
        return t.line("{{- $state := \"unknown\" -}}")
                .line("{{- with query (printf \"min(mailprobe_node_up{%s, node=%q})\" $where $node) }}"
                        + "{{ if lt (. | first | value) 0.5 }}{{ $state = \"DOWN\" }}{{ else }}{{ $state = \"up\" }}{{ end }}{{ end -}}");
    }

    /** What one event of the SLO is, in the plural. */
    static String events(String slo) {
        return switch (slo) {
            case "delivery" -> "round trips through the entry points were late, lost or not accepted";
            case "access" -> "IMAP/POP3 logins through the entry points failed";
            case "submission" -> "submissions through the entry points failed";
            default -> slo + " events were bad";
        };
    }

    static String indent(String lines) {
        StringBuilder b = new StringBuilder();
        for (String l : lines.split("\n")) {
            b.append("  ").append(l).append('\n');
        }
        return b.toString();
    }
}
