package dev.mailprobe.runtime;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.health.LastProbeResults;
import dev.mailprobe.http.HttpVerticle;
import dev.mailprobe.metrics.MetricsRegistry;
import dev.mailprobe.metrics.ProbeMetrics;
import dev.mailprobe.metrics.RoundTripMetrics;
import dev.mailprobe.metrics.ScheduleMetrics;
import dev.mailprobe.schedule.ConnectionLimiter;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.roundtrip.RoundTripResult;
import dev.mailprobe.store.Store;
import io.vertx.core.Future;
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
    private volatile boolean ready;
    private HttpVerticle http;

    private Mailprobe(Vertx vertx, MailprobeConfig config, Store store, MetricsRegistry metrics) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.metrics = metrics;
    }

    /** Where HTTP listens, and what else it serves (the demo's fault API). */
    public record Options(String bind, int port, String version, Consumer<Router> extraRoutes) {}

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
        return mailprobe.deploy(options)
                .map(v -> mailprobe)
                .recover(err -> mailprobe.stop().transform(ignored -> Future.failedFuture(err)));
    }

    private Future<Void> deploy(Options options) {
        ResultBus.registerLocalCodec(vertx, ProbeResult.class);
        ResultBus.registerLocalCodec(vertx, RoundTripResult.class);
        ProbeMetrics probeMetrics = new ProbeMetrics(metrics.registry(), config);
        RoundTripMetrics roundTripMetrics = new RoundTripMetrics(metrics.registry(), config);
        LastProbeResults lastResults = new LastProbeResults();
        ConnectionLimiter limiter = new ConnectionLimiter(config.probe().maxConnectionsPerNode());
        ScheduleMetrics scheduleMetrics = new ScheduleMetrics(metrics.registry(), limiter);
        http = new HttpVerticle(options.bind(), options.port(), config, metrics, lastResults,
                () -> ready, options.extraRoutes());
        return deployOne(new ResultConsumerVerticle<ProbeResult>(ResultBus.PROBE_RESULTS, probeMetrics::record))
                .compose(v -> deployOne(new ResultConsumerVerticle<ProbeResult>(ResultBus.PROBE_RESULTS, lastResults::record)))
                .compose(v -> deployOne(new ProbeSchedulerVerticle(config, limiter, scheduleMetrics)))
                .compose(v -> deployOne(new ResultConsumerVerticle<RoundTripResult>(ResultBus.ROUNDTRIP_RESULTS, roundTripMetrics::record)))
                .compose(v -> config.roundTrip() == null ? Future.<Void>succeededFuture()
                        : deployOne(new RoundTripVerticle(config, store)))
                .compose(v -> deployOne(http))
                .onSuccess(v -> ready = true);
    }

    private Future<Void> deployOne(io.vertx.core.Deployable verticle) {
        return vertx.deployVerticle(verticle).map(id -> {
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
            store.close();
            metrics.close();
        });
    }
}
