package dev.mailprobe.probe;

import static dev.mailprobe.probe.testing.Targets.ACCOUNT;
import static dev.mailprobe.probe.testing.Targets.await;
import static dev.mailprobe.probe.testing.Targets.settings;
import static dev.mailprobe.probe.testing.Targets.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.probe.testing.ScriptedServer;
import dev.mailprobe.probe.testing.ScriptedServer.Script;
import dev.mailprobe.probe.testing.Targets;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The protocol-independent failures, for every protocol. */
class FailureMatrixTest {
    static Vertx vertx;
    static Probers probers;

    @BeforeAll
    static void setUp() {
        vertx = Vertx.vertx();
        probers = Probers.create(vertx);
    }

    @AfterAll
    static void tearDown() {
        probers.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static String greeting(Protocol p) {
        return switch (p) {
            case SMTP, SUBMISSION -> "220 mx1.example.net ESMTP";
            case IMAP -> "* OK ready";
            case POP3 -> "+OK ready";
        };
    }

    ProbeResult probe(Protocol p, int port, Duration timeout) {
        return await(probers.probe(target(p, port, TlsMode.NONE, ACCOUNT, settings(timeout))));
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void refusedInConnect(Protocol p) throws Exception {
        ProbeResult r = probe(p, Targets.closedPort(), Duration.ofSeconds(5));
        assertThat(r.reason()).isEqualTo(FailureReason.REFUSED);
        assertThat(r.failedPhase()).isEqualTo(Phase.CONNECT);
        assertThat(r.protocol()).isEqualTo(p);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void timeoutInGreetingWithinTimeoutPlusTenPercent(Protocol p) throws Exception {
        try (ScriptedServer s = ScriptedServer.start(Script.of().hang())) {
            Duration timeout = Duration.ofMillis(2000);
            ProbeResult r = probe(p, s.port(), timeout);
            assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
            assertThat(r.phases().get(Phase.TOTAL)).isBetween(timeout.multipliedBy(95).dividedBy(100), timeout.multipliedBy(110).dividedBy(100));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void garbageGreetingIsProtocolError(Protocol p) throws Exception {
        try (ScriptedServer s = ScriptedServer.start(Script.of().sendRaw("\u0000\u0001\u00ff binary junk\r\n"))) {
            ProbeResult r = probe(p, s.port(), Duration.ofSeconds(5));
            assertThat(r.reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void closedAfterGreetingIsProtocolError(Protocol p) throws Exception {
        try (ScriptedServer s = ScriptedServer.start(Script.of().send(greeting(p)).close())) {
            ProbeResult r = probe(p, s.port(), Duration.ofSeconds(5));
            assertThat(r.reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void resetIsIoError(Protocol p) throws Exception {
        try (ScriptedServer s = ScriptedServer.start(Script.of().send(greeting(p)).sleep(200).reset())) {
            ProbeResult r = probe(p, s.port(), Duration.ofSeconds(5));
            assertThat(r.reason()).as(r.toString()).isEqualTo(FailureReason.IO_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void unknownHostIsDnsError(Protocol p) {
        ProbeResult r = await(probers.probe(target("no-such-host.invalid", p, 25, TlsMode.NONE, null, settings(Duration.ofSeconds(8)))));
        assertThat(r.reason()).as(r.toString()).isEqualTo(FailureReason.DNS_ERROR);
        assertThat(r.failedPhase()).isEqualTo(Phase.CONNECT);
    }
}
