package dev.mailprobe.http;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.health.LastProbeResults;
import dev.mailprobe.probe.ProbeResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds {@code /api/status}: every node and entry point with its protocols' latest probe and
 * their {@code recent} results ({@link RecentResults.Summary#toJson()}). A node's {@code state} is
 * its health state (up, suspect, down); an entry point's {@code state} is the worst recent state of
 * its protocols (up, degraded, down), absent before its first probe.
 */
final class StatusJson {
    private final MailprobeConfig config;
    private final LastProbeResults results;
    private final RecentResults recent;
    private final Function<String, String> nodeState;

    StatusJson(MailprobeConfig config, LastProbeResults results, RecentResults recent, Function<String, String> nodeState) {
        this.config = config;
        this.results = results;
        this.recent = recent;
        this.nodeState = nodeState;
    }

    JsonObject build() {
        Instant now = Instant.now();
        JsonArray nodes = new JsonArray();
        for (Node node : config.nodes()) {
            nodes.add(target(node.name(), "node", node.host(), node.protocols(), now).put("state", nodeState.apply(node.name())));
        }
        JsonArray entryPoints = new JsonArray();
        for (EntryPoint ep : config.entryPoints()) {
            JsonObject o = target(ep.name(), "entryPoint", ep.host(), ep.protocols(), now);
            List<RecentResults.Summary> states = new ArrayList<>();
            ep.protocols().keySet().forEach(p -> recent.summary(ep.name(), p, now).ifPresent(states::add));
            RecentResults.worst(states).ifPresent(s -> o.put("state", s.label()));
            if (!ep.via().isEmpty()) {
                o.put("via", new JsonArray(ep.via())).put("select", ep.select().label());
            }
            entryPoints.add(o);
        }
        JsonObject status = new JsonObject().put("nodes", nodes).put("entryPoints", entryPoints);
        if (config.cluster() != null) {
            status.put("cluster", config.cluster());
        }
        if (config.vantage() != null) {
            status.put("vantage", config.vantage());
        }
        if (config.shard().count() > 1 && config.shard().index() != null) {
            // a shard lists only its own targets; the others are on the other shards' pages
            status.put("shard", new JsonObject().put("index", config.shard().index()).put("count", config.shard().count()));
        }
        return status;
    }

    private JsonObject target(String name, String kind, String host, Map<Protocol, Endpoint> endpoints, Instant now) {
        JsonArray protocols = new JsonArray();
        for (Protocol protocol : Protocol.values()) {
            Endpoint e = endpoints.get(protocol);
            if (e == null) {
                continue;
            }
            JsonObject p = new JsonObject()
                    .put("protocol", protocol.label())
                    .put("port", e.port())
                    .put("tls", e.tls().label());
            results.latest(name, protocol).ifPresent(r -> p.put("last", lastResult(r)));
            recent.summary(name, protocol, now).ifPresent(r -> p.put("recent", r.toJson()));
            protocols.add(p);
        }
        JsonObject o = new JsonObject().put("name", name).put("kind", kind).put("protocols", protocols);
        if (host != null) {
            o.put("host", host);
        }
        return o;
    }

    private static JsonObject lastResult(ProbeResult r) {
        JsonObject phases = new JsonObject();
        r.phases().forEach((phase, d) -> phases.put(phase.label(), d.toNanos() / 1e9));
        JsonObject o = new JsonObject()
                .put("at", r.startedAt().toString())
                .put("success", r.success())
                .put("result", r.resultLabel())
                .put("servedBy", r.servedBy())
                .put("phaseSeconds", phases);
        if (!r.success()) {
            o.put("failedPhase", r.failedPhase() == null ? null : r.failedPhase().label()).put("error", r.error());
        }
        return o;
    }
}
