package dev.mailprobe.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GET/POST /demo/faults on a real Vert.x HttpServer, driven by java.net.http. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultApiTest {
    Vertx vertx;
    DemoCluster demo;
    HttpServer server;
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String base;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        demo = DemoCluster.start(vertx, DemoOptions.defaults());
        Router router = Router.router(vertx);
        demo.mountApi(router);
        server = DemoCluster.await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"), "listen");
        base = "http://127.0.0.1:" + server.actualPort();
    }

    @AfterEach
    void heal() {
        demo.faults().nodes().forEach(n -> demo.faults().set(n, FaultMode.NONE));
    }

    @AfterAll
    void stop() {
        demo.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(5))
                .header("content-type", "application/json");
        b = body == null ? b.POST(HttpRequest.BodyPublishers.noBody()) : b.POST(HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listsEveryNodeAsAnObjectInTopologyOrder() throws Exception {
        HttpResponse<String> r = get("/demo/faults");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(r.body()).isEqualTo(
                "{\"smtp-1\":{\"mode\":\"none\"},\"smtp-2\":{\"mode\":\"none\"},"
                        + "\"imap-1\":{\"mode\":\"none\"},\"imap-2\":{\"mode\":\"none\"}}");
    }

    @Test
    void postSetsTheModeOnTheWireAndReturnsTheNewState() throws Exception {
        int port = demo.port("smtp-2", dev.mailprobe.config.Protocol.SMTP);
        HttpResponse<String> r = post("/demo/faults/smtp-2", "{\"mode\":\"crash\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body())).isEqualTo(new JsonObject().put("node", "smtp-2").put("mode", "crash"));
        assertThat(demo.faults().modes()).containsEntry("smtp-2", FaultMode.CRASH);
        // applied before the response: the port refuses now
        assertThat(catchConnect(port)).isInstanceOf(ConnectException.class);
        assertThat(new JsonObject(get("/demo/faults").body()).getJsonObject("smtp-2").getString("mode")).isEqualTo("crash");

        r = post("/demo/faults/smtp-2", "{\"mode\":\"none\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(catchConnect(port)).isNull();
    }

    @Test
    void slowAcceptsAnOptionalDelay() throws Exception {
        HttpResponse<String> r = post("/demo/faults/imap-1", "{\"mode\":\"slow\",\"delay\":\"1500ms\"}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(r.body()).getString("delay")).isEqualTo("1500ms");
        assertThat(demo.faults().state("imap-1")).isEqualTo(new FaultState(FaultMode.SLOW, Duration.ofMillis(1500)));
        assertThat(new JsonObject(get("/demo/faults").body()).getJsonObject("imap-1"))
                .isEqualTo(new JsonObject().put("mode", "slow").put("delay", "1500ms"));
    }

    @ParameterizedTest(name = "{0} {1} -> 400 mentioning {2}")
    @CsvSource(delimiter = '|', value = {
        "smtp-9  | {\"mode\":\"crash\"}               | unknown node 'smtp-9'",
        "smtp-1  | {\"mode\":\"explode\"}             | unknown mode 'explode'",
        "smtp-1  | {\"mode\":                        | not valid JSON",
        "smtp-1  | [\"crash\"]                        | JSON object",
        "smtp-1  | {}                                 | 'mode' is required",
        "smtp-1  | {\"mode\":7}                       | 'mode' must be a string",
        "smtp-1  | {\"mode\":\"crash\",\"x\":1}       | unknown field 'x'",
        "smtp-1  | {\"mode\":\"crash\",\"delay\":\"1s\"} | 'delay' applies only to mode slow",
        "smtp-1  | {\"mode\":\"slow\",\"delay\":\"soon\"} | 'delay'",
        "imap-1  | {\"mode\":\"lose-mail\"}           | lose-mail",
    })
    void badRequestsGet400AndChangeNothing(String node, String body, String mentions) throws Exception {
        demo.faults().set("smtp-2", FaultMode.REJECT); // a non-default state that must survive
        Map<String, FaultState> before = demo.faults().states();

        HttpResponse<String> r = post("/demo/faults/" + node, body);

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).contains(mentions);
        assertThat(demo.faults().states()).isEqualTo(before);
    }

    @Test
    void missingBodyGets400() throws Exception {
        Map<String, FaultState> before = demo.faults().states();
        HttpResponse<String> r = post("/demo/faults/smtp-1", null);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(r.body()).getString("error")).contains("missing request body");
        assertThat(demo.faults().states()).isEqualTo(before);
    }

    static Exception catchConnect(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return null;
        } catch (Exception e) {
            return e;
        }
    }
}
