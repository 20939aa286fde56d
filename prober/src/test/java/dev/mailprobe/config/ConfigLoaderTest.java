package dev.mailprobe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    private static MailprobeConfig loadFixture(String name) throws Exception {
        Path file = TestFiles.file(name);
        return ConfigLoader.parse(Files.readString(file), file.getParent(), TestFiles.ENV);
    }

    @Test
    void minimalConfigTakesEveryDefault() throws Exception {
        MailprobeConfig c = ConfigLoader.load(TestFiles.file("valid-minimal.yaml"));

        assertThat(c.cluster()).isNull();
        assertThat(c.vantage()).isNull();
        assertThat(c.http()).isEqualTo(new MailprobeConfig.Http("0.0.0.0", 8080));
        assertThat(c.store().path()).isEqualTo(TestFiles.configDir().resolve("mailprobe.db"));
        assertThat(c.probe()).isEqualTo(ProbeSettings.DEFAULTS);
        assertThat(c.probe().interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.probe().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.probe().maxConnectionsPerNode()).isEqualTo(1);
        assertThat(c.probe().tlsVerify()).isTrue();
        assertThat(c.accounts()).isEmpty();
        assertThat(c.entryPoints()).isEmpty();
        assertThat(c.roundTrip()).isNull();
        assertThat(c.knownJobs()).isEmpty();
        assertThat(c.slos()).containsExactly(
                new SloSpec("delivery", 0.999, Duration.ofDays(30)),
                new SloSpec("access", 0.999, Duration.ofDays(30)),
                new SloSpec("submission", 0.999, Duration.ofDays(30)));
        Endpoint smtp = c.nodes().get(0).protocols().get(Protocol.SMTP);
        assertThat(smtp).isEqualTo(new Endpoint(Protocol.SMTP, 25, TlsMode.NONE, null, ProbeSettings.DEFAULTS));
    }

    @Test
    void defaultTlsAndPortsPerProtocol() throws Exception {
        String yaml = """
                accounts: {p: {username: u, passwordEnv: MAILPROBE_TEST_PASSWORD}}
                nodes:
                  - name: plain
                    host: h
                    protocols: {smtp: {}, submission: {}, imap: {account: p}, pop3: {account: p}}
                  - name: implicit
                    host: h
                    protocols:
                      smtp: {tls: implicit}
                      submission: {tls: implicit}
                      imap: {tls: implicit, account: p}
                      pop3: {tls: implicit, account: p}
                """;
        MailprobeConfig c = ConfigLoader.parse(yaml, null, TestFiles.ENV);

        var plain = c.nodes().get(0).protocols();
        assertThat(plain.get(Protocol.SMTP)).extracting(Endpoint::port, Endpoint::tls).containsExactly(25, TlsMode.NONE);
        assertThat(plain.get(Protocol.SUBMISSION)).extracting(Endpoint::port, Endpoint::tls)
                .containsExactly(587, TlsMode.STARTTLS);
        assertThat(plain.get(Protocol.IMAP)).extracting(Endpoint::port, Endpoint::tls)
                .containsExactly(143, TlsMode.STARTTLS);
        assertThat(plain.get(Protocol.POP3)).extracting(Endpoint::port, Endpoint::tls)
                .containsExactly(110, TlsMode.STARTTLS);
        var implicit = c.nodes().get(1).protocols();
        assertThat(implicit.get(Protocol.SMTP).port()).isEqualTo(25);
        assertThat(implicit.get(Protocol.SUBMISSION).port()).isEqualTo(465);
        assertThat(implicit.get(Protocol.IMAP).port()).isEqualTo(993);
        assertThat(implicit.get(Protocol.POP3).port()).isEqualTo(995);
        assertThat(plain.get(Protocol.SUBMISSION).account()).as("submission may go without an account").isNull();
        assertThat(plain.keySet()).as("configured order")
                .containsExactly(Protocol.SMTP, Protocol.SUBMISSION, Protocol.IMAP, Protocol.POP3);
    }

    @Test
    void settingsInheritProbeThenNodeThenProtocol() throws Exception {
        MailprobeConfig c = loadFixture("valid-inheritance.yaml");
        Path ca = TestFiles.file("ca.pem");

        assertThat(c.probe()).isEqualTo(new ProbeSettings(Duration.ofSeconds(20), Duration.ofSeconds(5), 3, false, null));

        Node a = c.node("a").orElseThrow();
        assertThat(a.protocols().get(Protocol.SMTP).settings())
                .isEqualTo(new ProbeSettings(Duration.ofMinutes(1), Duration.ofSeconds(5), 3, false, ca));
        assertThat(a.protocols().get(Protocol.IMAP).settings())
                .isEqualTo(new ProbeSettings(Duration.ofMinutes(1), Duration.ofSeconds(30), 3, true, ca));

        Node b = c.node("b").orElseThrow();
        assertThat(b.protocols().get(Protocol.POP3).settings())
                .isEqualTo(new ProbeSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), 1, false, null));
        assertThat(b.protocols().get(Protocol.SUBMISSION).settings())
                .isEqualTo(new ProbeSettings(Duration.ofSeconds(20), Duration.ofSeconds(5), 1, false, null));

        EntryPoint vip = c.entryPoint("vip").orElseThrow();
        assertThat(vip.host()).isEqualTo("vip.example.net");
        assertThat(vip.via()).isEmpty();
        assertThat(vip.select()).isEqualTo(EntryPoint.Selection.FAILOVER);
        assertThat(vip.protocols().get(Protocol.SMTP).port()).isEqualTo(2525);
        assertThat(vip.protocols().get(Protocol.SMTP).settings().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(vip.protocols().get(Protocol.IMAP).settings())
                .isEqualTo(new ProbeSettings(Duration.ofSeconds(20), Duration.ofSeconds(15), 3, false, null));
        assertThat(c.accounts().get("probe").password().reveal()).isEqualTo(TestFiles.ENV_PASSWORD);
    }

    @Test
    void timeoutIsCheckedAfterInheritanceAtTheLevelThatBrokeIt() {
        String yaml = """
                probe: {interval: 20s, timeout: 5s}
                nodes:
                  - name: a
                    host: h
                    timeout: 15s
                    protocols:
                      smtp: {interval: 15s}
                      submission: {}
                """;
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, null));
        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "nodes[0].protocols.smtp.interval: 15s is not longer than the timeout (15s, from nodes[0].timeout)");
    }

    @Test
    void loadResolvesRelativePathsAgainstTheConfigDirectory() throws Exception {
        String yaml = """
                store: {path: data/probe.db}
                accounts: {p: {username: u, passwordFile: secrets/probe-password}}
                nodes: [{name: n, host: h, caFile: ca.pem, protocols: {imap: {account: p}}}]
                """;
        Path dir = TestFiles.configDir();
        MailprobeConfig c = ConfigLoader.parse(yaml, dir);
        assertThat(c.store().path()).isEqualTo(dir.resolve("data/probe.db"));
        assertThat(c.nodes().get(0).protocols().get(Protocol.IMAP).settings().caFile()).isEqualTo(dir.resolve("ca.pem"));
        Secret pw = c.accounts().get("p").password();
        assertThat(pw.reveal()).as("trailing newline dropped").isEqualTo(TestFiles.FILE_PASSWORD);
        assertThat(pw.source()).isEqualTo("file " + dir.resolve("secrets/probe-password"));
    }

    @Test
    void roundTripDefaults() throws Exception {
        String yaml = """
                accounts: {probe: {username: probe@example.net, passwordEnv: MAILPROBE_TEST_PASSWORD}}
                nodes: [{name: n, host: h, protocols: {smtp: {}}}]
                roundTrip: {account: probe, tokenKeyFile: secrets/token-key}
                slos: []
                """;
        MailprobeConfig c = ConfigLoader.parse(yaml, TestFiles.configDir(), TestFiles.ENV);
        RoundTripSettings rt = c.roundTrip();
        assertThat(rt.interval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(rt.deliveredWithin()).isEqualTo(Duration.ofSeconds(30));
        assertThat(rt.lostAfter()).isEqualTo(Duration.ofMinutes(10));
        assertThat(rt.matrix()).isEqualTo(RoundTripSettings.Matrix.FULL);
        assertThat(rt.to()).as("defaults to the account's username").isEqualTo("probe@example.net");
        assertThat(rt.from()).as("defaults to `to`").isEqualTo("probe@example.net");
        assertThat(rt.account().name()).isEqualTo("probe");
        assertThat(rt.tokenKey().reveal()).isEqualTo(TestFiles.FILE_TOKEN_KEY);
        assertThat(c.slos()).as("an explicit empty list means no SLOs").isEmpty();
    }

    @Test
    void knownJobsKeepTheirZone() throws Exception {
        String yaml = """
                nodes: [{name: n, host: h, protocols: {smtp: {}}}]
                knownJobs:
                  - {name: ps-sweep, cron: "*/15 * * * *"}
                  - {name: backup, cron: "30 2 * * 6", timezone: Europe/Berlin}
                """;
        List<KnownJob> jobs = ConfigLoader.parse(yaml, null).knownJobs();
        assertThat(jobs).containsExactly(
                new KnownJob("ps-sweep", "*/15 * * * *", ZoneOffset.UTC),
                new KnownJob("backup", "30 2 * * 6", java.time.ZoneId.of("Europe/Berlin")));
        assertThat(jobs.get(0).schedule().expression()).isEqualTo("*/15 * * * *");
    }

    @Test
    void explicitNullsMeanAbsent() throws Exception {
        String yaml = """
                cluster:
                probe:
                nodes:
                  - name: n
                    host: h
                    greetingName:
                    protocols: {smtp: }
                """;
        MailprobeConfig c = ConfigLoader.parse(yaml, null);
        assertThat(c.probe()).isEqualTo(ProbeSettings.DEFAULTS);
        assertThat(c.nodes().get(0).greetingName()).isNull();
        assertThat(c.slos()).hasSize(3);
    }
}
