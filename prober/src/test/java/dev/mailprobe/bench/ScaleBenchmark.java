package dev.mailprobe.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.ProbeTarget;
import dev.mailprobe.probe.Probers;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.schedule.ConnectionLimiter;
import dev.mailprobe.schedule.FixedRateScheduler;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How many session-probe targets one process sustains on this machine: N SMTP targets, each
 * probed at a fixed rate through the real scheduler, limiter and prober, against a fake SMTP
 * server in another process. Prints achieved rate, failures, overruns, latency percentiles, the
 * prober's CPU share and heap. Not part of the suite:
 * {@code mvn -B test -Dmailprobe.excludedGroups=none -Dgroups=benchmark -Dbench.targets=10000}.
 */
@Tag("benchmark")
class ScaleBenchmark {

    @Test
    void sessionProbesAtScale() throws Exception {
        int targets = Integer.getInteger("bench.targets", 10_000);
        Duration interval = Duration.ofSeconds(Long.getLong("bench.intervalSeconds", 30));
        Duration run = Duration.ofSeconds(Long.getLong("bench.seconds", 90));

        Process server = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), FakeSmtpServer.class.getName())
                .redirectErrorStream(true).start();
        try {
            int port = Integer.parseInt(new BufferedReader(new InputStreamReader(server.getInputStream())).readLine().trim());
            Vertx vertx = Vertx.vertx();
            Probers probers = Probers.create(vertx);
            ConnectionLimiter limiter = new ConnectionLimiter(1);
            ProbeSettings settings = new ProbeSettings(interval, Duration.ofSeconds(10), 1, true, null);
            AtomicLong ok = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            ConcurrentLinkedQueue<Long> totalsMicros = new ConcurrentLinkedQueue<>();
            List<FixedRateScheduler.JobStats> stats = new ArrayList<>();
            CompletableFuture<Void> scheduled = new CompletableFuture<>();
            vertx.getOrCreateContext().runOnContext(v -> {
                FixedRateScheduler scheduler = new FixedRateScheduler(vertx);
                for (int i = 0; i < targets; i++) {
                    String name = "node-" + i;
                    Node node = new Node(name, "127.0.0.1", null,
                            Map.of(Protocol.SMTP, new Endpoint(Protocol.SMTP, port, TlsMode.NONE, null, settings)));
                    ProbeTarget target = ProbeTarget.of(node, Protocol.SMTP).withEnvelopeAddress("probe@bench.test");
                    stats.add(scheduler.schedule(name + "/smtp", interval, () -> limiter.acquire(name)
                            .compose(permit -> probers.probe(target).onComplete(ar -> permit.release()))
                            .map(r -> {
                                (r.success() ? ok : failed).incrementAndGet();
                                totalsMicros.add(r.phases().get(Phase.TOTAL).toNanos() / 1000);
                                return r.success();
                            })));
                }
                scheduled.complete(null);
            });
            scheduled.get(60, TimeUnit.SECONDS);

            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            // measure after one full interval, when every target has started
            Thread.sleep(interval.toMillis());
            long ok0 = ok.get();
            long failed0 = failed.get();
            totalsMicros.clear();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(run.toMillis());
            long wallNanos = System.nanoTime() - t0;
            long cpuNanos = os.getProcessCpuTime() - cpu0;
            long okN = ok.get() - ok0;
            long failedN = failed.get() - failed0;
            long overruns = stats.stream().mapToLong(FixedRateScheduler.JobStats::overruns).sum();
            System.gc();
            long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20;
            List<Long> sorted = new ArrayList<>(totalsMicros);
            sorted.sort(null);
            double expectedRate = targets / (double) interval.toSeconds();
            double rate = (okN + failedN) / (wallNanos / 1e9);
            System.out.printf("targets %d, interval %ds, measured %ds: %.1f probes/s (expected %.1f), %d ok, %d failed, "
                            + "%d overruns; total p50 %.2f ms, p99 %.2f ms, max %.2f ms; prober CPU %.1f%% of one core "
                            + "(%d cores); heap after GC %d MB%n",
                    targets, interval.toSeconds(), run.toSeconds(), rate, expectedRate, okN, failedN, overruns,
                    pct(sorted, 0.50) / 1000.0, pct(sorted, 0.99) / 1000.0, sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1) / 1000.0,
                    100.0 * cpuNanos / wallNanos, Runtime.getRuntime().availableProcessors(), heapMb);
            probers.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(okN).isPositive();
        } finally {
            server.destroyForcibly();
        }
    }

    private static long pct(List<Long> sorted, double q) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
    }
}
