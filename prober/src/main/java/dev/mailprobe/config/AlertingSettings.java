package dev.mailprobe.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the generated alerts link out and guard against low traffic ({@code alerting:}; used by
 * {@code mailprobe rules} and {@code check-config}, docs/ALERTS.md).
 *
 * @param runbookUrl   base of every alert's {@code runbook_url}: {@code <runbookUrl>/<alertname>.md};
 *                     no trailing slash
 * @param dashboardUrl the availability board every alert's {@code dashboard_url} points at (the
 *                     generator appends {@code var-cluster}/{@code var-vantage} query parameters)
 * @param minEvents    the minimum-events guard per burn-rate tier (a name of {@link #TIERS}) for every
 *                     SLO; a tier not in the map takes the default computed from the SLO (the fewest
 *                     events at which one failure alone cannot fire the tier). 0 turns the guard off.
 */
public record AlertingSettings(String runbookUrl, String dashboardUrl, Map<String, Integer> minEvents) {
    /** The burn-rate tiers of the SRE workbook, fastest first; also the {@code burnrate_tier} label values. */
    public static final List<String> TIERS = List.of("page-1h", "page-6h", "ticket-1d", "ticket-3d");
    /** Where the runbooks live in the mailprobe source tree (docs/runbooks/&lt;alertname&gt;.md). */
    public static final String DEFAULT_RUNBOOK_URL = "docs/runbooks";
    /** A Grafana-relative link to the availability board (dashboard uid {@code mailprobe-availability}). */
    public static final String DEFAULT_DASHBOARD_URL = "/d/mailprobe-availability";
    public static final AlertingSettings DEFAULTS =
            new AlertingSettings(DEFAULT_RUNBOOK_URL, DEFAULT_DASHBOARD_URL, Map.of());

    public AlertingSettings {
        Objects.requireNonNull(runbookUrl, "runbookUrl");
        Objects.requireNonNull(dashboardUrl, "dashboardUrl");
        minEvents = minEvents == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(minEvents));
        for (String tier : minEvents.keySet()) {
            if (!TIERS.contains(tier)) {
                throw new IllegalArgumentException("unknown burn-rate tier " + tier + " (one of " + TIERS + ")");
            }
        }
    }
}
