package dev.mailprobe.http;

import dev.mailprobe.config.Durations;
import dev.mailprobe.health.DownEvent;
import dev.mailprobe.health.HealthEvents;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/events}: the DOWN events with their evidence, newest first (by start).
 * <pre>
 * ?node=imap-1           one node's events
 * ?since=7d              events DOWN at or after that time: open, or ended at or after it;
 *                        RFC 3339 (2024-05-01T10:00:00Z) or a duration back from now (30m, 7d)
 * ?open=true|false       only open / only closed events
 * ?limit=100             at most that many (1-10000, default 1000)
 * </pre>
 * A bad or unknown parameter is answered 400 with {@code {"error": "..."}} naming it.
 * <pre>
 * {"at": "...", "count": 1, "events": [{"id": 7, "node": "imap-1", "protocols": ["imap"],
 *   "start": "...", "end": null, "open": true, "durationSeconds": 61.2, "reason": "refused",
 *   "detectedAt": "...", "lastFailureAt": "...", "endEstimated": false, "note": null,
 *   "evidence": {"at": ..., "reason": "refused", "failedPhase": "connect", "error": ..., "phaseSeconds": {...},
 *                "replyCode": 0, "replyText": null, "tls": null, "transcript": [...]},
 *   "impact": null}]}
 * </pre>
 */
public final class EventsJson {
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    private static final List<String> PARAMS = List.of("node", "since", "open", "limit");

    private final HealthEvents events;
    private final Set<String> configuredNodes;
    private final Clock clock;

    public EventsJson(HealthEvents events, Set<String> configuredNodes, Clock clock) {
        this.events = events;
        this.configuredNodes = Set.copyOf(configuredNodes);
        this.clock = clock;
    }

    /** Mounts {@code GET /api/events} on {@code router}. */
    public void mount(Router router) {
        router.get("/api/events").handler(this::handle);
    }

    /** The route handler: the query runs on a worker thread (the store blocks). */
    public void handle(RoutingContext ctx) {
        MultiMap params = ctx.queryParams();
        ctx.vertx().executeBlocking(() -> answer(params), false)
                .onSuccess(a -> ctx.response().setStatusCode(a.status())
                        .putHeader("content-type", "application/json")
                        .end(a.body().encodePrettily()))
                .onFailure(ctx::fail);
    }

    /** Status and body for these query parameters. */
    public Answer answer(MultiMap params) {
        Instant now = clock.instant();
        Filter filter;
        try {
            filter = parse(params, now);
        } catch (BadFilter e) {
            return new Answer(400, new JsonObject().put("error", e.getMessage()));
        }
        List<DownEvent> found = events.events(filter.node(), filter.since(), filter.open(), filter.limit());
        JsonArray list = new JsonArray();
        found.forEach(e -> list.add(eventJson(e, now)));
        return new Answer(200, new JsonObject().put("at", now.toString()).put("count", found.size()).put("events", list));
    }

    /** One event as JSON (also for other documents that list events). */
    public static JsonObject eventJson(DownEvent e, Instant now) {
        return new JsonObject()
                .put("id", e.id())
                .put("node", e.node())
                .put("protocols", new JsonArray(List.copyOf(e.protocols())))
                .put("start", e.start().toString())
                .put("end", e.end() == null ? null : e.end().toString())
                .put("open", e.open())
                .put("durationSeconds", e.durationAt(now).toMillis() / 1000.0)
                .put("reason", e.reason())
                .put("detectedAt", e.detectedAt().toString())
                .put("lastFailureAt", e.lastFailureAt().toString())
                .put("endEstimated", e.endEstimated())
                .put("note", e.note())
                .put("evidence", e.evidence().toJson())
                .put("impact", e.impact());
    }

    public record Answer(int status, JsonObject body) {}

    record Filter(Optional<String> node, Instant since, Optional<Boolean> open, int limit) {}

    Filter parse(MultiMap params, Instant now) throws BadFilter {
        for (String name : new TreeSet<>(params.names())) {
            if (!PARAMS.contains(name)) {
                throw new BadFilter("unknown parameter \"" + name + "\" (use " + String.join(", ", PARAMS) + ")");
            }
            if (params.getAll(name).size() > 1) {
                throw new BadFilter(name + ": give it once");
            }
        }
        Optional<String> node = Optional.ofNullable(params.get("node"));
        if (node.isPresent() && !configuredNodes.contains(node.get()) && !events.nodes().contains(node.get())) {
            throw new BadFilter("node: \"" + node.get() + "\" is not a configured node and has no events (nodes: "
                    + String.join(", ", new TreeSet<>(configuredNodes)) + ")");
        }
        Instant since = null;
        String s = params.get("since");
        if (s != null) {
            since = since(s, now);
        }
        Optional<Boolean> open = Optional.empty();
        String o = params.get("open");
        if (o != null) {
            open = switch (o) {
                case "true" -> Optional.of(true);
                case "false" -> Optional.of(false);
                default -> throw new BadFilter("open: \"" + o + "\" is not true or false");
            };
        }
        int limit = DEFAULT_LIMIT;
        String l = params.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new BadFilter("limit: \"" + l + "\" is not a number from 1 to " + MAX_LIMIT);
            }
        }
        return new Filter(node, since, open, limit);
    }

    private static Instant since(String s, Instant now) throws BadFilter {
        Optional<java.time.Duration> d = Durations.tryParse(s);
        if (d.isPresent()) {
            return now.minus(d.get());
        }
        try {
            // RFC 3339 allows a space for T and lower-case t/z; an unencoded + arrives as a space
            String t = s.toUpperCase(Locale.ROOT);
            if (t.length() > 10 && t.charAt(10) == ' ') {
                t = t.substring(0, 10) + 'T' + t.substring(11);
            }
            return OffsetDateTime.parse(t.replace(' ', '+')).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadFilter("since: \"" + s + "\" is neither an RFC 3339 time (2024-05-01T10:00:00Z)"
                    + " nor a duration back from now (" + Durations.HINT + ")");
        }
    }

    static final class BadFilter extends Exception {
        BadFilter(String message) {
            super(message);
        }
    }
}
