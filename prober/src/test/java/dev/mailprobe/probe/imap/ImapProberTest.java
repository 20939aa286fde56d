package dev.mailprobe.probe.imap;

import static dev.mailprobe.probe.testing.Targets.ACCOUNT;
import static dev.mailprobe.probe.testing.Targets.PASSWORD;
import static dev.mailprobe.probe.testing.Targets.await;
import static dev.mailprobe.probe.testing.Targets.settings;
import static dev.mailprobe.probe.testing.Targets.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Account;
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

class ImapProberTest {
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

    static final String GREETING = "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE AUTH=PLAIN] imap1.example.net Dovecot ready.";

    static Script selectAndLogout(Script s, int selectTag) {
        int logoutTag = selectTag + 1;
        return s.expect("a" + selectTag + " SELECT INBOX")
                .send("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)", "* 3 EXISTS", "* 0 RECENT",
                        "* OK [UIDVALIDITY 1700000000] UIDs valid", "a" + selectTag + " OK [READ-WRITE] Select completed.")
                .expect("a" + logoutTag + " LOGOUT").send("* BYE Logging out", "a" + logoutTag + " OK Logout completed.");
    }

    ProbeResult probe(ScriptedServer server, TlsMode tls, Account account) {
        return await(probers.probe(target(Protocol.IMAP, server.port(), tls, account, settings(Duration.ofSeconds(5), true, good.pem()))));
    }

    static void assertNoPassword(ProbeResult r) {
        assertThat(r.toString()).doesNotContain(PASSWORD).doesNotContain(Sasl.base64(PASSWORD))
                .doesNotContain(Sasl.plain(ACCOUNT.username(), PASSWORD));
    }

    @Test
    void loginSelectLogoutSucceeds() throws Exception {
        Script s = Script.of().expectSilence(300).send(GREETING)
                .expect("a1 CAPABILITY").send("* CAPABILITY IMAP4rev1 SASL-IR AUTH=PLAIN", "a1 OK Pre-login capabilities listed.")
                .expect("a2 LOGIN \"probe@example.net\" \"" + PASSWORD + "\"").send("a2 OK [CAPABILITY IMAP4rev1 IDLE] Logged in");
        try (ScriptedServer server = ScriptedServer.start(selectAndLogout(s, 3))) {
            ProbeResult r = probe(server, TlsMode.NONE, ACCOUNT);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.protocol()).isEqualTo(Protocol.IMAP);
            assertThat(r.phases()).containsKeys(Phase.CONNECT, Phase.GREETING, Phase.AUTH, Phase.TRANSACTION, Phase.QUIT, Phase.TOTAL);
            assertThat(r.replyText()).contains("Logout completed");
            assertThat(r.transcript()).contains("C: a2 LOGIN \"probe@example.net\" <redacted>", "S: * 3 EXISTS");
            assertNoPassword(r);
        }
    }

    @Test
    void byeGreetingIsRejected() throws Exception {
        try (ScriptedServer server = ScriptedServer.start(Script.of().send("* BYE Too many connections").close())) {
            ProbeResult r = probe(server, TlsMode.NONE, ACCOUNT);
            assertThat(r.reason()).isEqualTo(FailureReason.REJECTED);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
            assertThat(r.replyText()).contains("Too many connections");
            assertThat(server.received()).isEmpty();
        }
    }

    @Test
    void loginNoIsAuthFailed() throws Exception {
        Script s = Script.of().send(GREETING)
                .expect("a1 CAPABILITY").send("* CAPABILITY IMAP4rev1 AUTH=PLAIN", "a1 OK done")
                .expect("a2 LOGIN").send("a2 NO [AUTHENTICATIONFAILED] Authentication failed.");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, ACCOUNT);
            assertThat(r.reason()).isEqualTo(FailureReason.AUTH_FAILED);
            assertThat(r.failedPhase()).isEqualTo(Phase.AUTH);
            assertThat(r.replyText()).contains("AUTHENTICATIONFAILED");
            assertNoPassword(r);
        }
    }

    @Test
    void loginDisabledUsesAuthenticatePlainWithContinuation() throws Exception {
        Script s = Script.of().send("* OK imap ready")
                .expect("a1 CAPABILITY").send("* CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN", "a1 OK done")
                .expect("a2 AUTHENTICATE PLAIN").send("+ ")
                .expect(Sasl.plain(ACCOUNT.username(), PASSWORD)).send("a2 OK Logged in");
        try (ScriptedServer server = ScriptedServer.start(selectAndLogout(s, 3))) {
            ProbeResult r = probe(server, TlsMode.NONE, ACCOUNT);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.transcript()).contains("C: a2 AUTHENTICATE PLAIN", "C: <redacted>");
            assertNoPassword(r);
        }
    }

    @Test
    void literalsSplitAcrossPacketsAreRead() throws Exception {
        Script s = Script.of().sendSplit(5, 3, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready")
                .expect("a1 CAPABILITY")
                .sendSplit(4, 2, "* ID (\"name\" {7}", "Dovecot \"vendor\" {4}", "a\r\nb)", "* CAPABILITY IMAP4rev1 AUTH=PLAIN", "a1 OK done")
                .expect("a2 LOGIN").send("a2 OK Logged in");
        try (ScriptedServer server = ScriptedServer.start(selectAndLogout(s, 3))) {
            ProbeResult r = probe(server, TlsMode.NONE, ACCOUNT);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.transcript()).contains("* (7-byte literal)", "* (4-byte literal)");
        }
    }

    @Test
    void starttlsNotAdvertisedIsTlsError() throws Exception {
        Script s = Script.of().send("* OK ready").expect("a1 CAPABILITY").send("* CAPABILITY IMAP4rev1 AUTH=PLAIN", "a1 OK done");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.STARTTLS, ACCOUNT);
            assertThat(r.reason()).isEqualTo(FailureReason.TLS_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.TLS);
            assertThat(server.received()).containsExactly("a1 CAPABILITY");
        }
    }

    @Test
    void starttlsUpgradesVerifiesAndAsksCapabilitiesAgain() throws Exception {
        Script s = Script.of().send("* OK ready").expect("a1 CAPABILITY").send("* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED", "a1 OK done")
                .expect("a2 STARTTLS").send("a2 OK Begin TLS negotiation now.").startTls()
                .expect("a3 CAPABILITY").send("* CAPABILITY IMAP4rev1 AUTH=PLAIN", "a3 OK done")
                .expect("a4 LOGIN").send("a4 OK Logged in");
        try (ScriptedServer server = ScriptedServer.start(selectAndLogout(s, 5), good.serverContext())) {
            ProbeResult r = probe(server, TlsMode.STARTTLS, ACCOUNT);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.tls().verified()).isTrue();
            assertNoPassword(r);
        }
    }

    @Test
    void implicitTlsWithoutAccountJustGreetsAndLogsOut() throws Exception {
        Script s = Script.of().send("* OK ready").expect("a1 CAPABILITY").send("* CAPABILITY IMAP4rev1", "a1 OK done")
                .expect("a2 LOGOUT").send("* BYE bye").close();
        try (ScriptedServer server = ScriptedServer.startImplicitTls(s, good.serverContext())) {
            ProbeResult r = probe(server, TlsMode.IMPLICIT, null);
            assertThat(server.violations()).isEmpty();
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.tls()).isNotNull();
            assertThat(r.phases()).containsKeys(Phase.TLS, Phase.GREETING, Phase.QUIT).doesNotContainKey(Phase.AUTH);
        }
    }

    @Test
    void selectNoIsRejected() throws Exception {
        Script s = Script.of().send(GREETING).expect("a1 CAPABILITY").send("* CAPABILITY IMAP4rev1", "a1 OK done")
                .expect("a2 LOGIN").send("a2 OK Logged in")
                .expect("a3 SELECT").send("a3 NO [SERVERBUG] Internal error");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, ACCOUNT);
            assertThat(r.reason()).isEqualTo(FailureReason.REJECTED);
            assertThat(r.failedPhase()).isEqualTo(Phase.TRANSACTION);
        }
    }

    @Test
    void garbageIsProtocolError() throws Exception {
        Script s = Script.of().send(GREETING).expect("a1 CAPABILITY").send("a1 WHAT is this");
        try (ScriptedServer server = ScriptedServer.start(s)) {
            ProbeResult r = probe(server, TlsMode.NONE, ACCOUNT);
            assertThat(r.reason()).isEqualTo(FailureReason.PROTOCOL_ERROR);
            assertThat(r.failedPhase()).isEqualTo(Phase.GREETING);
        }
    }

    @Test
    void silentLoginTimesOutInAuthPhase() throws Exception {
        Script s = Script.of().send(GREETING).expect("a1 CAPABILITY").send("* CAPABILITY IMAP4rev1", "a1 OK done")
                .expect("a2 LOGIN").hang();
        try (ScriptedServer server = ScriptedServer.start(s)) {
            Duration timeout = Duration.ofMillis(900);
            ProbeResult r = await(probers.probe(target(Protocol.IMAP, server.port(), TlsMode.NONE, ACCOUNT, settings(timeout))));
            assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
            assertThat(r.failedPhase()).isEqualTo(Phase.AUTH);
            assertThat(r.phases().get(Phase.TOTAL)).isLessThan(timeout.multipliedBy(110).dividedBy(100));
            assertNoPassword(r);
        }
    }
}
