package dev.mailprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM on a real process: it stops probing, closes connections and flushes the store within
 * five seconds, and says so. The process is the test JVM's own classpath running {@link Main}.
 */
class GracefulShutdownTest {
    @TempDir
    Path dir;

    @Test
    void runStopsCleanlyOnSigtermAndFlushesTheStore() throws Exception {
        int port = CliFixtures.freePort();
        Path config = CliFixtures.validConfig(dir, port);
        Process p = start("run", "--config", config.toString());
        try {
            awaitHttp(port, p);
            long t0 = System.nanoTime();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).as("exited").isTrue();
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(millis).as("shutdown took %d ms", millis).isLessThan(5_000);
            String log = Files.readString(dir.resolve("out.log"));
            assertThat(log).contains("stopped cleanly").doesNotContain("pw-not-in-output");
            // the WAL was checkpointed into the database on close
            Path wal = dir.resolve("mailprobe.db-wal");
            assertThat(!Files.exists(wal) || Files.size(wal) == 0).as("WAL empty after close").isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void theDemoStopsCleanlyOnSigterm() throws Exception {
        int port = CliFixtures.freePort();
        Path state = dir.resolve("state");
        Process p = start("demo", "--http-port", Integer.toString(port), "--state-dir", state.toString());
        try {
            awaitHttp(port, p);
            // the demo describes itself as a config file that check-config accepts
            var cli = Main.commandLine();
            var out = new java.io.StringWriter();
            cli.setOut(new java.io.PrintWriter(out, true));
            assertThat(cli.execute("check-config", state.resolve("demo.yaml").toString())).as(out.toString()).isZero();
            assertThat(out.toString()).contains("4 nodes").contains("2 entry points");
            HttpResponse<String> faults = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/demo/faults")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(faults.body()).contains("\"smtp-1\"").contains("\"imap-2\"");
            p.destroy();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(dir.resolve("out.log"))).contains("stopped cleanly");
        } finally {
            p.destroyForcibly();
        }
    }

    private Process start(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        File log = dir.resolve("out.log").toFile();
        return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log).start();
    }

    private void awaitHttp(int port, Process p) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("process alive; log:%n%s", Files.readString(dir.resolve("out.log"))).isTrue();
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no /readyz within 30 s; log:\n" + Files.readString(dir.resolve("out.log")));
    }
}
