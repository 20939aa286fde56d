package dev.mailprobe.demo;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /demo/faults} and {@code POST /demo/faults/:node}. A bad request gets 400 with
 * {@code {"error": "..."}} and changes nothing.
 */
final class FaultApi {
    static final Duration MAX_DELAY = Duration.ofMinutes(10);
    private static final Set<String> FIELDS = Set.of("mode", "delay");

    private final FaultInjector faults;

    FaultApi(FaultInjector faults) {
        this.faults = faults;
    }

    void mount(Router router) {
        router.get("/demo/faults").handler(this::list);
        router.post("/demo/faults/:node")
                .handler(BodyHandler.create().setBodyLimit(16 * 1024))
                .handler(this::set);
    }

    static JsonObject toJson(FaultState s) {
        JsonObject o = new JsonObject().put("mode", s.mode().label());
        if (s.mode() == FaultMode.SLOW) {
            o.put("delay", DemoDurations.format(s.slowDelay()));
        }
        return o;
    }

    JsonObject listJson() {
        JsonObject all = new JsonObject();
        for (Map.Entry<String, FaultState> e : faults.states().entrySet()) {
            all.put(e.getKey(), toJson(e.getValue()));
        }
        return all;
    }

    private void list(RoutingContext ctx) {
        send(ctx, 200, listJson());
    }

    private void set(RoutingContext ctx) {
        String node = ctx.pathParam("node");
        if (!faults.nodes().contains(node)) {
            error(ctx, "unknown node '" + node + "'; known nodes: " + String.join(", ", faults.nodes()));
            return;
        }
        Buffer body = ctx.body().buffer();
        if (body == null || body.toString().isBlank()) {
            error(ctx, "missing request body; expected {\"mode\":\"" + FaultMode.labels() + "\"}");
            return;
        }
        Object parsed;
        try {
            parsed = Json.decodeValue(body);
        } catch (DecodeException e) {
            error(ctx, "request body is not valid JSON; expected {\"mode\":\"" + FaultMode.labels() + "\"}");
            return;
        }
        if (!(parsed instanceof JsonObject req)) {
            error(ctx, "request body must be a JSON object like {\"mode\":\"" + FaultMode.labels() + "\"}");
            return;
        }
        for (String k : req.fieldNames()) {
            if (!FIELDS.contains(k)) {
                error(ctx, "unknown field '" + k + "'; allowed: mode, delay");
                return;
            }
        }
        Object modeValue = req.getValue("mode");
        if (!(modeValue instanceof String modeLabel)) {
            error(ctx, modeValue == null
                    ? "field 'mode' is required: one of " + FaultMode.labels()
                    : "field 'mode' must be a string: one of " + FaultMode.labels());
            return;
        }
        Optional<FaultMode> mode = FaultMode.fromLabel(modeLabel);
        if (mode.isEmpty()) {
            error(ctx, "unknown mode '" + modeLabel + "'; expected one of " + FaultMode.labels());
            return;
        }
        Duration delay = null;
        if (req.containsKey("delay")) {
            if (mode.get() != FaultMode.SLOW) {
                error(ctx, "field 'delay' applies only to mode slow");
                return;
            }
            Object d = req.getValue("delay");
            try {
                delay = DemoDurations.parse(d instanceof String s ? s : null);
            } catch (IllegalArgumentException e) {
                error(ctx, "field 'delay': " + (d instanceof String ? e.getMessage() : "must be a string like 800ms or 3s"));
                return;
            }
            if (delay.compareTo(MAX_DELAY) > 0) {
                error(ctx, "field 'delay' must be at most 10m");
                return;
            }
        }
        if (!faults.supportedModes(node).contains(mode.get())) {
            error(ctx, "mode " + mode.get().label() + " is not supported on node " + node
                    + "; lose-mail applies to SMTP nodes only");
            return;
        }
        try {
            faults.apply(node, mode.get(), delay).onComplete(ar -> {
                if (ar.succeeded()) {
                    send(ctx, 200, new JsonObject().put("node", node).mergeIn(toJson(ar.result())));
                } else {
                    send(ctx, 500, new JsonObject().put("error", "fault recorded but not fully applied: "
                            + ar.cause().getMessage()));
                }
            });
        } catch (IllegalArgumentException | IllegalStateException e) {
            error(ctx, e.getMessage());
        }
    }

    private static void error(RoutingContext ctx, String message) {
        send(ctx, 400, new JsonObject().put("error", message));
    }

    private static void send(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json; charset=utf-8")
                .end(body.encode());
    }
}
