package dev.mailprobe.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.runtime.Mailprobe;
import dev.mailprobe.schedule.Backoff;
import dev.mailprobe.testbed.RealTestbed;
import dev.mailprobe.testbed.Testbed;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-world check on real Postfix: the whole runtime with testbed/mailprobe.yaml at a
 * 1 s interval; {@code testbed/fault smtp-1 stop} -> a DOWN event with "refused" evidence within 2
 * probe intervals; {@code none} -> UP again, with the recorded downtime matching the truth within
 * one interval at the start and one backed-off interval (the scheduler probes a failing node up to
 * 4x less often) at the end.
 */
@RealTestbed
class RealNodeHealthTest {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    static final Duration SICK_INTERVAL = INTERVAL.multipliedBy(Backoff.MAX_FACTOR);
    static final Duration SLACK = Duration.ofMillis(1000);

    @TempDir
    Path dir;

    private final Testbed tb;
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();
    private Mailprobe mailprobe;

    RealNodeHealthTest(Testbed tb) {
        this.tb = tb;
    }

    @AfterEach
    void stop() throws Exception {
        try {
            tb.clearFaults();
        } finally {
            if (mailprobe != null) {
                mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStoppedPostfixIsDownWithRefusedEvidenceAndItsDowntimeMatchesTheTruth() throws Exception {
        MailprobeConfig config = HealthFixtures.fastProbes(ConfigLoader.load(tb.configFile()), INTERVAL,
                Duration.ofSeconds(1), dir.resolve("mailprobe.db"), new MailprobeConfig.Http("127.0.0.1", 0), false);
        mailprobe = Mailprobe.start(vertx, config, new Mailprobe.Options("127.0.0.1", 0, "test", router -> {}))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        HealthEngine health = mailprobe.health();
        awaitTrue(() -> succeeding("smtp-1", "smtp") && succeeding("smtp-1", "submission"), Duration.ofSeconds(20));
        assertThat(health.state("smtp-1")).isEqualTo(HealthState.UP);

        Instant stopping = Instant.now();
        tb.fault("smtp-1", Testbed.Fault.STOP);
        Instant stopped = Instant.now();
        awaitTrue(() -> health.openEvent("smtp-1").isPresent(), Duration.ofSeconds(20));
        Instant detected = Instant.now();
        DownEvent open = health.openEvent("smtp-1").orElseThrow();
        assertThat(Duration.between(stopped, detected)).as("DOWN within 2 intervals of the stop")
                .isLessThanOrEqualTo(INTERVAL.multipliedBy(2).plus(SLACK));
        assertThat(open.reason()).isEqualTo("refused");
        assertThat(open.evidence().failedPhase()).isEqualTo("connect");
        assertThat(open.evidence().error()).contains("refused");
        assertThat(open.start()).isBetween(stopping.minus(SLACK), stopped.plus(INTERVAL).plus(SLACK));
        assertThat(health.state("smtp-2")).isEqualTo(HealthState.UP);
        awaitTrue(() -> health.openEvent("smtp-1").orElseThrow().protocols().size() == 2, Duration.ofSeconds(10));

        Thread.sleep(3000);
        Instant starting = Instant.now();
        tb.fault("smtp-1", Testbed.Fault.NONE);
        Instant started = Instant.now();
        awaitTrue(() -> health.state("smtp-1") == HealthState.UP, Duration.ofSeconds(30));
        Instant up = Instant.now();

        DownEvent e = health.events().events(Optional.of("smtp-1"), null, Optional.empty()).get(0);
        assertThat(e.id()).isEqualTo(open.id());
        assertThat(e.protocols()).containsExactlyInAnyOrder("smtp", "submission");
        Duration truthMin = Duration.between(stopped, starting);
        Duration truthMax = Duration.between(stopping, started);
        Duration recorded = e.duration().orElseThrow();
        System.out.printf("stop script %s, stopped->detected %s, start-stopped %s; start script %s, started->up %s,"
                        + " end-started %s; recorded %s, truth between %s and %s%n",
                Duration.between(stopping, stopped), Duration.between(stopped, detected), Duration.between(stopped, e.start()),
                Duration.between(starting, started), Duration.between(started, up), Duration.between(started, e.end()),
                recorded, truthMin, truthMax);
        assertThat(Duration.between(started, up)).as("UP after 2 successes")
                .isLessThanOrEqualTo(SICK_INTERVAL.plus(INTERVAL).plus(SLACK));
        assertThat(e.end()).isBetween(starting.minus(SLACK), started.plus(SICK_INTERVAL).plus(SLACK));
        assertThat(recorded).as("recorded %s vs truth %s..%s", recorded, truthMin, truthMax)
                .isBetween(truthMin.minus(INTERVAL).minus(SLACK), truthMax.plus(SICK_INTERVAL).plus(SLACK));
        assertThat(e.endEstimated()).isFalse();

        JsonObject api = new JsonObject(get("/api/events?node=smtp-1&open=false").body());
        assertThat(api.getJsonArray("events").getJsonObject(0).getString("reason")).isEqualTo("refused");
        String password = tb.probe().password();
        assertThat(get("/api/events").body()).doesNotContain(password);
    }

    private boolean succeeding(String node, String protocol) {
        return mailprobe.metrics().scrape().lines().anyMatch(l -> l.startsWith("mailprobe_probe_success{")
                && l.contains("node=\"" + node + "\"") && l.contains("protocol=\"" + protocol + "\"") && l.endsWith(" 1.0"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mailprobe.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
