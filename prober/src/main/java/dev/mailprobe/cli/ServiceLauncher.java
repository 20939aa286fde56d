package dev.mailprobe.cli;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.runtime.Mailprobe;
import dev.mailprobe.shard.Shard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Mailprobe} until the process is told to stop (SIGTERM, SIGINT), then shuts it down
 * gracefully: probes stop, open connections close, the store is flushed, within {@link #SHUTDOWN_BUDGET_SECONDS}.
 */
final class ServiceLauncher {
    static final int SHUTDOWN_BUDGET_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(ServiceLauncher.class);

    private ServiceLauncher() {}

    /** Something else to stop after the prober (the demo's mail cluster). */
    interface Companion {
        Future<Void> close();
    }

    /**
     * Starts and blocks until shutdown.
     *
     * @return the process exit code: 0 after a clean stop, 1 if start-up failed
     */
    static int runUntilStopped(Vertx vertx, MailprobeConfig config, String bind, int port,
                               Consumer<Router> extraRoutes, Companion companion, PrintWriter out, PrintWriter err) {
        return runUntilStopped(vertx, config, Shard.ALL, bind, port, extraRoutes, companion, out, err);
    }

    /** As above, probing only {@code shard}'s targets. */
    static int runUntilStopped(Vertx vertx, MailprobeConfig config, Shard shard, String bind, int port,
                               Consumer<Router> extraRoutes, Companion companion, PrintWriter out, PrintWriter err) {
        Mailprobe mailprobe;
        try {
            mailprobe = Mailprobe.start(vertx, config, new Mailprobe.Options(bind, port, BuildVersion.version(), extraRoutes, shard))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("mailprobe: cannot start: " + cause.getMessage());
            err.flush();
            closeQuietly(vertx, companion);
            return 1;
        }
        String host = "0.0.0.0".equals(bind) ? "localhost" : bind;
        out.println("mailprobe " + BuildVersion.version() + " listening on http://" + host + ":" + mailprobe.httpPort()
                + "/  (metrics: /metrics, status: /api/status)" + (shard.sharded() ? ", " + shard : ""));
        out.flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("shutting down");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_BUDGET_SECONDS);
            try {
                mailprobe.stop()
                        .compose(v -> companion == null ? Future.succeededFuture() : companion.close())
                        .compose(v -> vertx.close())
                        .toCompletionStage().toCompletableFuture()
                        .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                log.info("stopped cleanly");
            } catch (Exception e) {
                log.warn("shutdown did not finish within {} s: {}", SHUTDOWN_BUDGET_SECONDS, e.toString());
            } finally {
                stopped.countDown();
            }
        }, "mailprobe-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void closeQuietly(Vertx vertx, Companion companion) {
        try {
            Future<Void> f = companion == null ? Future.succeededFuture() : companion.close();
            f.compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(SHUTDOWN_BUDGET_SECONDS, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // exiting with an error anyway
        }
    }
}
