package dev.mailprobe.http;

import static dev.mailprobe.health.HealthFixtures.authFailed;
import static dev.mailprobe.health.HealthFixtures.ok;
import static dev.mailprobe.health.HealthFixtures.refused;
import static dev.mailprobe.health.HealthFixtures.t;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.health.HealthEngine;
import dev.mailprobe.health.HealthEvents;
import dev.mailprobe.health.HealthFixtures;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.store.Store;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /api/events} over real HTTP: filters, order, evidence, and 400 for every bad filter. */
class EventsJsonTest {
    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();
    private final HealthFixtures.MutableClock clock = new HealthFixtures.MutableClock(t(0));
    private Store store;
    private HealthEngine engine;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        store = Store.open(dir.resolve("events.db"));
        HealthEvents events = new HealthEvents(store);
        engine = new HealthEngine(HealthSettings.DEFAULTS, HealthFixtures.checks(), events, clock);
        EventsJson api = new EventsJson(events, engine.nodes(), clock);
        Router router = Router.router(vertx);
        api.mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        // smtp-1: DOWN 0..120 (refused), closed; imap-1: DOWN from 3600 (auth_failed), still open
        feed(refused("smtp-1", Protocol.SMTP, t(0)));
        feed(refused("smtp-1", Protocol.SMTP, t(30)));
        feed(ok("smtp-1", Protocol.SMTP, t(120)));
        feed(ok("smtp-1", Protocol.SMTP, t(150)));
        feed(authFailed("imap-1", t(3600)));
        feed(authFailed("imap-1", t(3630)));
        clock.set(t(4000));
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        store.close();
    }

    private void feed(ProbeResult r) {
        clock.set(r.startedAt());
        engine.observe(r);
    }

    private HttpResponse<String> get(String query) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/api/events" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonArray events(String query) throws Exception {
        HttpResponse<String> r = get(query);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        JsonObject body = new JsonObject(r.body());
        assertThat(body.getInteger("count")).isEqualTo(body.getJsonArray("events").size());
        return body.getJsonArray("events");
    }

    private static List<String> nodes(JsonArray events) {
        return IntStream.range(0, events.size()).mapToObj(i -> events.getJsonObject(i).getString("node")).toList();
    }

    @Test
    void allEventsNewestFirstWithTheirEvidence() throws Exception {
        JsonArray all = events("");
        assertThat(nodes(all)).containsExactly("imap-1", "smtp-1");

        JsonObject open = all.getJsonObject(0);
        assertThat(open.getBoolean("open")).isTrue();
        assertThat(open.getValue("end")).isNull();
        assertThat(open.getString("start")).isEqualTo(t(3600).toString());
        assertThat(open.getDouble("durationSeconds")).isEqualTo(400.0);
        assertThat(open.getString("reason")).isEqualTo("auth_failed");
        assertThat(open.getJsonArray("protocols")).containsExactly("imap");
        assertThat(open.getValue("impact")).isNull();
        JsonObject ev = open.getJsonObject("evidence");
        assertThat(ev.getString("failedPhase")).isEqualTo("auth");
        assertThat(ev.getJsonArray("transcript").getString(1)).isEqualTo("C: a1 LOGIN probe@example.net ****");
        assertThat(ev.getJsonObject("tls").getString("version")).isEqualTo("TLSv1.3");
        assertThat(ev.getJsonObject("phaseSeconds").getDouble("auth")).isEqualTo(0.04);

        JsonObject closed = all.getJsonObject(1);
        assertThat(closed.getBoolean("open")).isFalse();
        assertThat(closed.getString("start")).isEqualTo(t(0).toString());
        assertThat(closed.getString("end")).isEqualTo(t(120).toString());
        assertThat(closed.getDouble("durationSeconds")).isEqualTo(120.0);
        assertThat(closed.getString("detectedAt")).isEqualTo(t(30).toString());
        assertThat(closed.getJsonObject("evidence").getString("error")).startsWith("connection refused");
    }

    @Test
    void filtersByNodeOpenAndSince() throws Exception {
        assertThat(nodes(events("?node=smtp-1"))).containsExactly("smtp-1");
        assertThat(nodes(events("?node=imap-1&open=true"))).containsExactly("imap-1");
        assertThat(nodes(events("?node=smtp-1&open=true"))).isEmpty();
        assertThat(nodes(events("?open=false"))).containsExactly("smtp-1");
        // now = t(4000): smtp-1 ended at t(120), 3880 s ago
        assertThat(nodes(events("?since=1h"))).containsExactly("imap-1");
        assertThat(nodes(events("?since=65m"))).containsExactly("imap-1", "smtp-1");
        assertThat(nodes(events("?since=" + t(120)))).containsExactly("imap-1", "smtp-1");
        assertThat(nodes(events("?since=" + t(121)))).containsExactly("imap-1");
        String offset = "2024-05-04T08:02:00+02:00"; // = t(120)
        assertThat(nodes(events("?since=" + URLEncoder.encode(offset, StandardCharsets.UTF_8)))).containsExactly("imap-1", "smtp-1");
        assertThat(nodes(events("?since=" + offset))).as("an unencoded + arrives as a space").containsExactly("imap-1", "smtp-1");
        assertThat(nodes(events("?since=2024-05-04t06:02:01z"))).containsExactly("imap-1");
        assertThat(nodes(events("?limit=1"))).containsExactly("imap-1");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "?since=7x       | since: \"7x\" is neither an RFC 3339 time",
        "?since=2024-05-04 | since: \"2024-05-04\" is neither",
        "?since=-1h      | since: \"-1h\" is neither",
        "?open=yes       | open: \"yes\" is not true or false",
        "?node=smtp-9    | node: \"smtp-9\" is not a configured node and has no events (nodes: imap-1, smtp-1)",
        "?nodes=smtp-1   | unknown parameter \"nodes\" (use node, since, open, limit)",
        "?node=smtp-1&node=imap-1 | node: give it once",
        "?limit=0        | limit: \"0\" is not a number from 1 to 10000",
        "?limit=many     | limit: \"many\" is not a number from 1 to 10000",
    })
    void aBadFilterIs400WithAMessage(String query, String message) throws Exception {
        HttpResponse<String> r = get(query.strip());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(new JsonObject(r.body()).getString("error")).startsWith(message.strip());
    }
}
