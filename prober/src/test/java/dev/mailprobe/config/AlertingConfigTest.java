package dev.mailprobe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code alerting:}, {@code slos[].minEvents} and loading with syntax only (docs/CONFIG.md). */
class AlertingConfigTest {
    private static final String NODES = """
            nodes:
              - name: smtp-1
                host: 127.0.0.11
                protocols: {smtp: {}}
            """;

    @TempDir
    Path dir;

    @Test
    void withoutAnAlertingSectionEveryDefaultHolds() throws Exception {
        MailprobeConfig c = ConfigLoader.parse(NODES, null, TestFiles.ENV);
        assertThat(c.alerting()).isEqualTo(AlertingSettings.DEFAULTS);
        assertThat(c.alerting().runbookUrl()).isEqualTo("docs/runbooks");
        assertThat(c.alerting().minEvents()).isEmpty();
        assertThat(c.slos()).allSatisfy(s -> assertThat(s.minEvents()).isEmpty());
    }

    @Test
    void linksAndGuardsAreRead() throws Exception {
        MailprobeConfig c = ConfigLoader.parse(NODES + """
                alerting:
                  runbookUrl: https://git.example.net/ops/mailprobe/blob/main/docs/runbooks/
                  dashboardUrl: https://grafana.example.net/d/mailprobe?orgId=2
                  minEvents: {page-1h: 100, ticket-3d: 0}
                slos:
                  - {name: delivery, objective: 0.999, window: 30d, minEvents: {page-6h: 500}}
                  - {name: access, objective: 0.99, window: 28d, minEvents: 20}
                """, null, TestFiles.ENV);
        assertThat(c.alerting().runbookUrl()).as("no trailing slash")
                .isEqualTo("https://git.example.net/ops/mailprobe/blob/main/docs/runbooks");
        assertThat(c.alerting().dashboardUrl()).isEqualTo("https://grafana.example.net/d/mailprobe?orgId=2");
        assertThat(c.alerting().minEvents()).isEqualTo(Map.of("page-1h", 100, "ticket-3d", 0));
        assertThat(c.slos().get(0).minEvents()).isEqualTo(Map.of("page-6h", 500));
        assertThat(c.slos().get(1).minEvents()).as("a number sets every tier")
                .isEqualTo(Map.of("page-1h", 20, "page-6h", 20, "ticket-1d", 20, "ticket-3d", 20));
    }

    @Test
    void syntaxOnlyChecksTheFileWithoutItsSecretsOrCaFiles() throws Exception {
        Path file = dir.resolve("prod.yaml");
        Files.writeString(file, """
                probe: {caFile: /etc/mailprobe/no-such-ca.pem}
                accounts:
                  probe: {username: probe@example.net, passwordFile: /run/secrets/no-such-password}
                  monitor: {username: monitor@example.net, passwordEnv: MAILPROBE_NO_SUCH_VARIABLE}
                nodes:
                  - name: imap-1
                    host: 10.0.0.21
                    protocols: {imap: {tls: implicit, account: probe}, pop3: {account: monitor}}
                roundTrip: {account: probe, tokenKeyFile: /run/secrets/no-such-key}
                """);
        ConfigException strict = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
        assertThat(strict.errors()).extracting(ConfigError::path).containsExactlyInAnyOrder(
                "probe.caFile", "accounts.probe.passwordFile", "accounts.monitor.passwordEnv", "roundTrip.tokenKeyFile");

        MailprobeConfig c = ConfigLoader.load(file, true);
        assertThat(c.accounts().get("probe").password().source()).contains("not read");
        assertThat(c.accounts().get("probe").password().reveal()).as("never a usable password").startsWith("\u0000");
        assertThat(c.roundTrip().tokenKey().source()).contains("not read");
        assertThat(c.probe().caFile()).isEqualTo(Path.of("/etc/mailprobe/no-such-ca.pem"));
    }

    @Test
    void syntaxOnlyStillReportsEveryMistakeInTheFileItself() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                accounts:
                  probe: {username: probe@example.net, passwordFile: /run/secrets/p, passwordEnv: P}
                  monitor: {username: monitor@example.net, passwordEnv: " "}
                  other: {username: other@example.net}
                nodes:
                  - name: imap-1
                    host: 10.0.0.21
                    protocols: {imap: {port: 70000}}
                alerting: {minEvents: {page-1h: x}}
                """);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, true));
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "accounts.probe: set passwordFile or passwordEnv, not both",
                "accounts.monitor.passwordEnv: must name an environment variable",
                "accounts.other: set passwordFile or passwordEnv",
                "nodes[0].protocols.imap.port: 70000 is not a port (1-65535)",
                "alerting.minEvents.page-1h: expected a whole number, got a string");
    }
}
