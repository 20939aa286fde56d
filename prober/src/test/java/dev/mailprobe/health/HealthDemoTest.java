package dev.mailprobe.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import dev.mailprobe.runtime.Mailprobe;
import dev.mailprobe.schedule.Backoff;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance scenario on the embedded demo cluster, through the whole runtime with a
 * 1 s probe interval: a crashed node (connections refused) becomes a DOWN event with "refused"
 * evidence within 2 intervals; healed, it is UP again and the recorded downtime is within one
 * probe interval of the truth at the start and one backed-off interval (the scheduler probes a
 * failing node up to 4x less often) at the end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HealthDemoTest {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Scheduling and probe time on a shared 2-core machine. */
    static final Duration SLACK = Duration.ofMillis(700);
    /** The probe interval of a failing target: the scheduler backs off (DESIGN.md, backoff factor). */
    static final Duration SICK_INTERVAL = INTERVAL.multipliedBy(Backoff.MAX_FACTOR);

    @TempDir
    static Path dir;

    Vertx vertx;
    DemoCluster demo;
    Mailprobe mailprobe;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        demo = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(dir.resolve("mailprobe.db")));
        mailprobe = Mailprobe.start(vertx, fast(demo.config(), INTERVAL),
                        new Mailprobe.Options("127.0.0.1", 0, "test", demo::mountApi))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void heal() {
        for (String n : demo.faults().nodes()) {
            demo.faults().set(n, FaultMode.NONE);
        }
    }

    @AfterAll
    void stop() throws Exception {
        if (mailprobe != null) {
            mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (demo != null) {
            demo.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCrashedNodeIsDownWithRefusedEvidenceAndItsDowntimeMatchesTheTruth() throws Exception {
        HealthEngine health = mailprobe.health();
        awaitTrue(() -> successes("smtp-1", "smtp") && successes("smtp-1", "submission"), Duration.ofSeconds(10));
        assertThat(health.state("smtp-1")).isEqualTo(HealthState.UP);

        Instant crashed = Instant.now();
        demo.faults().set("smtp-1", FaultMode.CRASH);
        awaitTrue(() -> health.openEvent("smtp-1").isPresent(), Duration.ofSeconds(10));
        Instant detected = Instant.now();
        DownEvent open = health.openEvent("smtp-1").orElseThrow();
        assertThat(Duration.between(crashed, detected)).as("DOWN within 2 intervals")
                .isLessThanOrEqualTo(INTERVAL.multipliedBy(2).plus(SLACK));
        assertThat(open.reason()).isEqualTo("refused");
        assertThat(open.evidence().failedPhase()).isEqualTo("connect");
        assertThat(open.evidence().error()).isNotBlank();
        assertThat(open.start()).isBetween(crashed.minus(SLACK), crashed.plus(INTERVAL).plus(SLACK));
        assertThat(health.state("smtp-1")).isEqualTo(HealthState.DOWN);
        assertThat(health.state("smtp-2")).isEqualTo(HealthState.UP);
        awaitTrue(() -> health.openEvent("smtp-1").orElseThrow().protocols().size() == 2, Duration.ofSeconds(5));

        Thread.sleep(2000);
        Instant healed = Instant.now();
        demo.faults().set("smtp-1", FaultMode.NONE);
        awaitTrue(() -> health.state("smtp-1") == HealthState.UP, Duration.ofSeconds(15));
        Instant up = Instant.now();
        // while DOWN the scheduler backs off to SICK_INTERVAL: the first success comes within one
        // of those; the slot after it was planned backed off too, so the second can take another
        assertThat(Duration.between(healed, up)).as("UP after 2 successes")
                .isLessThanOrEqualTo(SICK_INTERVAL.multipliedBy(2).plus(SLACK));

        DownEvent e = mailprobe.health().events().events(Optional.of("smtp-1"), null, Optional.empty()).get(0);
        assertThat(e.id()).isEqualTo(open.id());
        assertThat(e.protocols()).containsExactlyInAnyOrder("smtp", "submission");
        Duration truth = Duration.between(crashed, healed);
        Duration recorded = e.duration().orElseThrow();
        System.out.printf("crash->detected %s, start-crash %s, heal->up %s, end-heal %s, recorded %s vs truth %s%n",
                Duration.between(crashed, detected), Duration.between(crashed, e.start()), Duration.between(healed, up),
                Duration.between(healed, e.end()), recorded, truth);
        // start is at most one interval late, end at most one (backed-off) interval late
        assertThat(recorded.minus(truth)).as("recorded %s vs truth %s", recorded, truth)
                .isBetween(INTERVAL.plus(SLACK).negated(), SICK_INTERVAL.plus(SLACK));
        assertThat(e.end()).isBetween(healed.minus(SLACK), healed.plus(SICK_INTERVAL).plus(SLACK));
        assertThat(e.endEstimated()).isFalse();

        // the same over HTTP, and in the metrics
        JsonArray events = new JsonObject(get("/api/events?node=smtp-1").body()).getJsonArray("events");
        assertThat(events.getJsonObject(0).getString("reason")).isEqualTo("refused");
        assertThat(events.getJsonObject(0).getJsonObject("evidence").getString("failedPhase")).isEqualTo("connect");
        String metrics = get("/metrics").body();
        assertThat(metrics).contains("mailprobe_node_down_events_total{node=\"smtp-1\",reason=\"refused\"} 1.0")
                .contains("mailprobe_node_up{node=\"smtp-1\"} 1.0");
        double downtime = metrics.lines().filter(l -> l.startsWith("mailprobe_node_downtime_seconds_total{node=\"smtp-1\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
        assertThat(downtime).isCloseTo(recorded.toMillis() / 1000.0, org.assertj.core.data.Offset.offset(0.01));
    }

    @Test
    void aLoginFailureKeepsTheRedactedTranscriptAndNeverThePassword() throws Exception {
        HealthEngine health = mailprobe.health();
        awaitTrue(() -> successes("imap-2", "imap"), Duration.ofSeconds(10));
        demo.faults().set("imap-2", FaultMode.REJECT);
        awaitTrue(() -> health.openEvent("imap-2").isPresent(), Duration.ofSeconds(10));
        DownEvent e = health.openEvent("imap-2").orElseThrow();
        assertThat(e.reason()).isEqualTo("auth_failed");
        assertThat(e.evidence().failedPhase()).isEqualTo("auth");
        assertThat(e.evidence().transcript()).isNotEmpty();
        String password = demo.config().accounts().get("probe").password().reveal();
        String json = e.evidence().toJson().encode();
        assertThat(json).doesNotContain(password);
        assertThat(get("/api/events?node=imap-2&open=true").body()).contains("auth_failed").doesNotContain(password);
        byte[] db = Files.readAllBytes(dir.resolve("mailprobe.db"));
        Path wal = dir.resolve("mailprobe.db-wal");
        String stored = new String(db, StandardCharsets.ISO_8859_1)
                + (Files.exists(wal) ? new String(Files.readAllBytes(wal), StandardCharsets.ISO_8859_1) : "");
        assertThat(stored).contains("\"reason\":\"auth_failed\"").doesNotContain(password);
    }

    private boolean successes(String node, String protocol) {
        return mailprobe.metrics().scrape().contains("mailprobe_probe_success{node=\"" + node + "\",protocol=\"" + protocol + "\"} 1.0");
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

    static MailprobeConfig fast(MailprobeConfig c, Duration interval) {
        return HealthFixtures.fastProbes(c, interval, Duration.ofSeconds(1), c.store().path(), c.http(), true);
    }
}
