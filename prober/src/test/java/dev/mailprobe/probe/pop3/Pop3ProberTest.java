package dev.mailprobe.probe.pop3;

import static dev.mailprobe.probe.testing.Targets.ACCOUNT;
import static dev.mailprobe.probe.testing.Targets.PASSWORD;
import static dev.mailprobe.probe.testing.Targets.await;
import static dev.mailprobe.probe.testing.Targets.settings;
import static dev.mailprobe.probe.testing.Targets.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.Probers;
import dev.mailprobe.probe.session.Sasl;
import dev.mailprobe.probe.testing.ScriptedServer;
import dev.mailprobe.probe.testing.ScriptedServer.Script;
import dev.mailprobe.probe.testing.TestCerts;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pop3ProberTest {
    static Vertx vertx;
    static Probers probers;
    static TestCerts good;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        probers = Probers.create(vertx);
        good = TestCerts.create(dir, "localhost", "dns:localhost,ip:127.0.0.1");
    }

    @AfterAll
    static void tearDown() {
        probers.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    ProbeResult probe(ScriptedServer server, TlsMode tls, boolean account) {
        return await(probers.probe(target(Protocol.POP3, server.port(), tls, account ? ACCOUNT : null,
                settings(Duration.ofSeconds(5), true, good.pem()))));
    }

    static void assertNoPassword(ProbeResult r) {
        assertThat(r.toString()).doesNotContain(PASSWORD).doesNotContain(Sasl.base64(PASSWORD))
                .doesNotContain(Sasl.plain(ACCOUNT.username(), PASSWORD));
    }

    static Script statAndQuit(Script s) {
        return s.expect("STAT").send("+OK 2 3210").expect("QUIT").send("+OK Logging out.");
    }

    @Test
    void userPassWithSplitCapaSucceeds() throws Exception {
        Script s = Script.of().expectSilence(300).send("+OK pop1.example.net Dovecot ready.")
                .expect("CAPA").sendSplit(3, 2, "+OK", "TOP", "UIDL", "RESP-CODES", "USER", "..odd stuffed line", ".")
                .expect("USER probe@example.net").send("+OK")
                .expect("PASS " + PASSWORD).send("+OK Logged in.");
        try (ScriptedServer server = ScriptedServer.start(statAndQuit(s))) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.protocol()).isEqualTo(Protocol.POP3);
            assertThat(r.phases()).containsKeys(Phase.CONNECT, Phase.GREETING, Phase.AUTH, Phase.TRANSACTION, Phase.QUIT);
            assertThat(r.transcript()).contains("C: PASS <redacted>", "S: +OK 2 3210");
            assertNoPassword(r);
        }
    }

    @Test
    void authPlainWhenSaslPlainAdvertised() throws Exception {
        Script s = Script.of().send("+OK ready")
                .expect("CAPA").send("+OK", "USER", "SASL PLAIN LOGIN", ".")
                .expect("AUTH PLAIN " + Sasl.plain(ACCOUNT.username(), PASSWORD)).send("+OK Logged in.");
        try (ScriptedServer server = ScriptedServer.start(statAndQuit(s))) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.transcript()).contains("C: AUTH PLAIN <redacted>");
            assertNoPassword(r);
        }
    }

    @Test
    void errGreetingIsRejected() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.of().send("-ERR [SYS/TEMP] maintenance").close())) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(r.reason()).isEqualTo(FailureReason.REJECTED);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void errOnPassIsAuthFailed() throws Exception {
        Script s = Script.of().send("+OK ready").expect("CAPA").send("-ERR unknown command")
                .expect("USER").send("+OK").expect("PASS").send("-ERR [AUTH] Authentication failed.");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(r.reason()).isEqualTo(FailureReason.AUTH_FAILED);
            assertThat(r.failedPhase()).isEqualTo(Phase.AUTH);
            assertThat(r.replyText()).contains("Authentication failed");
            assertNoPassword(r);
        }
    }

    @Test
    void stlsNotAdvertisedIsTlsError() throws Exception {
        Script s = Script.of().send("+OK ready").expect("CAPA").send("+OK", "USER", ".");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.STARTTLS, true);
            assertThat(r.reason()).isEqualTo(FailureReason.TLS_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.TLS);
            assertThat(server.received()).containsExactly("CAPA");
        }
    }

    @Test
    void stlsUpgradesVerifiedThenLogsIn() throws Exception {
        Script s = Script.of().send("+OK ready").expect("CAPA").send("+OK", "STLS", ".")
                .expect("STLS").send("+OK Begin TLS negotiation").startTls()
                .expect("CAPA").send("+OK", "USER", ".")
                .expect("USER").send("+OK").expect("PASS").send("+OK Logged in.");
        try (ScriptedServer server = ScriptedServer.start(statAndQuit(s), good.serverContext())) {
            ProbeResult r = probe(server, TlsMode.STARTTLS, true);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.tls().verified()).isTrue();
            assertNoPassword(r);
        }
    }

    @Test
    void implicitTlsWithoutVerification() throws Exception {
        Script s = Script.of().send("+OK ready").expect("CAPA").send("+OK", "USER", ".").expect("QUIT").send("+OK bye");
        try (ScriptedServer server = ScriptedServer.startImplicitTls(s, good.serverContext())) {
            ProbeResult r = await(probers.probe(target(Protocol.POP3, server.port(), TlsMode.IMPLICIT, null,
                    settings(Duration.ofSeconds(5), false, null))));
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.tls().verified()).isFalse();
        }
    }

    @Test
    void statErrIsRejected() throws Exception {
        Script s = Script.of().send("+OK ready").expect("CAPA").send("+OK", "USER", ".")
                .expect("USER").send("+OK").expect("PASS").send("+OK")
                .expect("STAT").send("-ERR mailbox locked");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(r.reason()).isEqualTo(FailureReason.REJECTED);
            assertThat(r.failedPhase()).isEqualTo(Phase.TRANSACTION);
        }
    }

    @Test
    void garbageGreetingIsProtocolError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.of().send("220 I am SMTP actually"))) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(r.reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
        }
    }
}
