package dev.mailprobe.metrics;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.RoundTripSettings;
import dev.mailprobe.probe.roundtrip.Outcome;
import dev.mailprobe.probe.roundtrip.RoundTripPlan;
import dev.mailprobe.probe.roundtrip.RoundTripResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Round-trip results as {@code mailprobe_roundtrip_seconds{send_node,fetch_node}} (send accepted ->
 * visible, for delivered and late mail; buckets include {@code deliveredWithin} and
 * {@code lostAfter} exactly) and {@code mailprobe_roundtrips_total{send_node,fetch_node,result}}.
 * Every series of every configured path (all node pairs, whatever the matrix, and the customer
 * paths) is created at construction.
 */
public final class RoundTripMetrics {
    static final String ROUNDTRIP_SECONDS = "mailprobe.roundtrip";
    static final String ROUNDTRIPS = "mailprobe.roundtrips";

    /** The ladder; deliveredWithin and lostAfter are added to it. */
    static final Duration[] LADDER = {
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
        Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30)
    };

    private final Map<String, PathMeters> meters = new HashMap<>();

    public RoundTripMetrics(MeterRegistry registry, MailprobeConfig config) {
        this(registry, config, path -> true);
    }

    /** Series for the paths {@code owned} accepts: a shard exports only the round trips it runs. */
    public RoundTripMetrics(MeterRegistry registry, MailprobeConfig config,
                            java.util.function.Predicate<RoundTripPlan.Path> owned) {
        RoundTripSettings rt = config.roundTrip();
        if (rt == null) {
            return;
        }
        Duration[] buckets = buckets(rt.deliveredWithin(), rt.lostAfter());
        for (RoundTripPlan.Path p : new RoundTripPlan(config).allPaths()) {
            if (!owned.test(p)) {
                continue;
            }
            meters.computeIfAbsent(key(p.send().label(), p.fetch().label()),
                    k -> new PathMeters(registry, p.send().label(), p.fetch().label(), buckets));
        }
    }

    /** The ladder up to lostAfter, plus deliveredWithin and lostAfter exactly. */
    static Duration[] buckets(Duration deliveredWithin, Duration lostAfter) {
        TreeSet<Duration> set = new TreeSet<>();
        for (Duration d : LADDER) {
            if (d.compareTo(lostAfter) <= 0) {
                set.add(d);
            }
        }
        set.add(deliveredWithin);
        set.add(lostAfter);
        return set.toArray(Duration[]::new);
    }

    /** Records one result; a result for an unconfigured path is ignored (it has no series). */
    public void record(RoundTripResult r) {
        PathMeters m = meters.get(key(r.sendNode(), r.fetchNode()));
        if (m == null) {
            return;
        }
        m.results.get(r.result()).increment();
        if (r.latency() != null && (r.result() == Outcome.DELIVERED || r.result() == Outcome.LATE)) {
            m.latency.record(r.latency());
        }
    }

    private static String key(String send, String fetch) {
        return send + '\u0000' + fetch;
    }

    private static final class PathMeters {
        final Timer latency;
        final Map<Outcome, Counter> results = new EnumMap<>(Outcome.class);

        PathMeters(MeterRegistry registry, String send, String fetch, Duration[] buckets) {
            latency = Timer.builder(ROUNDTRIP_SECONDS)
                    .description("Round trip: 250 after DATA on the send node -> visible on the fetch node")
                    .tags("send_node", send, "fetch_node", fetch)
                    .serviceLevelObjectives(buckets)
                    .register(registry);
            for (Outcome o : Outcome.values()) {
                results.put(o, Counter.builder(ROUNDTRIPS)
                        .description("Round-trip mails by final result")
                        .tags("send_node", send, "fetch_node", fetch, "result", o.label())
                        .register(registry));
            }
        }
    }
}
