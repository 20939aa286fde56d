package dev.mailprobe.probe.smtp;

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
import dev.mailprobe.probe.ProbeTarget;
import dev.mailprobe.probe.Probers;
import dev.mailprobe.probe.session.Sasl;
import dev.mailprobe.probe.testing.ScriptedServer;
import dev.mailprobe.probe.testing.ScriptedServer.Script;
import dev.mailprobe.probe.testing.Targets;
import dev.mailprobe.probe.testing.TestCerts;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpProberTest {
    static Vertx vertx;
    static Probers probers;
    static TestCerts good;
    static TestCerts otherName;

    @TempDir
    static Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        vertx = Vertx.vertx();
        probers = Probers.create(vertx);
        good = TestCerts.create(dir, "localhost", "dns:localhost,ip:127.0.0.1");
        otherName = TestCerts.create(dir, "other", "dns:other.example");
    }

    @AfterAll
    static void tearDown() {
        probers.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    static final String[] EHLO = {"250-mx1.example.net", "250-PIPELINING", "250-SIZE 10240000", "250-AUTH PLAIN LOGIN", "250 8BITMIME"};
    static final String[] EHLO_TLS = {"250-mx1.example.net", "250-STARTTLS", "250 8BITMIME"};

    static Script envelopeAndQuit(Script s) {
        return s.expect("MAIL FROM:<probe@example.net>").send("250 2.1.0 Ok")
                .expect("RCPT TO:<probe@example.net>").send("250 2.1.5 Ok")
                .expect("RSET").send("250 2.0.0 Ok")
                .expect("QUIT").send("221 2.0.0 Bye");
    }

    ProbeResult probe(ScriptedServer server, TlsMode tls, boolean account) {
        return probe(target(Protocol.SUBMISSION, server.port(), tls, account ? ACCOUNT : null, settings(Duration.ofSeconds(5))));
    }

    ProbeResult probe(ProbeTarget target) {
        return await(probers.probe(target));
    }

    static void assertNoPassword(ProbeResult r) {
        assertThat(r.toString()).doesNotContain(PASSWORD)
                .doesNotContain(Sasl.base64(PASSWORD))
                .doesNotContain(Sasl.plain(ACCOUNT.username(), PASSWORD));
    }

    @Test
    void fullSubmissionDialogueSucceedsWithRedactedTranscript() throws Exception {
        Script script = Script.of()
                .expectSilence(300) // the client must wait for the greeting
                .send("220 mx1.example.net ESMTP ready")
                .expect("EHLO [127.0.0.1]").send(EHLO)
                .expect("AUTH PLAIN " + Sasl.plain(ACCOUNT.username(), PASSWORD)).send("235 2.7.0 Authentication successful");
        try (ScriptedServer server = ScriptedServer.start(envelopeAndQuit(script))) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.reason()).isNull();
            assertThat(r.resultLabel()).isEqualTo("success");
            assertThat(r.protocol()).isEqualTo(Protocol.SUBMISSION);
            assertThat(r.servedBy()).isEqualTo("node-1");
            assertThat(r.phases()).containsKeys(Phase.CONNECT, Phase.GREETING, Phase.AUTH, Phase.TRANSACTION, Phase.QUIT, Phase.TOTAL)
                    .doesNotContainKey(Phase.TLS);
            assertThat(r.phases().get(Phase.TOTAL)).isGreaterThanOrEqualTo(r.phases().get(Phase.GREETING));
            assertThat(r.replyCode()).isEqualTo(221);
            assertThat(r.tls()).isNull();
            assertThat(r.transcript()).contains("S: 220 mx1.example.net ESMTP ready", "C: EHLO [127.0.0.1]",
                    "C: AUTH PLAIN <redacted>", "C: MAIL FROM:<probe@example.net>", "C: QUIT", "S: 221 2.0.0 Bye");
            assertNoPassword(r);
        }
    }

    @Test
    void multilineRepliesSplitAcrossPacketsAreReadWhole() throws Exception {
        // LOGIN only when PLAIN is not advertised: use an EHLO without PLAIN
        Script loginOnly = Script.of()
                .sendSplit(7, 5, "220-mx1.example.net ESMTP", "220-second line", "220 third line")
                .expect("EHLO").sendSplit(3, 2, "250-mx1.example.net", "250-AUTH LOGIN", "250 8BITMIME")
                .expect("AUTH LOGIN").send("334 VXNlcm5hbWU6")
                .expect(Sasl.base64(ACCOUNT.username())).send("334 UGFzc3dvcmQ6")
                .expect(Sasl.base64(PASSWORD)).send("235 ok");
        try (ScriptedServer server = ScriptedServer.start(envelopeAndQuit(loginOnly))) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.transcript()).contains("S: 220-second line", "S: 220 third line", "C: AUTH LOGIN", "C: <redacted>");
            assertThat(r.transcript().stream().filter(l -> l.startsWith("C: EHLO")).count()).isEqualTo(1);
            assertNoPassword(r);
        }
    }

    @Test
    void greeting554IsRejected() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.of().send("554 5.3.2 mx1 not accepting mail").close())) {
            ProbeResult r = probe(server, TlsMode.NONE, false);
            assertThat(r.success()).isFalse();
            assertThat(r.reason()).isEqualTo(FailureReason.REJECTED);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
            assertThat(r.replyCode()).isEqualTo(554);
            assertThat(r.replyText()).contains("not accepting mail");
            assertThat(r.error()).contains("554");
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void nonStandardGreetingIsProtocolError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.of().send("HTTP/1.1 400 Bad Request", "").close())) {
            ProbeResult r = probe(server, TlsMode.NONE, false);
            assertThat(r.reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
        }
    }

    @Test
    void closeBeforeGreetingIsProtocolError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.of().close())) {
            ProbeResult r = probe(server, TlsMode.NONE, false);
            assertThat(r.reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
            assertThat(r.error()).contains("closed");
        }
    }

    @Test
    void resetMidDialogueIsIoError() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").reset())) {
            ProbeResult r = probe(server, TlsMode.NONE, false);
            assertThat(r.reason()).as(r.toString()).isEqualTo(FailureReason.IO_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
        }
    }

    @Test
    void refusedConnection() throws Exception {
        ProbeResult r = probe(target(Protocol.SMTP, Targets.closedPort(), TlsMode.NONE, null, settings(Duration.ofSeconds(5))));
        assertThat(r.reason()).isEqualTo(FailureReason.REFUSED);
        assertThat(r.failedPhase()).isEqualTo(Phase.CONNECT);
        assertThat(r.phases()).containsKeys(Phase.CONNECT, Phase.TOTAL);
    }

    @Test
    void unknownHostIsDnsError() {
        ProbeResult r = probe(target("no-such-host.invalid", Protocol.SMTP, 25, TlsMode.NONE, null, settings(Duration.ofSeconds(8))));
        assertThat(r.reason()).as(r.toString()).isEqualTo(FailureReason.DNS_ERROR);
        assertThat(r.failedPhase()).isEqualTo(Phase.CONNECT);
    }

    @Test
    void silentServerTimesOutInGreetingWithinTimeoutPlusTenPercent() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.of().hang())) {
            Duration timeout = Duration.ofMillis(1500);
            long t0 = System.nanoTime();
            ProbeResult r = probe(target(Protocol.SMTP, server.port(), TlsMode.NONE, null, settings(timeout)));
            long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
            assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
            assertThat(r.error()).contains("greeting");
            assertThat(r.phases().get(Phase.TOTAL)).isBetween(timeout.multipliedBy(95).dividedBy(100), timeout.multipliedBy(110).dividedBy(100));
            assertThat(elapsedMs).isLessThan(timeout.toMillis() * 110 / 100 + 200);
        }
    }

    @Test
    void slowTransactionTimesOutInTransactionPhase() throws Exception {
        Script s = Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO)
                .expect("MAIL FROM").hang();
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(target(Protocol.SMTP, server.port(), TlsMode.NONE, null, settings(Duration.ofMillis(800))));
            assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(r.failedPhase()).isEqualTo(Phase.TRANSACTION);
            assertThat(r.phases().get(Phase.TOTAL)).isLessThan(Duration.ofMillis(880));
        }
    }

    @Test
    void starttlsConfiguredButNotAdvertisedIsTlsErrorNeverSkipped() throws Exception {
        Script s = Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO).expect("QUIT").send("221 bye");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.STARTTLS, true);
            assertThat(r.reason()).isEqualTo(FailureReason.TLS_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.TLS);
            assertThat(r.error()).contains("not advertise");
            // nothing after EHLO: no AUTH in the clear, no envelope
            assertThat(server.received()).hasSize(1).allMatch(l -> l.startsWith("EHLO"));
        }
    }

    @Test
    void starttlsRefusedIsTlsError() throws Exception {
        Script s = Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO_TLS)
                .expect("STARTTLS").send("454 4.7.0 TLS not available due to local problem");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.STARTTLS, false);
            assertThat(r.reason()).isEqualTo(FailureReason.TLS_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.TLS);
            assertThat(r.replyCode()).isEqualTo(454);
        }
    }

    @Test
    void starttlsWithTrustedCaFileThenEhloAgainAndAuth() throws Exception {
        Script s = Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO_TLS)
                .expect("STARTTLS").send("220 2.0.0 Ready to start TLS").startTls()
                .expect("EHLO").send(EHLO)
                .expect("AUTH PLAIN").send("235 ok");
        try (ScriptedServer server = ScriptedServer.start(envelopeAndQuit(s), good.serverContext())) {
            ProbeResult r = probe(target(Protocol.SUBMISSION, server.port(), TlsMode.STARTTLS, ACCOUNT,
                    settings(Duration.ofSeconds(5), true, good.pem())));
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.tls()).isNotNull();
            assertThat(r.tls().verified()).isTrue();
            assertThat(r.tls().version()).startsWith("TLSv1.");
            assertThat(r.tls().cipher()).isNotBlank();
            assertThat(r.tls().certificateNotAfter()).isAfter(java.time.Instant.now());
            assertThat(r.phases()).containsKeys(Phase.TLS, Phase.AUTH);
            assertThat(r.transcript().stream().filter(l -> l.startsWith("C: EHLO")).count()).isEqualTo(2);
            assertNoPassword(r);
        }
    }

    @Test
    void auth535IsAuthFailed() throws Exception {
        Script s = Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO)
                .expect("AUTH PLAIN").send("535 5.7.8 Error: authentication failed: " + Sasl.base64("nope"));
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(r.reason()).isEqualTo(FailureReason.AUTH_FAILED);
            assertThat(r.failedPhase()).isEqualTo(Phase.AUTH);
            assertThat(r.replyCode()).isEqualTo(535);
            assertNoPassword(r);
        }
    }

    @Test
    void noAuthAdvertisedWithAccountIsAuthFailed() throws Exception {
        Script s = Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send("250-mx1", "250 8BITMIME");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, true);
            assertThat(r.reason()).isEqualTo(FailureReason.AUTH_FAILED);
            assertThat(r.failedPhase()).isEqualTo(Phase.AUTH);
        }
    }

    @Test
    void mailFromTemporaryFailureIsRejected() throws Exception {
        Script s = Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO)
                .expect("MAIL FROM:<postmaster@mx1.example.net>").send("451 4.3.0 try later");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, false);
            assertThat(server.violations()).isEmpty();
            assertThat(r.reason()).isEqualTo(FailureReason.REJECTED);
            assertThat(r.failedPhase()).isEqualTo(Phase.TRANSACTION);
            assertThat(r.replyCode()).isEqualTo(451);
        }
    }

    @Test
    void rcptPermanentFailureIsRejected() throws Exception {
        Script s = Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO)
                .expect("MAIL FROM").send("250 ok")
                .expect("RCPT TO:<postmaster@mx1.example.net>").send("550 5.1.1 unknown user");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, false);
            assertThat(server.violations()).isEmpty();
            assertThat(r.reason()).isEqualTo(FailureReason.REJECTED);
            assertThat(r.failedPhase()).isEqualTo(Phase.TRANSACTION);
        }
    }

    @Test
    void heloFallbackWhenEhloRefusedAndCloseAfterQuitIsFine() throws Exception {
        Script s = Script.of().send("220 old.example.net SMTP").expect("EHLO").send("502 5.5.2 command not recognized")
                .expect("HELO").send("250 old.example.net")
                .expect("MAIL FROM:<postmaster@old.example.net>").send("250 ok")
                .expect("RCPT TO").send("250 ok").expect("RSET").send("250 ok")
                .expect("QUIT").close();
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, false);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
        }
    }

    @Test
    void implicitTlsWithoutVerificationSucceedsAndSaysSo() throws Exception {
        Script s = envelopeAndQuit(Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO)
                .expect("AUTH PLAIN").send("235 ok"));
        try (ScriptedServer server = ScriptedServer.startImplicitTls(s, otherName.serverContext())) {
            ProbeResult r = probe(target(Protocol.SUBMISSION, server.port(), TlsMode.IMPLICIT, ACCOUNT,
                    settings(Duration.ofSeconds(5), false, null)));
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.tls().verified()).isFalse();
            assertThat(r.phases()).containsKeys(Phase.CONNECT, Phase.TLS, Phase.GREETING);
            assertNoPassword(r);
        }
    }

    @Test
    void implicitTlsWithTrustedCaFileIsVerified() throws Exception {
        Script s = envelopeAndQuit(Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO)
                .expect("AUTH PLAIN").send("235 ok"));
        try (ScriptedServer server = ScriptedServer.startImplicitTls(s, good.serverContext())) {
            ProbeResult r = probe(target(Protocol.SUBMISSION, server.port(), TlsMode.IMPLICIT, ACCOUNT,
                    settings(Duration.ofSeconds(5), true, good.pem())));
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.tls().verified()).isTrue();
        }
    }

    @Test
    void implicitTlsToAHostNameVerifiesThatName() throws Exception {
        Script s = Script.of().send("220 mx1.example.net ESMTP").expect("EHLO").send(EHLO)
                .expect("MAIL FROM").send("250 ok").expect("RCPT TO").send("250 ok").expect("RSET").send("250 ok")
                .expect("QUIT").send("221 bye");
        try (ScriptedServer server = ScriptedServer.startImplicitTls(s, good.serverContext())) {
            ProbeResult r = probe(target("localhost", Protocol.SMTP, server.port(), TlsMode.IMPLICIT, null,
                    settings(Duration.ofSeconds(5), true, good.pem())));
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.tls().verified()).isTrue();
        }
    }

    @Test
    void untrustedCertificateIsTlsError() throws Exception {
        try (ScriptedServer server = ScriptedServer.startImplicitTls(Script.of().send("220 x"), good.serverContext())) {
            ProbeResult r = probe(target(Protocol.SMTP, server.port(), TlsMode.IMPLICIT, null, settings(Duration.ofSeconds(5))));
            assertThat(r.reason()).as(r.toString()).isEqualTo(FailureReason.TLS_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.TLS);
            assertThat(r.error()).contains("certification path");
        }
    }

    @Test
    void hostnameMismatchIsTlsError() throws Exception {
        // trusted (caFile) but issued for other.example, while we connect to 127.0.0.1
        try (ScriptedServer server = ScriptedServer.startImplicitTls(Script.of().send("220 x"), otherName.serverContext())) {
            ProbeResult r = probe(target(Protocol.SMTP, server.port(), TlsMode.IMPLICIT, null,
                    settings(Duration.ofSeconds(5), true, otherName.pem())));
            assertThat(r.reason()).as(r.toString()).isEqualTo(FailureReason.TLS_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.TLS);
            assertThat(r.error()).contains("subject alternative names");
        }
    }

    @Test
    void serverThatNeverHandshakesTimesOutInTlsPhase() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.of().hang())) {
            ProbeResult r = probe(target(Protocol.SMTP, server.port(), TlsMode.IMPLICIT, null, settings(Duration.ofMillis(700))));
            assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(r.failedPhase()).isEqualTo(Phase.TLS);
        }
    }
}
