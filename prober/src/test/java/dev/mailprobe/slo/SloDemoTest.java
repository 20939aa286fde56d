package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import dev.mailprobe.runtime.Mailprobe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's promise on the demo: a crash the cluster absorbs (smtp-1 behind the failover MX)
 * is a DOWN event that burned no budget; a crash customers see (imap-1 behind round-robin mailbox)
 * burns access budget, attributed to imap-1, and per-node shares add up to the SLO's total.
 */
class SloDemoTest {
    @TempDir
    static Path dir;

    static Vertx vertx;
    static DemoCluster cluster;
    static Mailprobe mailprobe;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        cluster = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(dir.resolve("slo.db"))
                .withProbeInterval(Duration.ofMillis(500)));
        mailprobe = Mailprobe.start(vertx, cluster.config(), new Mailprobe.Options("127.0.0.1", 0, "test", r -> {}))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        cluster.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void anAbsorbedCrashBurnsNothingAndAVisibleOneBurnsBudgetAttributedToItsNode() throws Exception {
        Thread.sleep(2_000); // healthy traffic first
        crashAndHeal("smtp-1");
        crashAndHeal("imap-1");

        JsonArray events = get("/api/events").getJsonArray("events");
        JsonObject smtp = closedEventOf(events, "smtp-1");
        JsonObject imap = closedEventOf(events, "imap-1");
        assertThat(smtp.getString("reason")).isEqualTo("refused");
        assertThat(smtp.getJsonObject("impact").getBoolean("absorbed")).as("%s", smtp).isTrue();
        assertThat(smtp.getJsonObject("impact").getJsonObject("budgetConsumed").getDouble("submission")).isZero();
        assertThat(imap.getJsonObject("impact").getBoolean("absorbed")).as("%s", imap).isFalse();
        assertThat(imap.getJsonObject("impact").getJsonObject("budgetConsumed").getDouble("access")).isPositive();

        JsonObject slo = get("/api/slo");
        JsonObject access = slo.getJsonArray("slos").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("name").equals("access")).findFirst().orElseThrow();
        JsonObject byNode = access.getJsonObject("consumedByNode");
        assertThat(byNode.getDouble("imap-1")).isPositive();
        assertThat(byNode.getDouble("imap-2", 0.0)).isZero();
        double sum = byNode.fieldNames().stream().mapToDouble(byNode::getDouble).sum();
        assertThat(sum).isCloseTo(access.getDouble("consumed"), Offset.offset(1e-9));
        JsonObject submission = slo.getJsonArray("slos").stream().map(JsonObject.class::cast)
                .filter(s -> s.getString("name").equals("submission")).findFirst().orElseThrow();
        assertThat(submission.getDouble("consumed")).isZero();
        // the incidents list tells the same story
        JsonArray incidents = slo.getJsonArray("incidents");
        assertThat(incidents.stream().map(JsonObject.class::cast)
                .filter(i -> i.getString("node").equals("smtp-1")).allMatch(i -> Boolean.TRUE.equals(i.getBoolean("absorbed")))).isTrue();
        assertThat(incidents.stream().map(JsonObject.class::cast)
                .anyMatch(i -> i.getString("node").equals("imap-1") && Boolean.FALSE.equals(i.getBoolean("absorbed")))).isTrue();
    }

    private static void crashAndHeal(String node) throws Exception {
        cluster.faults().set(node, FaultMode.CRASH);
        await(() -> hasEvent(node, true));
        Thread.sleep(2_000);
        cluster.faults().set(node, FaultMode.NONE);
        await(() -> hasEvent(node, false));
    }

    private static boolean hasEvent(String node, boolean open) {
        try {
            return get("/api/events?node=" + node + "&open=" + open).getJsonArray("events").size() > 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static JsonObject closedEventOf(JsonArray events, String node) {
        return events.stream().map(JsonObject.class::cast)
                .filter(e -> e.getString("node").equals(node) && e.getString("end") != null)
                .findFirst().orElseThrow(() -> new AssertionError("no closed event of " + node + " in " + events.encodePrettily()));
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s");
            }
            Thread.sleep(100);
        }
    }

    private static JsonObject get(String path) throws Exception {
        return new JsonObject(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + mailprobe.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
