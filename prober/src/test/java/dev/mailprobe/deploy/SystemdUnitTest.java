package dev.mailprobe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd unit for hosts outside Kubernetes, checked by systemd itself ({@code systemd-analyze verify}). */
class SystemdUnitTest {
    @TempDir
    Path dir;

    static Path unit() {
        return DeployTools.projectRoot().resolve("deploy/mailprobe.service");
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnitWithoutAWarning() throws Exception {
        DeployTools.Outcome o = DeployTools.run(List.of("systemd-analyze", "verify", unit().toString()), null);
        assertThat(o.exitCode()).as(o.all()).isZero();
        assertThat(o.all()).as("warnings of systemd-analyze").isBlank();
    }

    /** The check can fail: a misspelt key and a missing executable are reported. */
    @Test
    void systemdAnalyzeVerifyReportsABrokenUnit() throws Exception {
        Path broken = Files.writeString(dir.resolve("mailprobe.service"), Files.readString(unit())
                .replace("SuccessExitStatus=", "SuccesExitStatus=").replace("ExecStart=/usr/bin/java", "ExecStart=/usr/bin/no-such-java"));
        DeployTools.Outcome o = DeployTools.run(List.of("systemd-analyze", "verify", broken.toString()), null);
        assertThat(o.exitCode()).isNotZero();
        assertThat(o.all()).contains("Unknown key 'SuccesExitStatus'", "/usr/bin/no-such-java is not executable");
    }

    /**
     * A JVM stopped by SIGTERM exits with 143 (128 + 15) after its shutdown hooks ran: a clean stop
     * for systemd. Reload is the SIGHUP mailprobe handles. The heap is fixed below the memory limit.
     */
    @Test
    void theUnitStopsReloadsAndSizesTheJvmRight() throws Exception {
        String text = Files.readString(unit());
        assertThat(text).contains("\nSuccessExitStatus=143\n", "\nExecReload=/bin/kill -HUP $MAINPID\n", "\nKillSignal=SIGTERM\n",
                "\nExecStart=/usr/bin/java -jar /opt/mailprobe/mailprobe.jar run --config /etc/mailprobe/mailprobe.yaml\n",
                "\nRestart=on-failure\n", "\nNoNewPrivileges=yes\n", "\nProtectSystem=strict\n", "\nStateDirectory=mailprobe\n",
                "\nDynamicUser=yes\n", "\nCapabilityBoundingSet=\n");
        int heapMiB = Integer.parseInt(text.replaceAll("(?s).*-Xmx([0-9]+)m.*", "$1"));
        int limitMiB = Integer.parseInt(text.replaceAll("(?s).*\nMemoryMax=([0-9]+)M\n.*", "$1"));
        assertThat(limitMiB - heapMiB).as("MiB beside the heap").isGreaterThanOrEqualTo(150);
        // stop budget: mailprobe's own 5 s shutdown fits in TimeoutStopSec
        assertThat(Integer.parseInt(text.replaceAll("(?s).*\nTimeoutStopSec=([0-9]+)s\n.*", "$1"))).isGreaterThan(5);
    }

    /** What the unit calls a clean stop is what the real process does on SIGTERM: exit 0 or 143. */
    @Test
    void aRealProcessStoppedBySigtermExitsWithAStatusTheUnitCountsAsSuccess() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path secret = Files.writeString(dir.resolve("pw"), "password\n");
        Path config = Files.writeString(dir.resolve("mailprobe.yaml"), """
                http: {bind: 127.0.0.1, port: %d}
                store: {path: %s}
                accounts:
                  probe: {username: probe@example.net, passwordFile: %s}
                nodes:
                  - {name: smtp-1, host: 127.0.0.1, protocols: {smtp: {port: 1}}}
                """.formatted(port, dir.resolve("m.db"), secret));
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), "dev.mailprobe.cli.Main", "run", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        try {
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            boolean ready = false;
            while (!ready && System.nanoTime() < deadline && p.isAlive()) {
                try {
                    ready = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (java.io.IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertThat(ready).as("ready; log:%n%s", Files.readString(dir.resolve("out.log"))).isTrue();
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            String success = Files.readString(unit()).replaceAll("(?s).*\nSuccessExitStatus=([0-9 ]+)\n.*", "$1");
            List<Integer> clean = new java.util.ArrayList<>(List.of(0));
            for (String code : success.trim().split("\\s+")) {
                clean.add(Integer.parseInt(code));
            }
            assertThat(p.exitValue()).as("exit status after SIGTERM").isIn(clean);
        } finally {
            p.destroyForcibly();
        }
    }
}
