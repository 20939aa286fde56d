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
        MailprobeConfig config = submissionOnly(HealthFixtures.fastProbes(ConfigLoader.load(tb.configFile()), INTERVAL,
                Duration.ofSeconds(1), dir.resolve("mailprobe.db"), new MailprobeConfig.Http("127.0.0.1", 0), false));
        mailprobe = Mailprobe.start(vertx, config, new Mailprobe.Options("127.0.0.1", 0, "test", router -> {}))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        HealthEngine health = mailprobe.health();
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        vertx.eventBus().<dev.mailprobe.probe.ProbeResult>localConsumer(dev.mailprobe.runtime.ResultBus.PROBE_RESULTS, m -> {
            dev.mailprobe.probe.ProbeResult r = m.body();
            if (r.target().equals("smtp-1")) {
                seen.add(r.startedAt() + " " + r.protocol() + " " + r.resultLabel() + (r.error() == null ? "" : " " + r.error()));
            }
        });
        try {
            scenario(health);
        } finally {
            System.out.println("smtp-1 results:\n" + String.join("\n", seen));
        }
    }

    private void scenario(HealthEngine health) throws Exception {
        try {
            awaitTrue(() -> succeeding("smtp-1", "submission"), Duration.ofSeconds(20));
        } catch (AssertionError e) {
            throw new AssertionError("smtp-1 never healthy: " + get("/api/status").body(), e);
        }
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

        Thread.sleep(3000);
        Instant starting = Instant.now();
        tb.fault("smtp-1", Testbed.Fault.NONE);
        Instant started = Instant.now();
        awaitTrue(() -> health.state("smtp-1") == HealthState.UP, Duration.ofSeconds(30));
        Instant up = Instant.now();

        DownEvent e = health.events().events(Optional.of("smtp-1"), null, Optional.empty()).get(0);
        assertThat(e.id()).isEqualTo(open.id());
        assertThat(e.protocols()).containsExactly("submission");
        Duration truthMin = Duration.between(stopped, starting);
        Duration truthMax = Duration.between(stopping, started);
        Duration recorded = e.duration().orElseThrow();
        System.out.printf("stop script %s, stopped->detected %s, start-stopped %s; start script %s, started->up %s,"
                        + " end-started %s; recorded %s, truth between %s and %s%n",
                Duration.between(stopping, stopped), Duration.between(stopped, detected), Duration.between(stopped, e.start()),
                Duration.between(starting, started), Duration.between(started, up), Duration.between(started, e.end()),
                recorded, truthMin, truthMax);
        // the first success comes within one backed-off interval; the slot after it was planned
        // backed off too, so the second (UP) one can take another
        assertThat(Duration.between(started, up)).as("UP after 2 successes")
                .isLessThanOrEqualTo(SICK_INTERVAL.multipliedBy(2).plus(SLACK));
        assertThat(e.end()).isBetween(starting.minus(SLACK), started.plus(SICK_INTERVAL).plus(SLACK));
        assertThat(recorded).as("recorded %s vs truth %s..%s", recorded, truthMin, truthMax)
                .isBetween(truthMin.minus(INTERVAL).minus(SLACK), truthMax.plus(SICK_INTERVAL).plus(SLACK));
        assertThat(e.endEstimated()).isFalse();

        JsonObject api = new JsonObject(get("/api/events?node=smtp-1&open=false").body());
        assertThat(api.getJsonArray("events").getJsonObject(0).getString("reason")).isEqualTo("refused");
        String password = tb.probe().password();
        assertThat(get("/api/events").body()).doesNotContain(password);
    }

    /**
     * The Postfix nodes with their submission listener only. The plain-SMTP session probe ends
     * with {@code RCPT TO:<postmaster@greetingName>}, which the testbed's Postfix rejects (554 5.7.1
     * Relay access denied: the greeting name is not a local domain there), so that protocol is
     * DOWN ("rejected") before any fault; a stopped Postfix refuses both listeners alike.
     */
    private static MailprobeConfig submissionOnly(MailprobeConfig c) {
        java.util.List<dev.mailprobe.config.Node> nodes = c.nodes().stream()
                .filter(n -> n.protocols().containsKey(dev.mailprobe.config.Protocol.SUBMISSION))
                .map(n -> new dev.mailprobe.config.Node(n.name(), n.host(), n.greetingName(),
                        java.util.Map.of(dev.mailprobe.config.Protocol.SUBMISSION,
                                n.protocols().get(dev.mailprobe.config.Protocol.SUBMISSION))))
                .toList();
        return new MailprobeConfig(c.cluster(), c.vantage(), c.http(), c.store(), c.probe(), c.accounts(), nodes,
                c.entryPoints(), c.roundTrip(), c.slos(), c.knownJobs(), c.health());
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
