package dev.mailprobe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One fixture per validation rule: {@code config/invalid-<rule>.yaml} starts with one
 * {@code # expect: path: message} line per error the loader must report, in order, and nothing
 * else. {@code ${dir}} in an expectation stands for the fixture directory.
 */
class ConfigRulesTest {

    static Stream<String> invalidFiles() throws IOException {
        try (Stream<Path> files = Files.list(TestFiles.configDir())) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.matches("invalid-.*\\.yaml"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidFiles")
    void reportsExactlyTheExpectedErrors(String name) throws IOException {
        Path file = TestFiles.file(name);
        String yaml = Files.readString(file);
        List<String> expected = yaml.lines()
                .takeWhile(l -> l.startsWith("#"))
                .filter(l -> l.startsWith("# expect: "))
                .map(l -> l.substring("# expect: ".length())
                        .replace("${dir}", file.getParent().toString()))
                .toList();
        assertThat(expected).as("expectations in " + file.getFileName()).isNotEmpty();

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, file.getParent(), TestFiles.ENV));

        assertThat(e).as("loading " + file.getFileName()).isNotNull();
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactlyElementsOf(expected);
        assertThat(e.getMessage()).isEqualTo(String.join("\n", expected));
    }

    @Test
    void thereIsAFixturePerRule() throws IOException {
        assertThat(invalidFiles().count()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void severalProblemsAreAllReported() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(TestFiles.file("invalid-several.yaml")));
        assertThat(e.errors()).hasSize(7);
        assertThat(e.errors()).extracting(ConfigError::path).containsExactly(
                "http.port", "probe.timeout", "accounts.probe.passwordFile", "nodes[0].protocols.smtp.tls",
                "nodes[1].protocols.imap.port", "entryPoints[0].via[0]", "slos[0].objective");
    }

    @Test
    void missingConfigFileNamesTheFile() {
        Path missing = TestFiles.file("no-such-config.yaml");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(missing));
        assertThat(e.errors()).containsExactly(new ConfigError(missing.toString(), "cannot read: no such file"));
    }

    @Test
    void errorToStringIsPathColonMessage() {
        assertThat(new ConfigError("nodes[1].protocols.imap.port", "70000 is not a port (1-65535)"))
                .hasToString("nodes[1].protocols.imap.port: 70000 is not a port (1-65535)");
    }
}
