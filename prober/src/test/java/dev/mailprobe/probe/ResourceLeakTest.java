package dev.mailprobe.probe;

import static dev.mailprobe.probe.testing.Targets.settings;
import static dev.mailprobe.probe.testing.Targets.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.probe.testing.ScriptedServer;
import dev.mailprobe.probe.testing.ScriptedServer.Script;
import dev.mailprobe.probe.testing.Targets;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A failing probe must close its socket and cancel its timer: 1,000 of them leave nothing behind. */
class ResourceLeakTest {
    static final Protocol[] PROTOCOLS = {Protocol.SMTP, Protocol.IMAP, Protocol.POP3};

    @Test
    void thousandFailingProbesLeakNoSocketTimerOrThread() throws Exception {
        Vertx vertx = Vertx.vertx();
        Probers probers = Probers.create(vertx);
        try (ScriptedServer silent = ScriptedServer.start(Script.of().hang());
             ScriptedServer garbage = ScriptedServer.start(Script.of().send("garbage !! \u0001\u0002").hang())) {
            int refusedPort = Targets.closedPort();

            runBatch(probers, 0, 30, refusedPort, silent.port(), garbage.port()); // warm up every event loop and path
            awaitTrue(() -> probers.resources().openSockets() == 0 && silent.connections() == silent.finished()
                    && garbage.connections() == garbage.finished(), 10_000);
            long socketsBefore = socketFds();
            int threadsBefore = threads();

            Map<FailureReason, Integer> counts = new EnumMap<>(FailureReason.class);
            for (int start = 0; start < 1000; start += 50) {
                for (ProbeResult r : runBatch(probers, start, 50, refusedPort, silent.port(), garbage.port())) {
                    assertThat(r.success()).isFalse();
                    counts.merge(r.reason(), 1, Integer::sum);
                }
            }
            assertThat(counts).containsOnlyKeys(FailureReason.REFUSED, FailureReason.TIMEOUT, FailureReason.PROTOCOL_ERROR);
            assertThat(counts.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
            assertThat(counts.get(FailureReason.REFUSED)).isEqualTo(334);
            assertThat(counts.get(FailureReason.TIMEOUT)).isEqualTo(333);
            assertThat(counts.get(FailureReason.PROTOCOL_ERROR)).isEqualTo(333);

            // The prober's own books: no socket, no armed timer, no probe left running.
            awaitTrue(() -> probers.resources().openSockets() == 0, 10_000);
            assertThat(probers.resources().armedTimers()).isZero();
            assertThat(probers.resources().runningProbes()).isZero();
            // The process's view: every client socket (and so every server-side one) is gone.
            awaitTrue(() -> silent.connections() == silent.finished() && garbage.connections() == garbage.finished(), 10_000);
            awaitTrue(() -> socketFds() <= socketsBefore + 3, 10_000);
            assertThat(socketFds()).isLessThanOrEqualTo(socketsBefore + 3);
            awaitTrue(() -> threads() <= threadsBefore + 3, 10_000);
            assertThat(threads()).isLessThanOrEqualTo(threadsBefore + 3);
        } finally {
            probers.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static List<ProbeResult> runBatch(Probers probers, int start, int n, int refusedPort, int silentPort, int garbagePort)
            throws Exception {
        List<Future<ProbeResult>> futures = new ArrayList<>();
        for (int i = start; i < start + n; i++) {
            Protocol p = PROTOCOLS[(i / 3) % 3];
            int port = switch (i % 3) {
                case 0 -> refusedPort;
                case 1 -> silentPort;
                default -> garbagePort;
            };
            futures.add(probers.probe(target(p, port, TlsMode.NONE, null, settings(Duration.ofMillis(200)))));
        }
        List<ProbeResult> results = new ArrayList<>();
        for (Future<ProbeResult> f : futures) {
            results.add(f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    static long socketFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException e) {
                    return false; // closed meanwhile (e.g. the listing's own descriptor)
                }
            }).count();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    static void awaitTrue(BooleanSupplier condition, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
    }
}
