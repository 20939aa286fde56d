package dev.mailprobe.http;

import dev.mailprobe.probe.roundtrip.Outcome;
import dev.mailprobe.probe.roundtrip.RoundTripResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET /api/roundtrips}: the round-trip matrix, send path x fetch path, from the round-trip
 * results on the bus: per path its last result, latency percentiles of the mails seen and the
 * count of every outcome over the last {@link #WINDOW}.
 * <pre>
 * {"at": "...", "windowSeconds": 3600, "sendNodes": ["mx", "smtp-1", ...], "fetchNodes": ["mailbox", ...],
 *  "paths": [{"send": "mx", "fetch": "mailbox", "total": 60,
 *             "counts": {"delivered": 58, "late": 1, "lost": 1, "send_failed": 0, "fetch_failed": 0},
 *             "latencySeconds": {"p50": 0.21, "p95": 0.8, "p99": 1.2, "max": 31.0, "samples": 59},
 *             "last": {"at": "...", "result": "delivered", "latencySeconds": 0.2, "servedBySend": "smtp-1",
 *                      "servedByFetch": "imap-2", "evidence": "..."}}]}
 * </pre>
 * Percentiles are nearest-rank over the latencies of the delivered and late mails in the window
 * (null without any); {@code sentAt} (wall clock) places a result in the window. Sends and fetches
 * are listed in configuration order (entry points first, as customers use them).
 */
public final class RoundTrips {
    /** How far back counts and percentiles reach. */
    public static final Duration WINDOW = Duration.ofHours(1);
    /** Bound on the results kept per path. */
    static final int MAX_KEPT = 2_000;

    private record Seen(Instant sentAt, Outcome result, Duration latency) {}

    private record Path(String send, String fetch) {}

    private final Map<Path, ArrayDeque<Seen>> window = new ConcurrentHashMap<>();
    private final Map<Path, RoundTripResult> last = new ConcurrentHashMap<>();
    private final List<String> order;
    private final Clock clock;

    /** @param order target names in the order to list them (unknown names go last, by name) */
    public RoundTrips(List<String> order, Clock clock) {
        this.order = List.copyOf(order);
        this.clock = clock;
    }

    public void record(RoundTripResult r) {
        Path path = new Path(r.sendNode(), r.fetchNode());
        last.merge(path, r, (old, now) -> now.sentAt() != null && old.sentAt() != null && now.sentAt().isBefore(old.sentAt()) ? old : now);
        ArrayDeque<Seen> q = window.computeIfAbsent(path, p -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(new Seen(r.sentAt() == null ? clock.instant() : r.sentAt(), r.result(), r.latency()));
            while (q.size() > MAX_KEPT) {
                q.removeFirst();
            }
        }
    }

    /** Mounts {@code GET /api/roundtrips}. */
    public void mount(Router router) {
        router.get("/api/roundtrips").handler(ctx -> ctx.response().putHeader("content-type", "application/json")
                .end(json(clock.instant()).encodePrettily()));
    }

    public JsonObject json(Instant now) {
        Instant from = now.minus(WINDOW);
        List<Path> paths = new ArrayList<>(last.keySet());
        paths.sort(Comparator.comparing((Path p) -> rank(p.send())).thenComparing(Path::send)
                .thenComparing(p -> rank(p.fetch())).thenComparing(Path::fetch));
        JsonArray list = new JsonArray();
        List<String> sends = new ArrayList<>();
        List<String> fetches = new ArrayList<>();
        for (Path p : paths) {
            if (!sends.contains(p.send())) {
                sends.add(p.send());
            }
            if (!fetches.contains(p.fetch())) {
                fetches.add(p.fetch());
            }
            list.add(pathJson(p, from));
        }
        fetches.sort(Comparator.comparing((String n) -> rank(n)).thenComparing(n -> n));
        return new JsonObject().put("at", now.toString()).put("windowSeconds", WINDOW.toSeconds())
                .put("sendNodes", new JsonArray(sends)).put("fetchNodes", new JsonArray(fetches)).put("paths", list);
    }

    private JsonObject pathJson(Path p, Instant from) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        List<Double> latencies = new ArrayList<>();
        ArrayDeque<Seen> q = window.get(p);
        synchronized (q) {
            while (!q.isEmpty() && q.peekFirst().sentAt().isBefore(from)) {
                q.removeFirst();
            }
            for (Seen s : q) {
                counts.merge(s.result(), 1, Integer::sum);
                if (s.latency() != null) {
                    latencies.add(s.latency().toNanos() / 1e9);
                }
            }
        }
        JsonObject c = new JsonObject();
        int total = 0;
        for (var e : counts.entrySet()) {
            c.put(e.getKey().label(), e.getValue());
            total += e.getValue();
        }
        double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        JsonObject pct = new JsonObject().put("p50", percentile(sorted, 0.50)).put("p95", percentile(sorted, 0.95))
                .put("p99", percentile(sorted, 0.99)).put("max", sorted.length == 0 ? null : sorted[sorted.length - 1])
                .put("samples", sorted.length);
        RoundTripResult r = last.get(p);
        JsonObject lastJson = new JsonObject()
                .put("at", r.sentAt() == null ? null : r.sentAt().toString())
                .put("result", r.resultLabel())
                .put("latencySeconds", r.latency() == null ? null : r.latency().toNanos() / 1e9)
                .put("servedBySend", r.servedBySend())
                .put("servedByFetch", r.servedByFetch())
                .put("evidence", r.evidence());
        return new JsonObject().put("send", p.send()).put("fetch", p.fetch()).put("total", total)
                .put("counts", c).put("latencySeconds", pct).put("last", lastJson);
    }

    /** Nearest-rank percentile of an ascending array; null when empty. */
    static Double percentile(double[] ascending, double q) {
        if (ascending.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(q * ascending.length);
        return ascending[Math.max(0, Math.min(ascending.length - 1, rank - 1))];
    }

    private int rank(String name) {
        int i = order.indexOf(name);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}
