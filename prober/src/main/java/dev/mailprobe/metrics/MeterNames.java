package dev.mailprobe.metrics;

/**
 * Micrometer names of the contract metrics. The Prometheus registry turns {@code a.b} into
 * {@code a_b}, appends {@code _total} to counters and {@code _seconds} to timers, so
 * {@code mailprobe.probes} is exported as {@code mailprobe_probes_total}.
 */
final class MeterNames {
    static final String BUILD_INFO = "mailprobe.build.info";
    static final String PROBE_SUCCESS = "mailprobe.probe.success";
    static final String PROBES = "mailprobe.probes";
    static final String PROBE_DURATION = "mailprobe.probe.duration";
    static final String PROBE_CONNECTIONS = "mailprobe.probe.connections";
    static final String PROBE_CONNECTIONS_LIMIT = "mailprobe.probe.connections.limit";
    static final String PROBE_OVERRUNS = "mailprobe.probe.overruns";
    static final String PROBE_BACKOFF_FACTOR = "mailprobe.probe.backoff.factor";
    static final String TLS_CERT_EXPIRY = "mailprobe.tls.certificate.expiry.timestamp";

    private MeterNames() {}
}
