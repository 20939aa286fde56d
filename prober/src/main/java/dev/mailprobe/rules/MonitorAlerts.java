package dev.mailprobe.rules;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.RoundTripSettings;
import dev.mailprobe.slo.SloWindow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Alerts about the monitor itself, in group {@code mailprobe-monitor}: when it is blind, every
 * other alert is silent for the wrong reason.
 * <ul>
 *   <li>{@link AlertNames#MONITOR_DOWN} (critical): a target that served mailprobe metrics in the
 *       last {@link #LOOKBACK} is down ({@code up == 0}), or a cluster/vantage/job whose mailprobe
 *       series existed in that time has none now (the pod is gone, the scrape config broke);</li>
 *   <li>{@link AlertNames#ROUND_TRIPS_STALLED} (critical, {@code slo="delivery"}; only with
 *       {@code roundTrip:}): mailprobe runs but has recorded no round-trip outcome at all (not even
 *       a lost or failed one) for {@code lostAfter + 2 × interval}, at least 5m;</li>
 *   <li>{@link AlertNames#PROBE_LOAD_ABOVE_LIMIT} (warning): the connections held to a node in the
 *       last 5m, summed over the replicas of one vantage, exceed {@code maxConnectionsPerNode}
 *       ({@code mailprobe_probe_connections_limit}); one process never does (its limiter), two
 *       replicas probing the same node do.</li>
 * </ul>
 */
final class MonitorAlerts {
    /** How far back a vanished mailprobe is remembered; the alert resolves after that. */
    static final Duration LOOKBACK = Duration.ofDays(1);
    static final String MONITOR_DOWN_FOR = "2m";
    static final Duration MIN_STALL = Duration.ofMinutes(5);
    static final Duration LOAD_WINDOW = Duration.ofMinutes(5);

    private MonitorAlerts() {}

    static RuleGroup group(MailprobeConfig config, Links links) {
        List<Rule> rules = new ArrayList<>();
        String back = SloWindow.label(LOOKBACK);
        String seen = "max_over_time(mailprobe_build_info[" + back + "])";
        // a target down (per instance), or else a release's series gone (per cluster, vantage and job)
        String targetDown = "group by (cluster, vantage, job, instance) (" + seen + ")\n"
                + "and on (job, instance)\n"
                + "up == 0\n";
        rules.add(monitorDown("(\n"
                + BurnRateAlerts.indent(targetDown)
                + ")\n"
                + "or\n"
                + "(\n"
                + "  group by (cluster, vantage, job) (" + seen + ")\n"
                + "  unless on (cluster, vantage, job)\n"
                + "  mailprobe_build_info\n"
                + "  unless on (cluster, vantage, job)\n"
                + "  (\n"
                + BurnRateAlerts.indent(BurnRateAlerts.indent(targetDown))
                + "  )\n"
                + ")\n", links));
        if (config.roundTrip() != null) {
            rules.add(roundTripsStalled(stallWindow(config.roundTrip()), links));
        }
        rules.add(probeLoad(links));
        return new RuleGroup("mailprobe-monitor", rules);
    }

    /** {@code lostAfter + 2 × interval}, rounded up to whole minutes, at least {@link #MIN_STALL}. */
    static Duration stallWindow(RoundTripSettings roundTrip) {
        Duration d = roundTrip.lostAfter().plus(roundTrip.interval().multipliedBy(2));
        long minutes = (d.toSeconds() + 59) / 60;
        Duration whole = Duration.ofMinutes(minutes);
        return whole.compareTo(MIN_STALL) < 0 ? MIN_STALL : whole;
    }

    private static Rule monitorDown(String expr, Links links) {
        String what = "{{ with $labels.instance }}target {{ . }} (job {{ $labels.job }}) is down"
                + "{{ else }}its metrics are gone (job {{ $labels.job }}){{ end }}";
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "{{ with $labels.cluster }}[{{ . }}] {{ end }}mailprobe"
                + "{{ with $labels.vantage }} at {{ . }}{{ end }} is blind: " + what);
        annotations.put("description", "Prometheus got mailprobe's metrics in the last " + SloWindow.label(LOOKBACK)
                + " but not now: " + what + ". Until it is back no SLO, node or TLS alert of it can fire, whatever "
                + "happens to the mail service. (This alert resolves by itself " + SloWindow.label(LOOKBACK)
                + " after the last sample.)");
        annotations.put("runbook_url", links.runbook(AlertNames.MONITOR_DOWN));
        annotations.put("dashboard_url", links.dashboard("1h", false));
        return Rule.alert(AlertNames.MONITOR_DOWN, expr, MONITOR_DOWN_FOR, NodeAlerts.severity(true), annotations);
    }

    private static Rule roundTripsStalled(Duration window, Links links) {
        String w = SloWindow.label(window);
        String expr = "sum by (cluster, vantage) (increase(mailprobe_roundtrips_total[" + w + "])) == 0\n"
                + "and on (cluster, vantage)\n"
                + "min by (cluster, vantage) (process_uptime_seconds and on (job, instance) mailprobe_build_info) > "
                + window.toSeconds() + "\n";
        Map<String, String> labels = NodeAlerts.severity(true);
        labels.put("slo", "delivery");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "{{ with $labels.cluster }}[{{ . }}] {{ end }}No round trip completed in " + w
                + ": the delivery SLO is blind");
        annotations.put("description", "mailprobe{{ with $labels.vantage }} at {{ . }}{{ end }} is up but recorded no "
                + "round-trip outcome in the last " + w + " (roundTrip.lostAfter + 2 intervals): not delivered, late, "
                + "lost, nor failed. Its round-trip engine is stuck, so a mail outage would not show in the delivery "
                + "SLO.");
        annotations.put("runbook_url", links.runbook(AlertNames.ROUND_TRIPS_STALLED));
        annotations.put("dashboard_url", links.dashboard(w, false));
        return Rule.alert(AlertNames.ROUND_TRIPS_STALLED, expr, null, labels, annotations);
    }

    private static Rule probeLoad(Links links) {
        String w = SloWindow.label(LOAD_WINDOW);
        String expr = "sum by (cluster, vantage, node) (max_over_time(mailprobe_probe_connections[" + w + "]))\n"
                + "> on (cluster, vantage, node)\n"
                + "max by (cluster, vantage, node) (mailprobe_probe_connections_limit)\n";
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "{{ with $labels.cluster }}[{{ . }}] {{ end }}mailprobe holds up to "
                + "{{ printf \"%.0f\" $value }} connections to {{ $labels.node }}, above its limit");
        annotations.put("description", new AlertTemplate()
                .query("limit", "?", "max(mailprobe_probe_connections_limit{%s, node=%q})", "$where $labels.node",
                        "value | printf \"%.0f\"")
                .text("In the last " + w + " the mailprobe replicas{{ with $labels.vantage }} at {{ . }}{{ end }} "
                        + "held up to {{ printf \"%.0f\" $value }} connections to {{ $labels.node }} (the most each held, "
                        + "added up), more than maxConnectionsPerNode ({{ $limit }}). The observer must not become the "
                        + "outage: two replicas probing the same node is the usual cause."));
        annotations.put("runbook_url", links.runbook(AlertNames.PROBE_LOAD_ABOVE_LIMIT));
        annotations.put("dashboard_url", links.dashboard("1h", true));
        return Rule.alert(AlertNames.PROBE_LOAD_ABOVE_LIMIT, expr, "5m", NodeAlerts.severity(false), annotations);
    }
}
