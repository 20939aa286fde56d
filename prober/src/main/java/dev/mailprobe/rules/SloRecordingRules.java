package dev.mailprobe.rules;

import dev.mailprobe.config.SloSpec;
import dev.mailprobe.slo.BurnTier;
import dev.mailprobe.slo.SloWindow;
import dev.mailprobe.slo.SlothRules;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The recording rules of one SLO in Sloth's shape ({@code slo:sli_error:ratio_rate<window>},
 * {@code slo:objective:ratio}, ... with labels {@code sloth_id}, {@code sloth_service},
 * {@code sloth_slo}), computed request-weighted from {@code mailprobe_sli_events_total}, in one
 * group {@code mailprobe-slo-recordings-<slo>} (its rules run in order at one timestamp, so the
 * burn rates never read the previous evaluation's ratios).
 *
 * <p>Differences from Sloth's own output, on purpose (docs/SLO.md): the period ratio is computed
 * from the raw counters, not averaged from the 5m ratios (an average of ratios is not
 * request-weighted); every ratio is kept per {@code cluster} and {@code vantage}; and rules per
 * node and for the alerts are added: {@code slo:sli_error_by_node:ratio_rate<window>},
 * {@code slo:period_error_budget_consumed_by_node:ratio}, and for each burn-rate tier's long
 * window the event count {@code slo:sli_events:increase<window>} (the minimum-events guard) and
 * each node's share of the window's bad events {@code slo:sli_error_share_by_node:ratio_rate<window>}
 * (the node a page names).
 */
public final class SloRecordingRules {
    /** Labels kept on every ratio: one SLO per cluster and vantage point. */
    public static final String KEEP = "cluster, vantage";

    private SloRecordingRules() {}

    /** {@code {sloth_id="mailprobe-<slo>", sloth_service="mailprobe", sloth_slo="<slo>"}}. */
    public static String selector(String slo) {
        return "{sloth_id=\"" + SlothRules.slothId(slo) + "\", sloth_service=\"" + SlothRules.SERVICE
                + "\", sloth_slo=\"" + slo + "\"}";
    }

    public static RuleGroup group(SloSpec spec) {
        String slo = spec.name();
        List<Rule> rules = new ArrayList<>();
        List<SloWindow> windows = SloWindow.of(spec);
        String metric = SlothRules.METRIC;
        for (SloWindow w : windows) {
            String range = w.label();
            rules.add(Rule.record("slo:sli_error:ratio_rate" + range,
                    "(sum by (" + KEEP + ") (rate(" + metric + "{slo=\"" + slo + "\",result=\"bad\"}[" + range + "])))\n"
                            + "/\n"
                            + "(sum by (" + KEEP + ") (rate(" + metric + "{slo=\"" + slo + "\"}[" + range + "])))\n",
                    labels(slo, range)));
        }
        for (SloWindow w : windows) {
            String range = w.label();
            rules.add(Rule.record("slo:sli_error_by_node:ratio_rate" + range,
                    "sum by (" + KEEP + ", node) (rate(" + metric + "{slo=\"" + slo + "\",result=\"bad\"}[" + range + "]))\n"
                            + "/ on (" + KEEP + ") group_left\n"
                            + "sum by (" + KEEP + ") (rate(" + metric + "{slo=\"" + slo + "\"}[" + range + "]))\n",
                    labels(slo, range)));
        }
        String sel = selector(slo);
        for (BurnTier tier : BurnTier.of(spec.window())) {
            String range = SloWindow.label(tier.longWindow());
            rules.add(Rule.record("slo:sli_events:increase" + range,
                    "sum by (" + KEEP + ") (increase(" + metric + "{slo=\"" + slo + "\"}[" + range + "]))",
                    labels(slo, range)));
            // only nodes with bad events: the shares of the window's bad events, summing to 1
            rules.add(Rule.record("slo:sli_error_share_by_node:ratio_rate" + range,
                    "(slo:sli_error_by_node:ratio_rate" + range + sel + " > 0)\n"
                            + "/ ignoring (node) group_left\n"
                            + "slo:sli_error:ratio_rate" + range + sel + "\n",
                    labels(slo, range)));
        }
        String objective = BigDecimal.valueOf(spec.objective()).toPlainString();
        String period = SloWindow.label(spec.window());
        String perBudget = "/ on (sloth_id, sloth_slo, sloth_service) group_left\n"
                + "slo:error_budget:ratio" + sel + "\n";
        rules.add(Rule.record("slo:objective:ratio", "vector(" + objective + ")", labels(slo, null)));
        rules.add(Rule.record("slo:error_budget:ratio", "vector(1 - " + objective + ")", labels(slo, null)));
        rules.add(Rule.record("slo:time_period:days",
                "vector(" + trim(spec.window().toSeconds() / 86_400.0) + ")", labels(slo, null)));
        rules.add(Rule.record("slo:current_burn_rate:ratio",
                "slo:sli_error:ratio_rate5m" + sel + "\n" + perBudget, labels(slo, null)));
        rules.add(Rule.record("slo:period_burn_rate:ratio",
                "slo:sli_error:ratio_rate" + period + sel + "\n" + perBudget, labels(slo, null)));
        rules.add(Rule.record("slo:period_error_budget_remaining:ratio",
                "1 - slo:period_burn_rate:ratio" + sel, labels(slo, null)));
        rules.add(Rule.record("slo:period_error_budget_consumed_by_node:ratio",
                "slo:sli_error_by_node:ratio_rate" + period + sel + "\n" + perBudget, labels(slo, null)));
        Map<String, String> info = labels(slo, null);
        info.put("sloth_mode", "mailprobe-generated");
        info.put("sloth_objective", BigDecimal.valueOf(spec.objective()).movePointRight(2).stripTrailingZeros().toPlainString());
        info.put("sloth_window", period);
        rules.add(Rule.record("sloth_slo_info", "vector(1)", info));
        return new RuleGroup("mailprobe-slo-recordings-" + slo, rules);
    }

    static Map<String, String> labels(String slo, String window) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("sloth_id", SlothRules.slothId(slo));
        l.put("sloth_service", SlothRules.SERVICE);
        l.put("sloth_slo", slo);
        if (window != null) {
            l.put("sloth_window", window);
        }
        return l;
    }

    private static String trim(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }
}
