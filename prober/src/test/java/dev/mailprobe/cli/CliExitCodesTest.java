package dev.mailprobe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI contract's exit codes: 0 ok, 1 bad config, 2 bad usage; help and version everywhere. */
class CliExitCodesTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private int run(String... args) {
        return cli.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "run", "check-config", "probe", "report", "rules"})
    void everyCommandHasHelpAndVersion(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(cli.out()).contains("Usage: mailprobe " + command);
        assertThat(run(command, "--version")).isZero();
        assertThat(cli.out()).contains("mailprobe ");
    }

    @Test
    void checkConfigOfAValidFileExitsZeroWithASummary() throws Exception {
        Path file = CliFixtures.validConfig(dir, 8080);
        assertThat(run("check-config", file.toString())).isZero();
        assertThat(cli.out()).contains(": ok: ").contains("1 node");
    }

    @Test
    void checkConfigOfABadFileExitsOneNamingEveryFieldPath() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "nodes:\n  - name: a\n    host: 127.0.0.1\n    protocols:\n      smtp: {port: 70000}\nbogusKey: 1\n");
        assertThat(run("check-config", file.toString())).isEqualTo(1);
        assertThat(cli.err())
                .contains("nodes[0].protocols.smtp.port: 70000 is not a port (1-65535)")
                .contains("bogusKey: unknown key");
    }

    @Test
    void aMissingFileExitsOne() {
        assertThat(run("check-config", dir.resolve("nope.yaml").toString())).isEqualTo(1);
        assertThat(cli.err()).contains("nope.yaml");
    }

    @Test
    void runWithABadConfigExitsOneBeforeStartingAnything() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "nodes: []\n");
        assertThat(run("run", "--config", file.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("nodes");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("run")).isEqualTo(2);
        assertThat(cli.err()).contains("--config");
        assertThat(run("no-such-command")).isEqualTo(2);
        assertThat(run("check-config")).isEqualTo(2);
    }
}
