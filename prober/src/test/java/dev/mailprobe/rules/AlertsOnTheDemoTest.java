package dev.mailprobe.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import dev.mailprobe.prometheus.PrometheusServer;
import dev.mailprobe.prometheus.RealPrometheus;
import dev.mailprobe.runtime.Mailprobe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped alerts on a real Prometheus (Debian {@code prometheus} 2.42, every rule file under
 * {@code alerts/rules/} loaded, 5 s scrape and evaluation) that scrapes two running demos, each
 * with its own {@code cluster} label:
 * <ul>
 *   <li>healthy, neither pages;</li>
 *   <li>smtp-1 of the first crashes: the MX fails over, so it raises
 *       {@code MailprobeNodeDownAbsorbed{node="smtp-1"}} (a warning) and never a page;</li>
 *   <li>imap-1 of the second crashes: round robin sends every other login to it, so a page-level
 *       {@code MailprobeErrorBudgetBurn} fires within 3 minutes naming imap-1 as the node that
 *       burns the budget, DOWN; after the restore the page resolves (when its 5m window is clean).</li>
 * </ul>
 * The two crashes run at the same time (each demo has its own cluster label), so the whole test
 * takes one page's reset time rather than two.
 *
 * <p>Why a page fires within minutes on a fresh demo although the SLO period is 30 days: the
 * burn-rate windows are computed from what exists. Prometheus' {@code rate(...[1h])} over a
 * target scraped for two minutes is the error ratio of those two minutes, as the in-process engine
 * counts a young store's windows; half the logins failing burns 500x whatever the window. The
 * minimum-events guard (70 events in the hour at 99.9 %) holds: at one probe a second per entry
 * point protocol the demo has that many access events after 35 s.
 */
@RealPrometheus
class AlertsOnTheDemoTest {
    /** Sub-second would be faster, but a probe must not time out on a loaded CI machine. */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    static final Duration PAGE_WITHIN = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void anAbsorbedCrashRaisesANodeWarningAndACustomerVisibleOnePagesNamingTheNode(PrometheusServer prometheus) throws Exception {
        String suffix = Long.toString(System.nanoTime() % 1_000_000, 36);
        String smtpCluster = "alerts-e2e-smtp-" + suffix;
        String imapCluster = "alerts-e2e-imap-" + suffix;
        try (Demo smtp = Demo.start(dir.resolve("smtp.db")); Demo imap = Demo.start(dir.resolve("imap.db"));
             PrometheusServer.Target t1 = prometheus.scrape(smtpCluster, smtp.hostPort(), Map.of("cluster", smtpCluster));
             PrometheusServer.Target t2 = prometheus.scrape(imapCluster, imap.hostPort(), Map.of("cluster", imapCluster))) {
            Watch watch = new Watch(prometheus, smtpCluster, imapCluster);

            // the probe-load alert's limit is exported for every probed node
            assertThat(prometheus.query("mailprobe_probe_connections_limit{cluster=\"" + smtpCluster + "\"}"))
                    .extracting(o -> ((JsonObject) o).getJsonObject("metric").getString("node"))
                    .contains("smtp-1", "smtp-2", "imap-1", "imap-2", "mx", "mailbox");

            // healthy: the guard's 70 access events in the hour are there, and nothing pages
            for (String cluster : List.of(smtpCluster, imapCluster)) {
                prometheus.awaitQuery("slo:sli_events:increase1h{sloth_slo=\"access\",cluster=\"" + cluster + "\"} >= 70",
                        r -> !r.isEmpty(), Duration.ofMinutes(2));
            }
            watch.observe(Duration.ofSeconds(30));
            assertThat(watch.pages(smtpCluster)).as("pages on the healthy demo").isEmpty();
            assertThat(watch.pages(imapCluster)).as("pages on the healthy demo").isEmpty();

            smtp.cluster.faults().set("smtp-1", FaultMode.CRASH);
            imap.cluster.faults().set("imap-1", FaultMode.CRASH);
            long crashed = System.nanoTime();
            JsonObject absorbed = null;
            JsonObject page = null;
            long pagedAfter = -1;
            boolean restoredSmtp = false;
            boolean restoredImap = false;
            long deadline = crashed + TimeUnit.MINUTES.toNanos(4);
            while ((absorbed == null || page == null) && System.nanoTime() < deadline) {
                watch.poll();
                if (absorbed == null) {
                    absorbed = watch.firing(smtpCluster, "MailprobeNodeDownAbsorbed", "smtp-1").orElse(null);
                    if (absorbed != null) {
                        smtp.cluster.faults().set("smtp-1", FaultMode.NONE);
                        restoredSmtp = true;
                    }
                }
                if (page == null) {
                    page = watch.firingPage(imapCluster, "imap-1").orElse(null);
                    if (page != null) {
                        pagedAfter = System.nanoTime() - crashed;
                        imap.cluster.faults().set("imap-1", FaultMode.NONE);
                        restoredImap = true;
                    }
                }
                Thread.sleep(1000);
            }
            if (!restoredSmtp) {
                smtp.cluster.faults().set("smtp-1", FaultMode.NONE);
            }
            if (!restoredImap) {
                imap.cluster.faults().set("imap-1", FaultMode.NONE);
            }
            assertThat(absorbed).as("MailprobeNodeDownAbsorbed{node=smtp-1} firing; alerts seen: %s", watch.seen()).isNotNull();
            assertThat(absorbed.getJsonObject("labels").getString("severity")).isEqualTo("warning");
            assertThat(page).as("a page naming imap-1; alerts seen: %s", watch.seen()).isNotNull();
            System.out.printf("page for the imap-1 crash after %.1f s%n", pagedAfter / 1e9);
            assertThat(Duration.ofNanos(pagedAfter)).isLessThanOrEqualTo(PAGE_WITHIN);
            JsonObject labels = page.getJsonObject("labels");
            JsonObject annotations = page.getJsonObject("annotations");
            assertThat(labels.getString("severity")).isEqualTo("critical");
            assertThat(labels.getString("sloth_severity")).isEqualTo("page");
            assertThat(labels.getString("burnrate_tier")).startsWith("page-");
            assertThat(annotations.getString("burning_node")).isEqualTo("imap-1");
            assertThat(annotations.getString("burning_node_state")).isEqualTo("DOWN");
            assertThat(annotations.getString("summary")).contains("imap-1 (DOWN)");
            assertThat(annotations.getString("description")).contains("Most of the " + labels.getString("long")
                    + " burn is on imap-1").contains("which is DOWN now");
            assertThat(ShippedRules.projectRoot().resolve(annotations.getString("runbook_url"))).exists();
            assertThat(watch.everFiring(imapCluster, "MailprobeNodeDownCustomerImpact", "imap-1"))
                    .as("the node page for imap-1; alerts seen: %s", watch.seen()).isTrue();

            // after the restore the page resolves: its short window (5m for page-1h) has to be clean
            String tier = labels.getString("burnrate_tier");
            String slo = labels.getString("slo");
            long restored = System.nanoTime();
            boolean resolved = false;
            long resolveDeadline = restored + TimeUnit.MINUTES.toNanos(9);
            while (!resolved && System.nanoTime() < resolveDeadline) {
                watch.poll();
                resolved = watch.current(imapCluster).stream().noneMatch(a -> isBurn(a, slo, tier));
                if (!resolved) {
                    Thread.sleep(2000);
                }
            }
            assertThat(resolved).as("%s %s resolved after the restore; alerts now: %s", slo, tier,
                    watch.current(imapCluster)).isTrue();
            System.out.printf("the %s page resolved %.0f s after the restore%n", tier, (System.nanoTime() - restored) / 1e9);
            assertThat(watch.current(imapCluster)).as("the node page resolved too")
                    .noneMatch(a -> a.getJsonObject("labels").getString("alertname").equals("MailprobeNodeDownCustomerImpact"));

            // the absorbed crash never paged, from the healthy phase to now
            assertThat(watch.pages(smtpCluster)).as("pages for the absorbed smtp-1 crash").isEmpty();
        }
    }

    private static boolean isBurn(JsonObject alert, String slo, String tier) {
        JsonObject l = alert.getJsonObject("labels");
        return l.getString("alertname").equals(AlertNames.ERROR_BUDGET_BURN) && slo.equals(l.getString("slo"))
                && tier.equals(l.getString("burnrate_tier"));
    }

    /** Polls Prometheus' alerts and remembers every alert (pending or firing) seen per cluster. */
    static final class Watch {
        private final PrometheusServer prometheus;
        private final List<String> clusters;
        private final List<JsonObject> seen = new ArrayList<>();
        private JsonArray last = new JsonArray();

        Watch(PrometheusServer prometheus, String... clusters) {
            this.prometheus = prometheus;
            this.clusters = List.of(clusters);
        }

        void poll() {
            last = prometheus.alerts();
            for (Object o : last) {
                JsonObject a = (JsonObject) o;
                if (clusters.contains(a.getJsonObject("labels").getString("cluster"))) {
                    seen.add(a);
                }
            }
        }

        void observe(Duration d) throws InterruptedException {
            long end = System.nanoTime() + d.toNanos();
            while (System.nanoTime() < end) {
                poll();
                Thread.sleep(1000);
            }
        }

        List<JsonObject> current(String cluster) {
            List<JsonObject> now = new ArrayList<>();
            for (Object o : last) {
                JsonObject a = (JsonObject) o;
                if (cluster.equals(a.getJsonObject("labels").getString("cluster"))) {
                    now.add(a);
                }
            }
            return now;
        }

        /** Every alert of {@code cluster} seen pending or firing with severity critical so far. */
        List<String> pages(String cluster) {
            return seen.stream().filter(a -> cluster.equals(a.getJsonObject("labels").getString("cluster")))
                    .filter(a -> "critical".equals(a.getJsonObject("labels").getString("severity")))
                    .map(a -> a.getJsonObject("labels").encode() + " " + a.getString("state")).distinct().toList();
        }

        Optional<JsonObject> firing(String cluster, String alertname, String node) {
            return current(cluster).stream().filter(a -> "firing".equals(a.getString("state")))
                    .filter(a -> alertname.equals(a.getJsonObject("labels").getString("alertname"))
                            && node.equals(a.getJsonObject("labels").getString("node")))
                    .findFirst();
        }

        boolean everFiring(String cluster, String alertname, String node) {
            return seen.stream().anyMatch(a -> cluster.equals(a.getJsonObject("labels").getString("cluster"))
                    && "firing".equals(a.getString("state"))
                    && alertname.equals(a.getJsonObject("labels").getString("alertname"))
                    && node.equals(a.getJsonObject("labels").getString("node")));
        }

        /** A firing page-level burn-rate alert whose annotations name {@code node}. */
        Optional<JsonObject> firingPage(String cluster, String node) {
            return current(cluster).stream().filter(a -> "firing".equals(a.getString("state")))
                    .filter(a -> AlertNames.ERROR_BUDGET_BURN.equals(a.getJsonObject("labels").getString("alertname"))
                            && "page".equals(a.getJsonObject("labels").getString("sloth_severity"))
                            && node.equals(a.getJsonObject("annotations").getString("burning_node")))
                    .findFirst();
        }

        String seen() {
            return seen.stream().map(a -> a.getJsonObject("labels").getString("alertname") + a.getJsonObject("labels")
                    .getMap().getOrDefault("node", "") + "/" + a.getString("state")).distinct().toList().toString();
        }
    }

    /** A demo cluster and its prober, on one Vert.x. */
    record Demo(Vertx vertx, DemoCluster cluster, Mailprobe mailprobe) implements AutoCloseable {
        static Demo start(Path store) throws Exception {
            Files.deleteIfExists(store);
            Vertx vertx = Vertx.vertx();
            DemoCluster cluster = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(store)
                    .withProbeInterval(PROBE_INTERVAL));
            Mailprobe mailprobe = Mailprobe.start(vertx, cluster.config(), new Mailprobe.Options("127.0.0.1", 0, "test", r -> {}))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            return new Demo(vertx, cluster, mailprobe);
        }

        String hostPort() {
            return "127.0.0.1:" + mailprobe.httpPort();
        }

        @Override
        public void close() throws Exception {
            try {
                mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } finally {
                cluster.close();
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }
}
