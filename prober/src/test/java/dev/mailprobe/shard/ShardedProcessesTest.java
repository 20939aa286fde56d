package dev.mailprobe.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoConfigFile;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import dev.mailprobe.metrics.Promtool;
import dev.mailprobe.probe.roundtrip.RoundTripPlan;
import dev.mailprobe.slo.SlothRules;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real shard processes ({@code mailprobe run}, each a child JVM told its shard by
 * {@code MAILPROBE_SHARD} set to a StatefulSet pod name, as the Helm chart does) and one unsharded
 * process probe the same demo cluster at the same time, through the same faults: imap-1 crashes
 * (customer-visible behind the round-robin mailbox entry point) and smtp-1 crashes for a while
 * (absorbed by the failover MX). Every process's {@code /metrics} is scraped every 2 s.
 *
 * <p>Then: every session target and every round trip was probed by exactly one shard (the one
 * rendezvous hashing names, and no other shard exports its series), and the SLO recording rules,
 * evaluated by promtool over the three shards' scraped series (three instances of one cluster),
 * give exactly the error ratio of the shards' SLI events added up, and the same SLO as the
 * single process within what two independent probers can differ by.
 *
 * <p>Time in the promtool file is stretched: scrape i is written at minute i, so a window of
 * {@code 5m} is the last 5 scrape intervals. A ratio of two rates does not depend on the time
 * scale, and with samples exactly at both ends of a range Prometheus 2.x does not extrapolate,
 * so {@code slo:sli_error:ratio_rate5m} is exactly (bad events)/(events) between the two scrapes.
 *
 * <p>With the demo's six targets, rendezvous hashing gives shard 0 smtp-1, imap-2 and mailbox,
 * shard 1 smtp-2, imap-1 and mx, and shard 2 nothing (pinned in {@link RendezvousTest}): the idle
 * shard must run, be ready and export no target series.
 */
class ShardedProcessesTest {
    static final int SHARDS = 3;
    static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(2);
    static final int SCRAPES = 36;
    /** imap-1 crashes at this scrape and stays down. */
    static final int IMAP_CRASH = 4;
    /** smtp-1 is down between these scrapes (the MX fails over to smtp-2). */
    static final int SMTP_CRASH = 12;
    static final int SMTP_BACK = 24;
    static final String SHARDED = "sharded";
    static final String SINGLE = "single";

    @TempDir
    static Path dir;

    static Vertx vertx;
    static DemoCluster cluster;
    static MailprobeConfig demoConfig;
    static final Map<String, Process> processes = new LinkedHashMap<>();
    static final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Per process: the scrapes, each series (name{labels} as exposed) to value. */
    static final Map<String, List<Map<String, Double>>> scrapes = new LinkedHashMap<>();
    static final Map<String, JsonObject> statuses = new LinkedHashMap<>();
    static final HttpClient http = HttpClient.newHttpClient();

    static String shardName(int k) {
        return "shard-" + k;
    }

    @BeforeAll
    static void runTheShardsAndASingleProcessSideBySide() throws Exception {
        vertx = Vertx.vertx();
        cluster = DemoCluster.start(vertx, DemoOptions.defaults().withProbeInterval(Duration.ofSeconds(1)));
        Path demoYaml = DemoConfigFile.write(cluster.config(), dir.resolve("demo"));
        String demo = Files.readString(demoYaml).replaceFirst("roundTrip: \\{interval: 10s", "roundTrip: {interval: 3s");
        demoConfig = ConfigLoader.load(demoYaml);

        for (int k = 0; k < SHARDS; k++) {
            // the same config for every shard, as the chart's ConfigMap is; each reads its pod name
            Path config = config(shardName(k), demo, "cluster: " + SHARDED + "\nshard: {count: " + SHARDS + "}\n");
            processes.put(shardName(k), launch(shardName(k), config, Map.of(Shard.ENV, "demo-mailprobe-" + k)));
        }
        processes.put(SINGLE, launch(SINGLE, config(SINGLE, demo, "cluster: " + SINGLE + "\n"), Map.of()));
        for (String name : processes.keySet()) {
            awaitReady(name);
            scrapes.put(name, new ArrayList<>());
        }

        long start = System.nanoTime();
        for (int i = 0; i < SCRAPES; i++) {
            long due = start + i * SCRAPE_INTERVAL.toNanos();
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (i == IMAP_CRASH) {
                cluster.faults().set("imap-1", FaultMode.CRASH);
            } else if (i == SMTP_CRASH) {
                cluster.faults().set("smtp-1", FaultMode.CRASH);
            } else if (i == SMTP_BACK) {
                cluster.faults().set("smtp-1", FaultMode.NONE);
            }
            for (String name : processes.keySet()) {
                scrapes.get(name).add(parse(get(name, "/metrics")));
            }
        }
        for (String name : processes.keySet()) {
            statuses.put(name, new JsonObject(get(name, "/api/status")));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            if (!p.waitFor(15, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (cluster != null) {
            cluster.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    // ---- the assignment

    @Test
    void everySessionTargetIsProbedByExactlyOneShardTheOneRendezvousHashingNames() {
        Set<String> targets = new HashSet<>();
        demoConfig.nodes().forEach(n -> n.protocols().keySet().forEach(p -> targets.add(n.name() + "/" + p.label())));
        demoConfig.entryPoints().forEach(e -> e.protocols().keySet().forEach(p -> targets.add(e.name() + "/" + p.label())));
        assertThat(targets).hasSize(12);
        for (String target : targets) {
            String name = target.substring(0, target.indexOf('/'));
            String protocol = target.substring(target.indexOf('/') + 1);
            List<String> probedBy = new ArrayList<>();
            List<String> exportedBy = new ArrayList<>();
            for (int k = 0; k < SHARDS; k++) {
                Map<String, Double> last = last(shardName(k));
                double probes = sum(last, "mailprobe_probes_total", Map.of("node", name, "protocol", protocol));
                if (probes > 0) {
                    probedBy.add(shardName(k));
                }
                if (has(last, "mailprobe_probes_total", Map.of("node", name, "protocol", protocol))) {
                    exportedBy.add(shardName(k));
                }
            }
            String owner = shardName(Rendezvous.owner(name, SHARDS));
            assertThat(probedBy).as("shards that probed %s", target).containsExactly(owner);
            assertThat(exportedBy).as("shards that export series of %s", target).containsExactly(owner);
            assertThat(sum(last(SINGLE), "mailprobe_probes_total", Map.of("node", name, "protocol", protocol)))
                    .as("the single process probed %s", target).isPositive();
        }
    }

    @Test
    void everyRoundTripRunsOnTheShardOfItsSendSideOnly() {
        RoundTripPlan plan = new RoundTripPlan(demoConfig);
        assertThat(plan.allPaths()).hasSize(5); // 2 x 2 node paths and mx -> mailbox
        for (RoundTripPlan.Path path : plan.allPaths()) {
            Map<String, String> labels = Map.of("send_node", path.send().label(), "fetch_node", path.fetch().label());
            List<String> ranBy = new ArrayList<>();
            for (int k = 0; k < SHARDS; k++) {
                if (has(last(shardName(k)), "mailprobe_roundtrips_total", labels)) {
                    ranBy.add(shardName(k));
                    assertThat(sum(last(shardName(k)), "mailprobe_roundtrips_total", labels)).as("round trips %s", path.key()).isPositive();
                }
            }
            assertThat(ranBy).as("shards running %s", path.key()).containsExactly(shardName(Rendezvous.owner(path.send().label(), SHARDS)));
        }
    }

    @Test
    void eachShardSaysWhoItIsAndListsItsOwnTargetsOnly() {
        for (int k = 0; k < SHARDS; k++) {
            Map<String, Double> last = last(shardName(k));
            assertThat(sum(last, "mailprobe_shard_info", Map.of("shard", Integer.toString(k), "shards", "3"))).isEqualTo(1.0);
            ShardPlan plan = ShardPlan.of(demoConfig, new Shard(k, SHARDS));
            assertThat(sum(last, "mailprobe_shard_targets", Map.of("kind", "node"))).isEqualTo(plan.nodes().size());
            JsonObject status = statuses.get(shardName(k));
            assertThat(status.getJsonObject("shard").getInteger("index")).isEqualTo(k);
            assertThat(status.getJsonArray("nodes").stream().map(o -> ((JsonObject) o).getString("name")).toList())
                    .isEqualTo(plan.nodes().stream().map(Node::name).toList());
            assertThat(status.getJsonArray("entryPoints").stream().map(o -> ((JsonObject) o).getString("name")).toList())
                    .isEqualTo(plan.entryPoints().stream().map(EntryPoint::name).toList());
        }
        // shard 2 owns nothing of the demo, and still runs and reports itself
        assertThat(ShardPlan.of(demoConfig, new Shard(2, SHARDS)).nodes()).isEmpty();
        assertThat(has(last(shardName(2)), "mailprobe_probes_total", Map.of())).isFalse();
        assertThat(statuses.get(SINGLE).containsKey("shard")).isFalse();
    }

    // ---- the SLOs

    /**
     * promtool evaluates the shipped SLO recording rules over the series of all four processes
     * (three shard instances of cluster "sharded", one instance of cluster "single"); for every
     * SLO and the 5m and 30m windows it must find exactly the ratio of the events counted
     * between the scrapes, summed over the shards.
     */
    @Test
    void theSloRecordingRulesOverTheShardsSeriesAreTheShardsEventsAddedUp() throws Exception {
        StringBuilder y = new StringBuilder();
        y.append("rule_files:\n  - ").append(projectRoot().resolve(SlothRules.SHIPPED_FILE)).append('\n');
        y.append("evaluation_interval: 1m\ntests:\n  - interval: 1m\n    input_series:\n");
        for (String process : processes.keySet()) {
            Set<String> series = new java.util.TreeSet<>();
            scrapes.get(process).forEach(s -> s.keySet().stream().filter(k -> k.startsWith("mailprobe_sli_events_total{")).forEach(series::add));
            for (String s : series) {
                y.append("      - series: '").append(s.replace("}", ",instance=\"" + process + "\",job=\"mailprobe\"}")).append("'\n");
                y.append("        values: '");
                for (Map<String, Double> scrape : scrapes.get(process)) {
                    Double v = scrape.get(s);
                    y.append(v == null ? "_" : String.format(Locale.ROOT, "%.0f", v)).append(' ');
                }
                y.append("'\n");
            }
        }
        y.append("    promql_expr_test:\n");
        int t = SCRAPES - 1;
        int checks = 0;
        for (String clusterLabel : List.of(SHARDED, SINGLE)) {
            for (String slo : List.of("delivery", "access", "submission")) {
                for (int window : new int[] {5, 30}) {
                    long[] counts = events(clusterLabel, slo, t - window, t);
                    if (counts[1] == 0) {
                        continue; // 0/0: Prometheus has no sample
                    }
                    double ratio = (double) counts[0] / counts[1];
                    y.append("      - expr: 'abs(slo:sli_error:ratio_rate").append(window).append("m{cluster=\"").append(clusterLabel)
                            .append("\",sloth_slo=\"").append(slo).append("\"} - ").append(ratio).append(") <= bool 1e-9'\n");
                    y.append("        eval_time: ").append(t).append("m\n");
                    y.append("        exp_samples:\n          - labels: '{cluster=\"").append(clusterLabel)
                            .append("\",sloth_id=\"mailprobe-").append(slo).append("\",sloth_service=\"mailprobe\",sloth_slo=\"")
                            .append(slo).append("\",sloth_window=\"").append(window).append("m\"}'\n            value: 1\n");
                    checks++;
                }
            }
        }
        assertThat(checks).as("windows with events").isGreaterThanOrEqualTo(10);
        Path file = Files.writeString(dir.resolve("shards.test.yml"), y);
        Promtool.Outcome outcome = Promtool.run(null, "test", "rules", file.toString());
        assertThat(outcome.exitCode()).as("promtool test rules %s:%n%s", file, outcome.output()).isZero();
    }

    /**
     * The SLO of three shards is the SLO of one process. The crash customers see (imap-1 behind
     * the round-robin mailbox) burns access budget in both, the crash the MX failover absorbs
     * (smtp-1) burns no submission budget in either; the counts of two independent probers of the
     * same cluster may differ by a few probes per job at each window edge (their schedules have
     * their own phase and jitter), so they must agree within {@link #EDGE_SLACK} events per job.
     */
    @Test
    void theShardsTogetherMeasureTheSameSloAsOneProcess() {
        int t = SCRAPES - 1;
        Map<String, Integer> jobs = Map.of("access", 2, "submission", 1, "delivery", 1);
        StringBuilder report = new StringBuilder();
        for (String slo : List.of("access", "submission", "delivery")) {
            for (int window : new int[] {5, 30}) {
                long[] sharded = events(SHARDED, slo, t - window, t);
                long[] single = events(SINGLE, slo, t - window, t);
                report.append(String.format(Locale.ROOT, "%s %dm: sharded %d/%d, single %d/%d%n", slo, window,
                        sharded[0], sharded[1], single[0], single[1]));
                System.out.print(report.substring(report.lastIndexOf(slo + " " + window + "m")));
                long slack = (long) EDGE_SLACK * jobs.get(slo);
                assertThat(sharded[1]).as("%s events in %dm%n%s", slo, window, report).isCloseTo(single[1], org.assertj.core.data.Offset.offset(slack));
                assertThat(sharded[0]).as("%s bad events in %dm%n%s", slo, window, report).isCloseTo(single[0], org.assertj.core.data.Offset.offset(slack));
            }
        }
        // the story in numbers: the visible crash burns access budget for both, the absorbed one nothing
        long[] access = events(SHARDED, "access", t - 30, t);
        long[] accessSingle = events(SINGLE, "access", t - 30, t);
        assertThat(access[0]).isPositive();
        assertThat(accessSingle[0]).isPositive();
        double ratio = (double) access[0] / access[1];
        double ratioSingle = (double) accessSingle[0] / accessSingle[1];
        assertThat(Math.abs(ratio - ratioSingle)).as("access error ratio, sharded %.3f vs single %.3f", ratio, ratioSingle)
                .isLessThanOrEqualTo(2.0 * EDGE_SLACK * jobs.get("access") / Math.min(access[1], accessSingle[1]));
        assertThat(events(SHARDED, "submission", SMTP_CRASH, SCRAPES - 1)[0]).as("submission bad events (absorbed crash)").isZero();
        assertThat(events(SINGLE, "submission", SMTP_CRASH, SCRAPES - 1)[0]).isZero();
    }

    /** Events two probers of one job may count differently at one window edge (phase, jitter, a probe in flight at a scrape). */
    static final int EDGE_SLACK = 3;

    // ---- helpers

    /** {bad, all} SLI events of {@code slo} in cluster {@code clusterLabel} between scrapes {@code from} and {@code to}. */
    static long[] events(String clusterLabel, String slo, int from, int to) {
        long bad = 0;
        long all = 0;
        for (var e : scrapes.entrySet()) {
            boolean member = clusterLabel.equals(SINGLE) ? e.getKey().equals(SINGLE) : !e.getKey().equals(SINGLE);
            if (!member) {
                continue;
            }
            Map<String, Double> a = e.getValue().get(from);
            Map<String, Double> b = e.getValue().get(to);
            bad += Math.round(sum(b, "mailprobe_sli_events_total", Map.of("slo", slo, "result", "bad"))
                    - sum(a, "mailprobe_sli_events_total", Map.of("slo", slo, "result", "bad")));
            all += Math.round(sum(b, "mailprobe_sli_events_total", Map.of("slo", slo))
                    - sum(a, "mailprobe_sli_events_total", Map.of("slo", slo)));
        }
        return new long[] {bad, all};
    }

    static Map<String, Double> last(String process) {
        List<Map<String, Double>> s = scrapes.get(process);
        return s.get(s.size() - 1);
    }

    private static final Pattern SERIES = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** The sum of the series of {@code family} whose labels include {@code labels}. */
    static double sum(Map<String, Double> scrape, String family, Map<String, String> labels) {
        double total = 0;
        for (var e : scrape.entrySet()) {
            if (matches(e.getKey(), family, labels)) {
                total += e.getValue();
            }
        }
        return total;
    }

    static boolean has(Map<String, Double> scrape, String family, Map<String, String> labels) {
        return scrape.keySet().stream().anyMatch(s -> matches(s, family, labels));
    }

    static boolean matches(String series, String family, Map<String, String> labels) {
        Matcher m = SERIES.matcher(series);
        if (!m.matches() || !m.group(1).equals(family)) {
            return false;
        }
        Map<String, String> have = new TreeMap<>();
        if (m.group(2) != null) {
            Matcher l = LABEL.matcher(m.group(2));
            while (l.find()) {
                have.put(l.group(1), l.group(2));
            }
        }
        return labels.entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
    }

    static Map<String, Double> parse(String exposition) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#") || !line.startsWith("mailprobe_")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return out;
    }

    /** The demo's config with this process's own HTTP port and store, and {@code header} (cluster, shard) on top. */
    static Path config(String name, String demo, String header) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ports.put(name, port);
        String text = header + demo
                .replaceFirst("(?m)^http: .*$", "http: {bind: 127.0.0.1, port: " + port + "}")
                .replaceFirst("(?m)^store: .*$", "store: {path: " + dir.resolve(name + ".db") + "}");
        return Files.writeString(dir.resolve(name + ".yaml"), text);
    }

    /**
     * {@code mailprobe run} in a child JVM on the test classpath: Temurin 25 when installed (the
     * container image's runtime), else this JVM's java. Small heap and C1 only: four of them share
     * two cores with the demo cluster.
     */
    static Process launch(String name, Path config, Map<String, String> env) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "dev.mailprobe.cli.Main", "run", "--config", config.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().remove(Shard.ENV);
        pb.environment().putAll(env);
        return pb.start();
    }

    static String java() {
        try (var jvms = Files.list(Path.of("/usr/lib/jvm"))) {
            return jvms.filter(p -> p.getFileName().toString().startsWith("temurin-25"))
                    .map(p -> p.resolve("bin/java")).filter(Files::isExecutable).map(Path::toString).findFirst()
                    .orElseGet(() -> ProcessHandle.current().info().command().orElse("java"));
        } catch (IOException e) {
            return ProcessHandle.current().info().command().orElse("java");
        }
    }

    static void awaitReady(String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(processes.get(name).isAlive()).as("%s alive; log:%n%s", name, log(name)).isTrue();
            try {
                if (http.send(request(name, "/readyz"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " not ready within 90 s; log:\n" + log(name));
    }

    static String get(String name, String path) throws Exception {
        HttpResponse<String> r = http.send(request(name, path), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("%s %s", name, path).isEqualTo(200);
        return r.body();
    }

    static HttpRequest request(String name, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(name) + path)).timeout(Duration.ofSeconds(10)).build();
    }

    static String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The project root, where the shipped rules live. */
    static Path projectRoot() {
        return Path.of(System.getProperty("mailprobe.projectRoot", "..")).toAbsolutePath().normalize();
    }
}
