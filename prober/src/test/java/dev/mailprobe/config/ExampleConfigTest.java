package dev.mailprobe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code example.yaml} is a production example: its secrets and CA are absolute paths under
 * /run/secrets and /etc/mailprobe. The test points those at the fixtures before loading it.
 */
class ExampleConfigTest {

    static String exampleYaml() throws IOException {
        try (InputStream in = ExampleConfigTest.class.getResourceAsStream("/example.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static MailprobeConfig loadExample() throws Exception {
        Path dir = TestFiles.configDir();
        String yaml = exampleYaml()
                .replace("/run/secrets/", dir.resolve("secrets") + "/")
                .replace("/etc/mailprobe/ca.pem", dir.resolve("ca.pem").toString());
        return ConfigLoader.parse(yaml, dir,
                Map.of("MAILPROBE_MONITOR_PASSWORD", "monitor-secret-pw")::get);
    }

    @Test
    void exampleIsValid() throws Exception {
        MailprobeConfig c = loadExample();

        assertThat(c.cluster()).isEqualTo("mail-prod");
        assertThat(c.vantage()).isEqualTo("dc1");
        assertThat(c.store().path()).isEqualTo(Path.of("/var/lib/mailprobe/mailprobe.db"));
        assertThat(c.nodes()).extracting(Node::name).containsExactly("smtp-1", "smtp-2", "imap-1", "imap-2");
        assertThat(c.entryPoints()).extracting(EntryPoint::name).containsExactly("mx", "mailbox");
        assertThat(c.entryPoint("mx").orElseThrow().via()).containsExactly("smtp-1", "smtp-2");
        assertThat(c.roundTrip().tokenKey().reveal()).isEqualTo(TestFiles.FILE_TOKEN_KEY);
        assertThat(c.slos()).hasSize(3);
        assertThat(c.knownJobs().get(1).zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        Endpoint imap2 = c.node("imap-2").orElseThrow().protocols().get(Protocol.IMAP);
        assertThat(imap2.settings().interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(imap2.settings().timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(imap2.settings().maxConnectionsPerNode()).isEqualTo(2);
        assertThat(c.node("imap-2").orElseThrow().protocols().get(Protocol.POP3).port()).isEqualTo(995);
        assertThat(ConfigSummary.oneLine(c)).isEqualTo(
                "4 nodes (smtp 2, submission 2, imap 2, pop3 2), 2 entry points, 3 SLOs, round trip every 1m,"
                        + " 2 known jobs");
    }

    /** The example shows every key of the config contract. */
    @Test
    void exampleUsesEveryKey() throws IOException {
        String yaml = exampleYaml();
        Set<String> keys = Set.of("cluster", "vantage", "http", "bind", "port", "store", "path", "probe",
                "interval", "timeout", "maxConnectionsPerNode", "tlsVerify", "caFile", "accounts", "username",
                "passwordFile", "passwordEnv", "nodes", "name", "host", "greetingName", "protocols", "smtp",
                "submission", "imap", "pop3", "tls", "account", "entryPoints", "via", "select", "roundTrip",
                "from", "to", "deliveredWithin", "lostAfter", "tokenKeyFile", "matrix", "slos", "objective",
                "window", "knownJobs", "cron", "timezone");
        for (String key : keys) {
            Matcher m = Pattern.compile("(^|[\\s{,])" + Pattern.quote(key) + ":", Pattern.MULTILINE).matcher(yaml);
            assertThat(m.find()).as("example.yaml uses `%s`", key).isTrue();
        }
    }

    @Test
    void unmodifiedExampleFailsOnlyOnTheMissingProductionFiles() throws IOException {
        // On a machine without /run/secrets the example must complain about exactly those files,
        // which shows that nothing else in it is wrong.
        Exception e = org.assertj.core.api.Assertions.catchException(() -> ConfigLoader.parse(exampleYaml(),
                Path.of("/nonexistent"), Map.of("MAILPROBE_MONITOR_PASSWORD", "x")::get));
        if (e == null) {
            return; // the production files exist here
        }
        assertThat(((ConfigException) e).errors()).extracting(ConfigError::path)
                .allMatch(p -> p.endsWith("caFile") || p.endsWith("passwordFile") || p.endsWith("tokenKeyFile"));
    }
}
