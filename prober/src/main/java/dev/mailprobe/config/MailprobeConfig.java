package dev.mailprobe.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole validated configuration. Instances are only made by {@link ConfigLoader} (from YAML) or
 * by code that builds a known-good config (the demo), so every field is already checked.
 *
 * @param cluster   value of the {@code cluster} label on every series, or null
 * @param vantage   value of the {@code vantage} label on every series, or null
 * @param roundTrip null when round trips are not configured
 * @param health    the node state machine's thresholds ({@code health:}), defaults when absent
 * @param shard     how many shards the targets are split over ({@code shard:}), one when absent
 * @param alerting  links and low-traffic guards of the generated alerts ({@code alerting:}), defaults when absent
 */
public record MailprobeConfig(
        String cluster,
        String vantage,
        Http http,
        Store store,
        ProbeSettings probe,
        Map<String, Account> accounts,
        List<Node> nodes,
        List<EntryPoint> entryPoints,
        RoundTripSettings roundTrip,
        List<SloSpec> slos,
        List<KnownJob> knownJobs,
        HealthSettings health,
        ShardSettings shard,
        AlertingSettings alerting) {

    public MailprobeConfig {
        accounts = Collections.unmodifiableMap(new LinkedHashMap<>(accounts));
        nodes = List.copyOf(nodes);
        entryPoints = List.copyOf(entryPoints);
        slos = List.copyOf(slos);
        knownJobs = List.copyOf(knownJobs);
        health = health == null ? HealthSettings.DEFAULTS : health;
        shard = shard == null ? ShardSettings.NONE : shard;
        alerting = alerting == null ? AlertingSettings.DEFAULTS : alerting;
    }

    /** A config with the default {@code alerting:} settings. */
    public MailprobeConfig(String cluster, String vantage, Http http, Store store, ProbeSettings probe,
                           Map<String, Account> accounts, List<Node> nodes, List<EntryPoint> entryPoints,
                           RoundTripSettings roundTrip, List<SloSpec> slos, List<KnownJob> knownJobs,
                           HealthSettings health, ShardSettings shard) {
        this(cluster, vantage, http, store, probe, accounts, nodes, entryPoints, roundTrip, slos, knownJobs,
                health, shard, AlertingSettings.DEFAULTS);
    }

    /** A config that is not sharded. */
    public MailprobeConfig(String cluster, String vantage, Http http, Store store, ProbeSettings probe,
                           Map<String, Account> accounts, List<Node> nodes, List<EntryPoint> entryPoints,
                           RoundTripSettings roundTrip, List<SloSpec> slos, List<KnownJob> knownJobs,
                           HealthSettings health) {
        this(cluster, vantage, http, store, probe, accounts, nodes, entryPoints, roundTrip, slos, knownJobs,
                health, ShardSettings.NONE, AlertingSettings.DEFAULTS);
    }

    /** A config with the default {@code health:} thresholds. */
    public MailprobeConfig(String cluster, String vantage, Http http, Store store, ProbeSettings probe,
                           Map<String, Account> accounts, List<Node> nodes, List<EntryPoint> entryPoints,
                           RoundTripSettings roundTrip, List<SloSpec> slos, List<KnownJob> knownJobs) {
        this(cluster, vantage, http, store, probe, accounts, nodes, entryPoints, roundTrip, slos, knownJobs,
                HealthSettings.DEFAULTS, ShardSettings.NONE, AlertingSettings.DEFAULTS);
    }

    /** The same config with only the given nodes and entry points, and {@code shard} (a view of one shard). */
    public MailprobeConfig withTargets(List<Node> nodes, List<EntryPoint> entryPoints, ShardSettings shard) {
        return new MailprobeConfig(cluster, vantage, http, store, probe, accounts, nodes, entryPoints, roundTrip,
                slos, knownJobs, health, shard, alerting);
    }

    /** {@code http:}; {@code bind} is the listen address. */
    public record Http(String bind, int port) {
        public static final Http DEFAULTS = new Http("0.0.0.0", 8080);
    }

    /** {@code store:} the SQLite file for events, evidence and SLO timeslices. */
    public record Store(Path path) {
        public static final Store DEFAULTS = new Store(Path.of("mailprobe.db"));
    }

    public Optional<Node> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public Optional<EntryPoint> entryPoint(String name) {
        return entryPoints.stream().filter(e -> e.name().equals(name)).findFirst();
    }
}
