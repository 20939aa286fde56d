package dev.mailprobe.runtime;

import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.health.HealthEngine;
import dev.mailprobe.health.HealthEvents;
import dev.mailprobe.health.LastProbeResults;
import dev.mailprobe.http.EventsJson;
import dev.mailprobe.metrics.HealthMetrics;
import dev.mailprobe.http.HttpVerticle;
import dev.mailprobe.http.RecentResults;
import dev.mailprobe.http.RoundTrips;
import dev.mailprobe.metrics.MetricsRegistry;
import dev.mailprobe.metrics.ProbeMetrics;
import dev.mailprobe.metrics.RoundTripMetrics;
import dev.mailprobe.metrics.ScheduleMetrics;
import dev.mailprobe.schedule.ConnectionLimiter;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.roundtrip.RoundTripResult;
import dev.mailprobe.metrics.ShardMetrics;
import dev.mailprobe.probe.roundtrip.RoundTripPlan;
import dev.mailprobe.shard.Shard;
import dev.mailprobe.shard.ShardPlan;
import dev.mailprobe.store.ProberRuns;
import dev.mailprobe.store.Store;
import dev.mailprobe.health.DownEvent;
import dev.mailprobe.slo.IncidentImpact;
import dev.mailprobe.slo.SliClassifier;
import dev.mailprobe.slo.SloEngine;
import dev.mailprobe.slo.SloJson;
import dev.mailprobe.slo.SloMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import java.time.Clock;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running prober: the verticles of DESIGN.md wired on one Vertx. Results flow one way: probes
 * publish on the {@link ResultBus}; metrics, health and status consume; HTTP reads their state.
 */
public final class Mailprobe {
    private static final Logger log = LoggerFactory.getLogger(Mailprobe.class);

    private final Vertx vertx;
    private final MailprobeConfig config;
    private final Store store;
    private final MetricsRegistry metrics;
    private final List<String> deployments = new ArrayList<>();
    private static final DeploymentOptions WORKER = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER);

    private volatile boolean ready;
    private SloEngine sloEngine;
    private ProberRuns runs;
    private long runId;
    private HttpVerticle http;
    private HealthEngine health;

    private Mailprobe(Vertx vertx, MailprobeConfig config, Store store, MetricsRegistry metrics) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * Where HTTP listens, what else it serves (the demo's fault API), and which shard of the
     * targets this process probes.
     */
    public record Options(String bind, int port, String version, Consumer<Router> extraRoutes, Shard shard) {
        public Options {
            shard = shard == null ? Shard.ALL : shard;
        }

        /** Every target (no sharding). */
        public Options(String bind, int port, String version, Consumer<Router> extraRoutes) {
            this(bind, port, version, extraRoutes, Shard.ALL);
        }
    }

    /** Opens the store, deploys every verticle and starts listening; fails if any part fails. */
    public static Future<Mailprobe> start(Vertx vertx, MailprobeConfig config, Options options) {
        Store store;
        try {
            store = Store.open(config.store().path());
        } catch (Store.StoreException e) {
            return Future.failedFuture(e);
        }
        MetricsRegistry metrics = new MetricsRegistry(config.cluster(), config.vantage(), options.version());
        Mailprobe mailprobe = new Mailprobe(vertx, config, store, metrics);
        try {
            mailprobe.runs = new ProberRuns(store);
            mailprobe.runId = mailprobe.runs.started(Instant.now());
        } catch (Store.StoreException e) {
            store.close();
            metrics.close();
            return Future.failedFuture(e);
        }
        return mailprobe.deploy(options)
                .map(v -> mailprobe)
                .recover(err -> mailprobe.stop().transform(ignored -> Future.failedFuture(err)));
    }

    private Future<Void> deploy(Options options) {
        ResultBus.registerLocalCodec(vertx, ProbeResult.class);
        ResultBus.registerLocalCodec(vertx, RoundTripResult.class);
        ShardPlan shard = ShardPlan.of(config, options.shard());
        List<RoundTripPlan.Slot> roundTripSlots = config.roundTrip() == null ? List.of()
                : RoundTripVerticle.ownedSlots(new RoundTripPlan(config), shard);
        if (shard.shard().sharded()) {
            log.info("{}: probing {} of {} nodes, {} of {} entry points, {} round-trip slots", shard.shard(),
                    shard.nodes().size(), config.nodes().size(), shard.entryPoints().size(), config.entryPoints().size(),
                    roundTripSlots.size());
        }
        new ShardMetrics(metrics.registry(), shard, roundTripSlots.size());
        ProbeMetrics probeMetrics = new ProbeMetrics(metrics.registry(), config, shard::owns);
        RoundTripMetrics roundTripMetrics = new RoundTripMetrics(metrics.registry(), config,
                (RoundTripPlan.Path path) -> shard.owns(path));
        LastProbeResults lastResults = new LastProbeResults();
        RecentResults recentResults = new RecentResults();
        List<String> targetOrder = new ArrayList<>();
        config.entryPoints().forEach(ep -> targetOrder.add(ep.name()));
        config.nodes().forEach(n -> targetOrder.add(n.name()));
        RoundTrips roundTrips = new RoundTrips(targetOrder, Clock.systemUTC());
        ConnectionLimiter limiter = connectionLimiter(config);
        ScheduleMetrics scheduleMetrics = new ScheduleMetrics(metrics.registry(), limiter);
        SloEngine slo;
        HealthEvents healthEvents;
        try {
            slo = new SloEngine(config.slos(), store, Clock.systemUTC());
            healthEvents = new HealthEvents(store);
            // resumes the DOWN events left open by the previous run (or a kill -9)
            // a shard keeps the state machines (and DOWN events) of its own nodes only
            java.util.Map<String, Set<String>> checks = new java.util.LinkedHashMap<>(HealthEngine.checksOf(config));
            checks.keySet().removeIf(node -> !shard.owns(node));
            health = new HealthEngine(config.health(), checks, healthEvents, Clock.systemUTC());
        } catch (Store.StoreException | RuntimeException e) {
            return Future.failedFuture(e);
        }
        sloEngine = slo;
        List<String> sloNodes = new ArrayList<>();
        config.nodes().forEach(n -> sloNodes.add(n.name()));
        new SloMetrics(metrics.registry(), slo, sloNodes);
        new HealthMetrics(metrics.registry(), health);
        EventsJson eventsApi = new EventsJson(healthEvents,
                config.nodes().stream().map(dev.mailprobe.config.Node::name).collect(Collectors.toUnmodifiableSet()),
                Clock.systemUTC());
        // a closed DOWN event keeps the customer impact it had: the budget its node burned meanwhile
        health.addListener(new HealthEngine.Listener() {
            @Override
            public void closed(DownEvent event) {
                IncidentImpact impact = IncidentImpact.of(slo, event.node(), event.start(), event.end(), Instant.now());
                healthEvents.setImpact(event.id(), new JsonObject()
                        .put("absorbed", impact.absorbed())
                        .put("budgetConsumed", new JsonObject(new LinkedHashMap<>(impact.budgetConsumed())))
                        .put("badEvents", new JsonObject(new LinkedHashMap<>(impact.badEvents()))));
            }
        });
        Consumer<Router> routes = router -> {
            eventsApi.mount(router);
            roundTrips.mount(router);
            router.get("/api/slo").handler(ctx -> vertx.executeBlocking(() -> sloJson(slo, healthEvents, runs), false)
                    .onSuccess(json -> ctx.response().putHeader("content-type", "application/json").end(json.encodePrettily()))
                    .onFailure(ctx::fail));
            options.extraRoutes().accept(router);
        };
        HealthEngine nodeHealth = health;
        Set<String> entryPoints = config.entryPoints().stream().map(EntryPoint::name).collect(Collectors.toUnmodifiableSet());
        http = new HttpVerticle(options.bind(), options.port(), shard.view(config), metrics, lastResults, recentResults,
                node -> nodeHealth.state(node).label(), () -> ready, routes);
        return deployOne(new ResultConsumerVerticle<ProbeResult>(ResultBus.PROBE_RESULTS, probeMetrics::record))
                .compose(v -> deployOne(new ResultConsumerVerticle<ProbeResult>(ResultBus.PROBE_RESULTS, lastResults::record)))
                .compose(v -> deployOne(new ResultConsumerVerticle<ProbeResult>(ResultBus.PROBE_RESULTS, recentResults::record)))
                // SQLite writes block: the SLO and health consumers run on worker threads, never an event loop;
                // the health engine writes DOWN events synchronously, one result at a time
                .compose(v -> deployOne(new ResultConsumerVerticle<ProbeResult>(ResultBus.PROBE_RESULTS,
                        result -> SliClassifier.classify(result).forEach(slo::record)), WORKER))
                .compose(v -> deployOne(new ResultConsumerVerticle<ProbeResult>(ResultBus.PROBE_RESULTS, health::observe), WORKER))
                .compose(v -> deployOne(new ProbeSchedulerVerticle(config, shard, limiter, scheduleMetrics)))
                .compose(v -> deployOne(new ResultConsumerVerticle<RoundTripResult>(ResultBus.ROUNDTRIP_RESULTS, roundTripMetrics::record)))
                .compose(v -> deployOne(new ResultConsumerVerticle<RoundTripResult>(ResultBus.ROUNDTRIP_RESULTS, roundTrips::record)))
                .compose(v -> deployOne(new ResultConsumerVerticle<RoundTripResult>(ResultBus.ROUNDTRIP_RESULTS,
                        result -> SliClassifier.classify(result, entryPoints).forEach(slo::record)), WORKER))
                .compose(v -> deployOne(new ResultConsumerVerticle<RoundTripResult>(ResultBus.ROUNDTRIP_RESULTS, health::observe), WORKER))
                .compose(v -> roundTripSlots.isEmpty() ? Future.<Void>succeededFuture()
                        : deployOne(new RoundTripVerticle(config, store, shard)))
                .compose(v -> deployOne(http))
                .onSuccess(v -> ready = true);
    }

    /**
     * {@code /api/slo}: the SLOs, the recent DOWN events with the budget each burned, and
     * {@code observedSince} (the first recorded prober run: how much of each window was watched).
     */
    private static JsonObject sloJson(SloEngine slo, HealthEvents events, ProberRuns runs) {
        Instant now = Instant.now();
        List<SloJson.Incident> incidents = events.events(Optional.empty(), now.minus(Duration.ofDays(30)), Optional.empty(), 100)
                .stream().map(e -> new SloJson.Incident(Long.toString(e.id()), e.node(), e.start(), e.end())).toList();
        return SloJson.toJson(slo.snapshot(now)).put("incidents", SloJson.perIncident(slo, incidents, now))
                .put("observedSince", runs.firstStart().map(Instant::toString).orElse(null));
    }

    /** Each node's (and entry point's) own bound, as resolved into its endpoints' settings. */
    private static ConnectionLimiter connectionLimiter(MailprobeConfig config) {
        java.util.Map<String, Integer> maxByNode = new java.util.HashMap<>();
        config.nodes().forEach(n -> n.protocols().values().stream().findFirst()
                .ifPresent(e -> maxByNode.put(n.name(), e.settings().maxConnectionsPerNode())));
        config.entryPoints().forEach(ep -> ep.protocols().values().stream().findFirst()
                .ifPresent(e -> maxByNode.put(ep.name(), e.settings().maxConnectionsPerNode())));
        return new ConnectionLimiter(config.probe().maxConnectionsPerNode(), maxByNode);
    }

    private Future<Void> deployOne(io.vertx.core.Deployable verticle) {
        return deployOne(verticle, new DeploymentOptions());
    }

    private Future<Void> deployOne(io.vertx.core.Deployable verticle, DeploymentOptions options) {
        return vertx.deployVerticle(verticle, options).map(id -> {
            deployments.add(id);
            return null;
        });
    }

    public int httpPort() {
        return http.actualPort();
    }

    public MailprobeConfig config() {
        return config;
    }

    public MetricsRegistry metrics() {
        return metrics;
    }

    /** Node states and DOWN events. */
    public HealthEngine health() {
        return health;
    }

    /** Undeploys in reverse order (closing open probe connections), then flushes the store. */
    public Future<Void> stop() {
        ready = false;
        Future<Void> chain = Future.succeededFuture();
        for (int i = deployments.size() - 1; i >= 0; i--) {
            String id = deployments.get(i);
            chain = chain.compose(v -> vertx.undeploy(id).recover(err -> {
                log.warn("undeploying {} failed: {}", id, err.toString());
                return Future.succeededFuture();
            }));
        }
        deployments.clear();
        return chain.onComplete(ar -> {
            if (sloEngine != null) {
                sloEngine.flush();
            }
            runs.stopped(runId, Instant.now());
            store.close();
            metrics.close();
        });
    }
}
