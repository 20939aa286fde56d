package dev.mailprobe.shard;

import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ShardSettings;
import dev.mailprobe.probe.roundtrip.RoundTripPlan;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What one shard probes of a config. The unit of assignment is a node or an entry point (by name,
 * the {@code node} label), with all its protocols, so that one process holds every per-target
 * series, the node's state machine and its DOWN events. A round trip belongs to the shard of its
 * send side (the node or entry point the mail is submitted through): a mail lost after a node
 * accepted it counts against that node's health, on the shard that owns the node. The SLO
 * counters of all shards add up: the recording rules sum them by {@code cluster, vantage}.
 */
public final class ShardPlan {
    private final Shard shard;
    private final List<Node> nodes;
    private final List<EntryPoint> entryPoints;
    private final Set<String> owned;

    private ShardPlan(Shard shard, List<Node> nodes, List<EntryPoint> entryPoints) {
        this.shard = shard;
        this.nodes = List.copyOf(nodes);
        this.entryPoints = List.copyOf(entryPoints);
        this.owned = Stream.concat(nodes.stream().map(Node::name), entryPoints.stream().map(EntryPoint::name))
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The share of {@code config}'s targets that {@code shard} owns. */
    public static ShardPlan of(MailprobeConfig config, Shard shard) {
        return new ShardPlan(shard,
                config.nodes().stream().filter(n -> shard.owns(n.name())).toList(),
                config.entryPoints().stream().filter(e -> shard.owns(e.name())).toList());
    }

    public Shard shard() {
        return shard;
    }

    /** Whether this shard probes the node or entry point {@code name}. */
    public boolean owns(String name) {
        return owned.contains(name);
    }

    /** Whether this shard runs round trips on {@code path}: it owns the path's send side. */
    public boolean owns(RoundTripPlan.Path path) {
        return owns(path.send().label());
    }

    /** The nodes this shard probes, in config order. */
    public List<Node> nodes() {
        return nodes;
    }

    /** The entry points this shard probes, in config order. */
    public List<EntryPoint> entryPoints() {
        return entryPoints;
    }

    /**
     * {@code config} limited to this shard's nodes and entry points, with {@code shard:} set to
     * this shard: what its status page and {@code /api/status} show.
     */
    public MailprobeConfig view(MailprobeConfig config) {
        return shard.sharded()
                ? config.withTargets(nodes, entryPoints, new ShardSettings(shard.count(), shard.index()))
                : config;
    }
}
