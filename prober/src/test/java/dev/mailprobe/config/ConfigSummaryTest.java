package dev.mailprobe.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigSummaryTest {

    @Test
    void minimal() throws Exception {
        assertThat(ConfigSummary.oneLine(ConfigLoader.load(TestFiles.file("valid-minimal.yaml"))))
                .isEqualTo("1 node (smtp 1), 0 entry points, 3 SLOs, no round trip");
    }

    @Test
    void countsProtocolsPerNodeInProtocolOrder() throws Exception {
        String yaml = """
                accounts: {p: {username: p@example.net, passwordEnv: MAILPROBE_TEST_PASSWORD}}
                nodes:
                  - {name: a, host: a, protocols: {pop3: {account: p}, smtp: {}}}
                  - {name: b, host: b, protocols: {smtp: {}}}
                entryPoints: [{name: e, via: [a], protocols: {smtp: {}}}]
                roundTrip: {account: p, tokenKeyEnv: MAILPROBE_TEST_PASSWORD, interval: 90s}
                slos: [{name: delivery, objective: 0.99}]
                knownJobs: [{name: j, cron: "@hourly"}]
                """;
        assertThat(ConfigSummary.oneLine(ConfigLoader.parse(yaml, null, TestFiles.ENV)))
                .isEqualTo("2 nodes (smtp 2, pop3 1), 1 entry point, 1 SLO, round trip every 1m30s, 1 known job");
    }
}
