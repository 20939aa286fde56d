package dev.mailprobe.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuggestionsTest {
    private static final List<String> KEYS =
            List.of("interval", "timeout", "maxConnectionsPerNode", "tlsVerify", "caFile", "port", "tls", "account");

    @ParameterizedTest
    @CsvSource({"prot, port", "intervall, interval", "tlsverify, tlsVerify", "timout, timeout",
        "maxConnections, maxConnectionsPerNode", "cafile, caFile", "acount, account", "tsl, tls"})
    void suggestsTheClosest(String given, String expected) {
        assertThat(Suggestions.closest(given, KEYS)).contains(expected);
    }

    @ParameterizedTest
    @CsvSource({"hostname", "x", "password", "protocols"})
    void staysQuietWhenNothingIsClose(String given) {
        assertThat(Suggestions.closest(given, KEYS)).isEmpty();
    }
}
