package dev.mailprobe.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import dev.mailprobe.health.HealthState;
import dev.mailprobe.runtime.Mailprobe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium (Debian {@code chromium}) on the running demo, as an
 * operator reads it after two crashes that both ended: smtp-1 (absorbed: {@code mx} fails over to
 * smtp-2) and imap-1 (customers saw it: {@code mailbox} is round-robin). The page must list both
 * incidents with their verdict and the budget the visible one burned, open the first failure's
 * evidence in operator words, show the entry points with a state and the round-trip matrix, and
 * fit a 400 px phone without sideways scrolling. Screenshots land in prober/target (and in docs/
 * with {@code -Dmailprobe.updateScreenshots=true}).
 */
class StatusPageBrowserTest {
    @TempDir
    static Path dir;

    static Vertx vertx;
    static DemoCluster cluster;
    static Mailprobe mailprobe;
    static HeadlessChromium browser;
    static String url;

    @BeforeAll
    static void twoCrashesThatEnded() throws Exception {
        vertx = Vertx.vertx();
        cluster = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(dir.resolve("page.db"))
                .withProbeInterval(Duration.ofMillis(500)));
        mailprobe = Mailprobe.start(vertx, cluster.config(), new Mailprobe.Options("127.0.0.1", 0, "test", cluster::mountApi))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        url = "http://127.0.0.1:" + mailprobe.httpPort() + "/";
        browser = HeadlessChromium.start(dir);
        Thread.sleep(2_000); // healthy traffic first
        // both at once: each is its own incident, and the suite waits once
        cluster.faults().set("smtp-1", FaultMode.CRASH);
        cluster.faults().set("imap-1", FaultMode.CRASH);
        await(() -> mailprobe.health().state("smtp-1") == HealthState.DOWN && mailprobe.health().state("imap-1") == HealthState.DOWN);
        Thread.sleep(2_000); // customers meet the crashed imap-1 behind round-robin
        cluster.faults().set("smtp-1", FaultMode.NONE);
        cluster.faults().set("imap-1", FaultMode.NONE);
        await(() -> mailprobe.health().state("smtp-1") == HealthState.UP && mailprobe.health().state("imap-1") == HealthState.UP);
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        cluster.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static JsonObject incident(JsonArray incidents, String node) {
        return incidents.stream().map(JsonObject.class::cast).filter(i -> i.getString("node").equals(node)).findFirst()
                .orElseThrow(() -> new AssertionError("no incident of " + node + " on the page: " + incidents.encodePrettily()));
    }

    @Test
    void onADesktopThePageListsBothIncidentsWithTheirVerdictAndTheRoundTripMatrix() throws Exception {
        browser.viewport(1300, 1000, false);
        browser.open(url);
        browser.await("document.querySelectorAll('.incident').length >= 2 && document.querySelectorAll('#rt-matrix td .badge').length > 0"
                + " && !document.querySelector('.incident .badge.measuring')", Duration.ofSeconds(30));

        JsonArray incidents = ((JsonArray) browser.eval("""
                [...document.querySelectorAll('.incident')].map(c => ({
                  node: c.dataset.node, open: !!c.querySelector('.badge.open'),
                  verdict: c.querySelector('.verdict').textContent,
                  budget: [...c.querySelectorAll('.budget li')].map(li => li.textContent),
                  text: c.innerText}))"""));
        JsonObject smtp = incident(incidents, "smtp-1");
        JsonObject imap = incident(incidents, "imap-1");
        assertThat(smtp.getBoolean("open")).isFalse();
        assertThat(smtp.getString("verdict")).isEqualTo("absorbed");
        assertThat(smtp.getJsonArray("budget")).isEmpty();
        assertThat(smtp.getString("text")).contains("no budget burned").contains("connection refused");
        assertThat(imap.getBoolean("open")).isFalse();
        assertThat(imap.getString("verdict")).isEqualTo("customers saw it");
        assertThat(imap.getJsonArray("budget").stream().map(String::valueOf))
                .anySatisfy(line -> assertThat(line).matches("access \\d+(\\.\\d+)? % of the budget \\(.+\\) · \\d+ failed"));
        assertThat(imap.getString("text")).containsPattern("started\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC \\(\\d+ s ago\\)");

        // the first failure's evidence opens on a click, in operator words
        browser.eval("document.querySelector('.incident[data-node=\"imap-1\"] details summary').click(), true");
        Object evidence = browser.eval("(() => { const d = document.querySelector('.incident[data-node=\"imap-1\"] details');"
                + " return d.open ? d.innerText : null; })()");
        assertThat(evidence).as("evidence expanded").isNotNull();
        assertThat((String) evidence).contains("what failed", "timings", "server said").containsPattern("connect \\d+ ms");
        assertThat(browser.eval("!!document.querySelector('.incident[data-node=\"imap-1\"] pre.transcript')")).isEqualTo(true);

        // the round-trip matrix: the customer path mx -> mailbox with its last result and percentiles
        String mxMailbox = (String) browser.eval("document.querySelector('#rt-matrix td[data-send=\"mx\"][data-fetch=\"mailbox\"]').innerText");
        assertThat(mxMailbox).containsPattern("p50 [\\d.]+ m?s · p95 [\\d.]+ m?s · p99 [\\d.]+ m?s").containsPattern("\\d+ lost · \\d+ late of \\d+");

        // entry points carry a state from their recent results
        JsonArray states = ((JsonArray) browser.eval(
                "[...document.querySelectorAll('.entry-point h3 .badge')].map(b => b.textContent)"));
        assertThat(states).hasSize(2);
        assertThat(states.stream().map(String::valueOf)).allMatch(s -> List.of("UP", "DEGRADED", "DOWN").contains(s));
        assertThat((String) browser.eval("document.querySelector('.entry-point[data-name=\"mailbox\"]').innerText"))
                .as("imap-1's refusals behind round-robin are in mailbox's recent results").containsPattern("[1-9]\\d* of \\d+ probes failed");

        // SLO cards: budget as a share and as time, and who burned it
        String access = (String) browser.eval("document.querySelector('.slo[data-slo=\"access\"]').innerText");
        assertThat(access).containsPattern("\\d+ s of 36 s left this 1 h|overspent by").contains("imap-1").contains("observed");

        String page = (String) browser.eval("document.body.innerText");
        assertThat(page).as("no Java class names").doesNotContainPattern("[A-Za-z]+Exception|java\\.|io\\.netty");
        assertThat(page).as("no nanosecond timestamps").doesNotContainPattern("\\d\\d:\\d\\d:\\d\\d\\.\\d");
        assertThat(page).contains("Demo settings");
        screenshot("status-page-desktop.png");
    }

    @Test
    void onA400PixelPhoneNothingScrollsSideways() throws Exception {
        browser.viewport(400, 860, true);
        browser.open(url);
        browser.await("document.querySelectorAll('.incident').length >= 2 && document.querySelectorAll('.matrix-list .card').length > 0",
                Duration.ofSeconds(30));
        JsonObject widths = ((JsonObject) browser.eval(
                "({scroll: document.documentElement.scrollWidth, body: document.body.scrollWidth, inner: window.innerWidth})"));
        assertThat(widths.getInteger("inner")).isEqualTo(400);
        assertThat(widths.getInteger("scroll")).as("%s", widths).isLessThanOrEqualTo(widths.getInteger("inner"));
        assertThat(widths.getInteger("body")).as("%s", widths).isLessThanOrEqualTo(widths.getInteger("inner"));
        // who burned the budget is on screen, not cut off
        Object cut = browser.eval("[...document.querySelectorAll('.burned-by li, .incident, .slo')]"
                + ".some(e => e.getBoundingClientRect().right > window.innerWidth)");
        assertThat(cut).isEqualTo(false);
        assertThat((String) browser.eval("document.querySelector('.matrix-list').innerText")).contains("mx → mailbox");
        screenshot("status-page-phone.png");
    }

    private static void screenshot(String name) throws Exception {
        Path root = Path.of(System.getProperty("mailprobe.projectRoot", ".."));
        Path png = root.resolve("prober/target").resolve(name);
        browser.screenshot(png);
        assertThat(Files.size(png)).isGreaterThan(10_000);
        if (Boolean.getBoolean("mailprobe.updateScreenshots")) {
            Files.copy(png, root.resolve("docs").resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 40 s");
            }
            Thread.sleep(100);
        }
    }
}
