package dev.mailprobe.http;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.health.LastProbeResults;
import dev.mailprobe.metrics.MetricsRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/** The HTTP contract: /metrics, /healthz, /readyz, /api/status and the status page at /. */
public final class HttpVerticle extends VerticleBase {
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final String bind;
    private final int port;
    private final MetricsRegistry metrics;
    private final StatusJson status;
    private final BooleanSupplier ready;
    private final Consumer<Router> extraRoutes;
    private final String statusPage;
    private HttpServer server;

    /**
     * @param port        0 for any free port (see {@link #actualPort()})
     * @param recent      recent results per target and protocol: the entry points' state in /api/status
     * @param nodeState   a node's health state label (up, suspect, down) for /api/status
     * @param ready       whether /readyz answers 200
     * @param extraRoutes mounts more routes (the demo's fault API); may be a no-op
     */
    public HttpVerticle(String bind, int port, MailprobeConfig config, MetricsRegistry metrics,
                        LastProbeResults results, RecentResults recent, Function<String, String> nodeState, BooleanSupplier ready,
                        Consumer<Router> extraRoutes) {
        this.bind = bind;
        this.port = port;
        this.metrics = metrics;
        this.status = new StatusJson(config, results, recent, nodeState);
        this.ready = ready;
        this.extraRoutes = extraRoutes;
        this.statusPage = resource("/dev/mailprobe/http/status.html");
    }

    @Override
    public Future<?> start() {
        Router router = Router.router(vertx);
        router.get("/metrics").handler(this::metrics);
        router.get("/healthz").handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("ok\n"));
        router.get("/readyz").handler(ctx -> {
            boolean r = ready.getAsBoolean();
            ctx.response().setStatusCode(r ? 200 : 503).putHeader("content-type", "text/plain")
                    .end(r ? "ready\n" : "not ready\n");
        });
        router.get("/api/status").handler(ctx -> json(ctx, status.build()));
        router.get("/").handler(ctx -> ctx.response().putHeader("content-type", "text/html; charset=utf-8").end(statusPage));
        extraRoutes.accept(router);
        return vertx.createHttpServer().requestHandler(router).listen(port, bind).onSuccess(s -> server = s);
    }

    public int actualPort() {
        return server.actualPort();
    }

    private void metrics(RoutingContext ctx) {
        // scraping walks every meter: keep it off the event loop
        vertx.executeBlocking(metrics::scrape, false)
                .onSuccess(text -> ctx.response().putHeader("content-type", PROMETHEUS_TEXT).end(text))
                .onFailure(ctx::fail);
    }

    static void json(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("content-type", "application/json").end(body.encodePrettily());
    }

    private static String resource(String name) {
        try (InputStream in = HttpVerticle.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
