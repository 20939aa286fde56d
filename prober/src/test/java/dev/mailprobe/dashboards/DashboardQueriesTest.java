package dev.mailprobe.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import dev.mailprobe.health.HealthState;
import dev.mailprobe.prometheus.PrometheusServer;
import dev.mailprobe.prometheus.RealPrometheus;
import dev.mailprobe.runtime.Mailprobe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of both dashboards (panels, annotations, variables) runs against a real Prometheus
 * that scrapes the running demo with the alerts/ rules loaded, with the dashboard variables
 * substituted the way Grafana would, and returns data. The queries that need a fault get one
 * first: an absorbed smtp-1 crash and a customer-visible imap-1 crash, both ended (DOWN events,
 * annotations, budget per node), and, for the firing-alerts panel, a fault held until an alert fires.
 */
@RealPrometheus
class DashboardQueriesTest {
    static final String CLUSTER = "dashboards-test";
    static final Duration RATE_INTERVAL = Duration.ofSeconds(20); // max($__interval + scrape, 4 x scrape) at 5 s scrapes
    static final Duration INTERVAL = Duration.ofSeconds(5);

    @TempDir
    static Path dir;

    static Vertx vertx;
    static DemoCluster cluster;
    static Mailprobe mailprobe;
    static PrometheusServer.Target target;
    static Instant start;

    /** One query of a dashboard, where it came from, and whether Grafana runs it as an instant query. */
    record Query(String where, String expr, boolean instant) {}

    @BeforeAll
    static void demoWithTwoEndedCrashesScrapedByPrometheus(PrometheusServer prometheus) throws Exception {
        vertx = Vertx.vertx();
        cluster = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(dir.resolve("dash.db"))
                .withProbeInterval(Duration.ofMillis(500)));
        mailprobe = Mailprobe.start(vertx, cluster.config(), new Mailprobe.Options("127.0.0.1", 0, "test", cluster::mountApi))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        start = Instant.now();
        target = prometheus.scrape(CLUSTER, "127.0.0.1:" + mailprobe.httpPort(), Map.of("cluster", CLUSTER));
        Thread.sleep(PrometheusServer.INTERVAL.toMillis() * 3); // healthy samples first
        cluster.faults().set("smtp-1", FaultMode.CRASH);
        cluster.faults().set("imap-1", FaultMode.CRASH);
        await(() -> mailprobe.health().state("smtp-1") == HealthState.DOWN && mailprobe.health().state("imap-1") == HealthState.DOWN, 40);
        // scraped while DOWN, and the customers' failed logins counted
        prometheus.awaitQuery("mailprobe_node_up{cluster=\"" + CLUSTER + "\", node=\"imap-1\"} == 0", r -> !r.isEmpty(), Duration.ofSeconds(30));
        prometheus.awaitQuery("mailprobe_node_up{cluster=\"" + CLUSTER + "\", node=\"smtp-1\"} == 0", r -> !r.isEmpty(), Duration.ofSeconds(30));
        Thread.sleep(PrometheusServer.INTERVAL.toMillis() * 2);
        cluster.faults().set("smtp-1", FaultMode.NONE);
        cluster.faults().set("imap-1", FaultMode.NONE);
        await(() -> mailprobe.health().state("smtp-1") == HealthState.UP && mailprobe.health().state("imap-1") == HealthState.UP, 40);
        prometheus.awaitQuery("slo:period_error_budget_consumed_by_node:ratio{cluster=\"" + CLUSTER + "\", node=\"imap-1\"} > 0",
                r -> !r.isEmpty(), Duration.ofSeconds(60));
        prometheus.awaitQuery("mailprobe_node_up{cluster=\"" + CLUSTER + "\"} == 1", r -> r.size() == 4, Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() throws Exception {
        if (target != null) {
            target.close();
        }
        mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        cluster.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void everyQueryOfTheAvailabilityBoardReturnsData(PrometheusServer prometheus) throws Exception {
        runAll(prometheus, "mailprobe-availability.json", List.of(Map.of("node", ".*", "send_node", ".*", "fetch_node", ".*")), false);
    }

    @Test
    void everyQueryOfTheNodeBoardReturnsDataForTheCrashedNode(PrometheusServer prometheus) throws Exception {
        // its "absorbed" annotation answers for the absorbed smtp-1, "customers saw it" for imap-1: each query must
        // return data for one of the two crashed nodes
        runAll(prometheus, "mailprobe-node.json", List.of(Map.of("node", "imap-1"), Map.of("node", "smtp-1")), false);
    }

    @Test
    void theFiringAlertsPanelShowsAnAlertWhileAFaultIsHeld(PrometheusServer prometheus) throws Exception {
        boolean anyAlertingRule = prometheus.ruleGroups().stream().map(JsonObject.class::cast)
                .flatMap(g -> g.getJsonArray("rules").stream().map(JsonObject.class::cast)).anyMatch(r -> "alerting".equals(r.getString("type")));
        Assumptions.assumeTrue(anyAlertingRule, "alerts/rules has no alerting rule yet: the ALERTS panel cannot fire");
        cluster.faults().set("imap-1", FaultMode.CRASH);
        try {
            prometheus.awaitQuery("ALERTS{alertstate=\"firing\", cluster=\"" + CLUSTER + "\"}", r -> !r.isEmpty(), Duration.ofMinutes(4));
            runAll(prometheus, "mailprobe-availability.json", List.of(Map.of("node", ".*", "send_node", ".*", "fetch_node", ".*")), true);
        } finally {
            cluster.faults().set("imap-1", FaultMode.NONE);
        }
    }

    /** Runs every query of the board (or only those reading ALERTS); collects every one that returned nothing. */
    private static void runAll(PrometheusServer prometheus, String file, List<Map<String, String>> choices, boolean alertsOnly) throws Exception {
        JsonObject board = new JsonObject(Files.readString(PrometheusServer.projectRoot().resolve("dashboards").resolve(file)));
        List<Query> queries = queries(board);
        assertThat(queries).hasSizeGreaterThan(10);
        Instant now = Instant.now();
        Duration range = Duration.between(start, now);
        List<String> empty = new ArrayList<>();
        int ran = 0;
        for (Query q : queries) {
            boolean readsAlerts = q.expr().contains("ALERTS");
            if (readsAlerts != alertsOnly) {
                continue;
            }
            boolean data = false;
            String expr = null;
            for (Map<String, String> vars : choices) {
                expr = substitute(q.expr(), vars, range);
                JsonArray result;
                try {
                    result = q.instant() ? prometheus.query(expr, now) : prometheus.queryRange(expr, start, now, INTERVAL);
                } catch (IllegalStateException e) {
                    throw new AssertionError(q.where() + ": Prometheus rejected " + expr + "\n" + e.getMessage(), e);
                }
                data |= !result.isEmpty() && result.stream().map(JsonObject.class::cast)
                        .allMatch(r -> r.containsKey("value") || !r.getJsonArray("values").isEmpty());
            }
            ran++;
            if (!data) {
                empty.add(q.where() + ": " + expr);
            }
        }
        assertThat(ran).as("queries run").isPositive();
        assertThat(empty).as("queries of " + file + " that returned no data").isEmpty();
    }

    static List<Query> queries(JsonObject board) {
        List<Query> out = new ArrayList<>();
        List<JsonObject> panels = new ArrayList<>();
        for (Object p : board.getJsonArray("panels")) {
            panels.add((JsonObject) p);
            for (Object c : ((JsonObject) p).getJsonArray("panels", new JsonArray())) {
                panels.add((JsonObject) c);
            }
        }
        for (JsonObject p : panels) {
            for (Object t : p.getJsonArray("targets", new JsonArray())) {
                JsonObject target = (JsonObject) t;
                out.add(new Query("panel \"" + p.getString("title") + "\" " + target.getString("refId"),
                        target.getString("expr"), target.getBoolean("instant", false)));
            }
        }
        for (Object a : board.getJsonObject("annotations").getJsonArray("list")) {
            JsonObject annotation = (JsonObject) a;
            if (annotation.getInteger("builtIn", 0) == 1) {
                continue;
            }
            out.add(new Query("annotation \"" + annotation.getString("name") + "\"", annotation.getJsonObject("target").getString("expr"), false));
        }
        Pattern labelValues = Pattern.compile("label_values\\((.*),\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\)");
        for (Object v : board.getJsonObject("templating").getJsonArray("list")) {
            JsonObject variable = (JsonObject) v;
            if (!"query".equals(variable.getString("type"))) {
                continue;
            }
            Matcher m = labelValues.matcher(variable.getJsonObject("query").getString("query"));
            assertThat(m.matches()).as("variable " + variable.getString("name") + " is a label_values() query").isTrue();
            // Grafana asks for the series of the selector and lists the label's values
            out.add(new Query("variable " + variable.getString("name"), "count by (" + m.group(2) + ") (" + m.group(1) + ")", true));
        }
        return out;
    }

    /** Grafana's substitution: dashboard variables (All = its allValue), $__rate_interval, $__interval, $__range. */
    static String substitute(String expr, Map<String, String> vars, Duration range) {
        String s = expr.replace("$__rate_interval", RATE_INTERVAL.toSeconds() + "s")
                .replace("$__interval", INTERVAL.toSeconds() + "s")
                .replace("$__range", Math.max(1, range.toSeconds()) + "s")
                .replace("$cluster", CLUSTER)
                .replace("$vantage", ".*");
        for (var e : vars.entrySet()) {
            s = s.replace("$" + e.getKey(), e.getValue()).replace("${" + e.getKey() + "}", e.getValue());
        }
        assertThat(s).as("every variable substituted in " + expr).doesNotContain("$");
        return s;
    }

    private static void await(BooleanSupplier condition, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }
}
