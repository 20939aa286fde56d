package dev.mailprobe.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** testbed/up is idempotent; testbed/down leaves no process or listener behind (and up brings it back). */
@RealTestbed
class RealTestbedLifecycleTest {

    @Test
    void upTwiceKeepsTheSameHealthyCluster(Testbed tb) throws Exception {
        Map<String, String> before = masterPids(tb);
        assertThat(before).hasSize(6); // 2 Postfix + 2 auth-only Dovecot + 2 IMAP/POP3 Dovecot
        tb.up();
        assertThat(masterPids(tb)).as("no node restarted").isEqualTo(before);
        assertThat(tb.status().exitCode()).isZero();
    }

    @Test
    void downLeavesNoProcessOrListenerAndUpRestores(Testbed tb) throws Exception {
        assertThat(tb.listeners()).hasSize(12);
        try {
            tb.down();
            assertThat(tb.listeners()).as("ss -ltn on testbed addresses").isEmpty();
            assertThat(tb.processes()).as("testbed processes").isEmpty();
            assertThat(pgrep(tb.stateDir() + "/")).as("pgrep -f " + tb.stateDir()).isEqualTo(1); // 1 = no match
        } finally {
            tb.up(); // later tests need it
        }
        assertThat(tb.listeners()).hasSize(12);
        try (TestbedMail.Wire w = new TestbedMail.Wire(tb.host("imap-1"), tb.port("imap-1", "imap"), Duration.ofSeconds(5))) {
            assertThat(w.line()).contains(tb.node("imap-1").greetingName());
        }
    }

    private static Map<String, String> masterPids(Testbed tb) throws IOException {
        Map<String, String> pids = new LinkedHashMap<>();
        for (Testbed.Node n : tb.nodes()) {
            Path base = tb.stateDir().resolve(n.name());
            for (Path f : new Path[] {base.resolve("queue/pid/master.pid"), base.resolve("dovecot/run/master.pid")}) {
                if (Files.exists(f)) {
                    pids.put(f.toString(), Files.readString(f).strip());
                }
            }
        }
        return pids;
    }

    private static int pgrep(String pattern) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("pgrep", "-f", pattern).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }
}
