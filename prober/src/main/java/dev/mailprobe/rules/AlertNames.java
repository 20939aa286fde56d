package dev.mailprobe.rules;

import java.util.List;

/** The name of every alert mailprobe generates; each has its runbook, docs/runbooks/&lt;name&gt;.md. */
public final class AlertNames {
    /** An SLO burns its error budget too fast (one rule per burn-rate tier). */
    public static final String ERROR_BUDGET_BURN = "MailprobeErrorBudgetBurn";
    /** A node is DOWN and SLI events it served fail: customers see it. */
    public static final String NODE_DOWN_CUSTOMER_IMPACT = "MailprobeNodeDownCustomerImpact";
    /** A node is DOWN and none of the SLI events it served fail: the cluster absorbs it. */
    public static final String NODE_DOWN_ABSORBED = "MailprobeNodeDownAbsorbed";
    /** A node went DOWN again and again. */
    public static final String NODE_FLAPPING = "MailprobeNodeFlapping";
    /** More than half of the vantage points (at least two) see a node DOWN. */
    public static final String NODE_DOWN_FROM_QUORUM = "MailprobeNodeDownFromQuorum";
    /** A TLS certificate a node or entry point presents expires soon. */
    public static final String TLS_CERTIFICATE_EXPIRING = "MailprobeTLSCertificateExpiring";
    /** Prometheus no longer gets mailprobe's metrics: the monitor is blind. */
    public static final String MONITOR_DOWN = "MailprobeMonitorDown";
    /** mailprobe runs but no round trip has completed for a while: the delivery SLO is blind. */
    public static final String ROUND_TRIPS_STALLED = "MailprobeRoundTripsStalled";
    /** The prober holds more connections to a node than it is configured to. */
    public static final String PROBE_LOAD_ABOVE_LIMIT = "MailprobeProbeLoadAboveLimit";

    public static final List<String> ALL = List.of(ERROR_BUDGET_BURN, NODE_DOWN_CUSTOMER_IMPACT, NODE_DOWN_ABSORBED,
            NODE_FLAPPING, NODE_DOWN_FROM_QUORUM, TLS_CERTIFICATE_EXPIRING, MONITOR_DOWN, ROUND_TRIPS_STALLED,
            PROBE_LOAD_ABOVE_LIMIT);

    private AlertNames() {}
}
