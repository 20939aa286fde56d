package dev.mailprobe.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import dev.mailprobe.runtime.Mailprobe;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page in a real headless Chromium (Debian `chromium`, installed by
 * scripts/install-test-deps): its script fetches the APIs and renders what a person reads. The
 * DOM after rendering must show the SLOs, the entry points and a crashed node as DOWN. A
 * screenshot is left in prober/target/status-page.png for a person to look at.
 */
class StatusPageBrowserTest {
    @TempDir
    Path dir;

    @Test
    void theRenderedPageShowsSlosEntryPointsAndACrashedNodeAsDown() throws Exception {
        Vertx vertx = Vertx.vertx();
        DemoCluster cluster = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(dir.resolve("page.db"))
                .withProbeInterval(Duration.ofMillis(500)));
        Mailprobe mailprobe = Mailprobe.start(vertx, cluster.config(), new Mailprobe.Options("127.0.0.1", 0, "test", cluster::mountApi))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            cluster.faults().set("imap-1", FaultMode.CRASH);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (mailprobe.health().state("imap-1") != dev.mailprobe.health.HealthState.DOWN && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String url = "http://127.0.0.1:" + mailprobe.httpPort() + "/";
            String dom = chromium(List.of("--dump-dom", url));
            assertThat(dom).contains("<td>access</td>").contains("<td>delivery</td>").contains("<td>submission</td>");
            assertThat(dom).contains("<td>mx</td>").contains("<td>mailbox</td>");
            assertThat(dom).containsPattern("imap-1<span class=\"state down\">DOWN</span>");
            assertThat(dom).containsPattern("smtp-1<span class=\"state up\">UP</span>");
            assertThat(dom).contains("class=\"bad\">refused</td>");
            assertThat(dom).contains("id=\"sub\">updated "); // not "cannot reach /api/status"
            Path png = Path.of(System.getProperty("mailprobe.projectRoot", ".."), "prober", "target", "status-page.png");
            chromium(List.of("--window-size=1300,1000", "--screenshot=" + png.toAbsolutePath(), url));
            assertThat(Files.size(png)).isGreaterThan(10_000);
        } finally {
            mailprobe.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            cluster.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private String chromium(List<String> args) throws Exception {
        Path exe = Path.of("/usr/bin/chromium");
        assertThat(Files.isExecutable(exe)).as("chromium: run scripts/install-test-deps (Debian package chromium)").isTrue();
        List<String> command = new ArrayList<>(List.of(exe.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(dir, "chromium"), "--virtual-time-budget=5000"));
        command.addAll(args);
        Path out = dir.resolve("chromium.out");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(dir.resolve("chromium.err").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 60 s: " + Files.readString(dir.resolve("chromium.err")));
        }
        return Files.readString(out);
    }
}
