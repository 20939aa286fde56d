package dev.mailprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The CLI contract's exit codes: 0 ok, 1 bad config, 2 bad usage; help and version everywhere. */
class CliExitCodesTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "run", "check-config", "probe", "report"})
    void everyCommandHasHelpAndVersion(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).contains("Usage: mailprobe " + command);
        assertThat(run(command, "--version")).isZero();
        assertThat(out.toString()).contains("mailprobe ");
    }

    @Test
    void checkConfigOfAValidFileExitsZeroWithASummary() throws Exception {
        Path file = CliFixtures.validConfig(dir, 8080);
        assertThat(run("check-config", file.toString())).isZero();
        assertThat(out.toString()).contains(": ok: ").contains("1 node");
    }

    @Test
    void checkConfigOfABadFileExitsOneNamingEveryFieldPath() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "nodes:\n  - name: a\n    host: 127.0.0.1\n    protocols:\n      smtp: {port: 70000}\nbogusKey: 1\n");
        assertThat(run("check-config", file.toString())).isEqualTo(1);
        assertThat(err.toString())
                .contains("nodes[0].protocols.smtp.port: 70000 is not a port (1-65535)")
                .contains("bogusKey: unknown key");
    }

    @Test
    void aMissingFileExitsOne() {
        assertThat(run("check-config", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(err.toString()).contains("nope.yaml");
    }

    @Test
    void runWithABadConfigExitsOneBeforeStartingAnything() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "nodes: []\n");
        assertThat(run("run", "--config", file.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("nodes");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("run")).isEqualTo(2);
        assertThat(err.toString()).contains("--config");
        assertThat(run("no-such-command")).isEqualTo(2);
        assertThat(run("check-config")).isEqualTo(2);
    }
}
