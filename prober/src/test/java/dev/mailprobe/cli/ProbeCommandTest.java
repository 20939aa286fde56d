package dev.mailprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mailprobe probe} against the demo cluster: a readable diagnosis and the exit codes. */
class ProbeCommandTest {
    @TempDir
    static Path dir;

    private static Vertx vertx;
    private static DemoCluster cluster;
    private static Path config;
    private static String password;

    private final CliRun cli = new CliRun();

    @BeforeAll
    static void startDemo() throws Exception {
        vertx = Vertx.vertx();
        cluster = DemoCluster.start(vertx, DemoOptions.defaults().withStorePath(dir.resolve("demo.db")));
        password = cluster.config().accounts().get("probe").password().reveal();
        Path secret = Files.writeString(dir.resolve("probe-password"), password);
        config = Files.writeString(dir.resolve("demo.yaml"), """
                store: {path: %s}
                probe: {interval: 5s, timeout: 2s}
                accounts:
                  probe: {username: %s, passwordFile: %s}
                nodes:
                  - name: smtp-1
                    host: 127.0.0.1
                    protocols:
                      smtp: {port: %d, tls: none}
                      submission: {port: %d, tls: none, account: probe}
                  - name: imap-1
                    host: 127.0.0.1
                    protocols:
                      imap: {port: %d, tls: none, account: probe}
                      pop3: {port: %d, tls: none, account: probe}
                entryPoints:
                  - name: mx
                    via: [smtp-1]
                    protocols: {smtp: {port: %d, tls: none}}
                """.formatted(dir.resolve("probe.db"), DemoCluster.PROBE_ADDRESS, secret,
                cluster.port("smtp-1", Protocol.SMTP), cluster.port("smtp-1", Protocol.SUBMISSION),
                cluster.port("imap-1", Protocol.IMAP), cluster.port("imap-1", Protocol.POP3),
                cluster.port("smtp-1", Protocol.SMTP)));
    }

    @AfterAll
    static void stopDemo() throws Exception {
        cluster.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void healthy() {
        cluster.faults().set("smtp-1", FaultMode.NONE);
        cluster.faults().set("imap-1", FaultMode.NONE);
    }

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void aHealthyNodePrintsEveryPhaseAndTheTranscriptWithoutThePassword() {
        assertThat(run("probe", "--config", config.toString(), "--node", "imap-1")).isZero();
        String text = cli.out();
        assertThat(text).contains("imap-1 imap").contains("imap-1 pop3")
                .contains("connect").contains("greeting").contains("auth").contains("transaction").contains("total")
                .contains("result: success")
                .contains("C: a3 SELECT INBOX")
                .contains("<redacted>")
                .doesNotContain(password);
    }

    @Test
    void aFailureNamesTheReasonAndThePhaseAndExitsOne() {
        cluster.faults().set("imap-1", FaultMode.REJECT);
        assertThat(run("probe", "--config", config.toString(), "--node", "imap-1", "--protocol", "imap")).isEqualTo(1);
        assertThat(cli.out()).contains("result: FAILED, auth_failed in auth").contains("<- failed here");
    }

    @Test
    void aCrashedNodeIsRefusedAtConnect() {
        cluster.faults().set("smtp-1", FaultMode.CRASH);
        assertThat(run("probe", "--config", config.toString(), "--node", "smtp-1", "--protocol", "smtp")).isEqualTo(1);
        assertThat(cli.out()).contains("result: FAILED, refused in connect");
    }

    @Test
    void anEntryPointSaysWhichNodeServedIt() {
        assertThat(run("probe", "--config", config.toString(), "--node", "mx")).isZero();
        assertThat(cli.out()).contains("mx smtp").contains("served by smtp-1");
    }

    @Test
    void anUnknownNodeOrProtocolIsAUsageErrorNamingWhatExists() {
        assertThat(run("probe", "--config", config.toString(), "--node", "nope")).isEqualTo(2);
        assertThat(cli.err()).contains("no node or entry point named 'nope'").contains("smtp-1, imap-1, mx");
        assertThat(run("probe", "--config", config.toString(), "--node", "smtp-1", "--protocol", "imap")).isEqualTo(2);
        assertThat(cli.err()).contains("has no protocol 'imap'").contains("smtp, submission");
    }

    @Test
    void aBadConfigExitsTwo() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "nodes: []\n");
        assertThat(run("probe", "--config", bad.toString(), "--node", "smtp-1")).isEqualTo(2);
    }
}
