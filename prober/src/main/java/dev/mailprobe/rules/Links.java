package dev.mailprobe.rules;

import dev.mailprobe.config.AlertingSettings;

/**
 * The {@code runbook_url} and {@code dashboard_url} annotations of the generated alerts, from
 * {@code alerting.runbookUrl} and {@code alerting.dashboardUrl}.
 */
final class Links {
    private final AlertingSettings settings;

    Links(AlertingSettings settings) {
        this.settings = settings;
    }

    /** {@code <runbookUrl>/<alertname>.md}. */
    String runbook(String alertName) {
        return settings.runbookUrl() + "/" + alertName + ".md";
    }

    /**
     * The board, showing the last {@code range} (Grafana's {@code from}/{@code to}), filtered to the
     * alert's {@code cluster} and {@code vantage} (and {@code node} when the alert has one) through
     * Grafana's {@code var-<name>} URL parameters. A template: the values come from the alert.
     */
    String dashboard(String range, boolean node) {
        String base = settings.dashboardUrl();
        StringBuilder url = new StringBuilder(base).append(base.contains("?") ? '&' : '?')
                .append("from=now-").append(range).append("&to=now")
                .append("{{ with $labels.cluster }}&var-cluster={{ . | urlquery }}{{ end }}")
                .append("{{ with $labels.vantage }}&var-vantage={{ . | urlquery }}{{ end }}");
        if (node) {
            url.append("{{ with $labels.node }}&var-node={{ . | urlquery }}{{ end }}");
        }
        return url.toString();
    }
}
