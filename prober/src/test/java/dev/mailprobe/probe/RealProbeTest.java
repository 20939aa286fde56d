package dev.mailprobe.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Account;
import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.Secret;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.testbed.RealTestbed;
import dev.mailprobe.testbed.Testbed;
import dev.mailprobe.testbed.Testbed.Fault;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The session probes against the real Postfix + Dovecot testbed: every protocol and TLS mode the
 * servers offer, with and without AUTH, succeeds; every testbed fault is classified with the right
 * reason and phase, within the timeout plus 10 %. Auth failures run last: Dovecot penalises the
 * next login from an address that just failed.
 */
@RealTestbed
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealProbeTest {
    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static Vertx vertx;
    static Probers probers;

    private final Testbed tb;

    RealProbeTest(Testbed tb) {
        this.tb = tb;
    }

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        probers = Probers.create(vertx);
    }

    @AfterAll
    static void stop() throws Exception {
        probers.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void heal() {
        tb.clearFaults();
    }

    private ProbeResult probe(String node, Protocol protocol, String listener, TlsMode tls, boolean auth, Duration timeout)
            throws Exception {
        Account account = auth ? new Account("probe", tb.probe().username(), Secret.of(tb.probe().password(), "testbed")) : null;
        ProbeSettings settings = new ProbeSettings(Duration.ofSeconds(30), timeout, 1, true, tb.caFile());
        Endpoint endpoint = new Endpoint(protocol, tb.port(node, listener), tls, account, settings);
        ProbeTarget target = new ProbeTarget(node, false, tb.host(node), endpoint, node, tb.probe().username());
        return probers.probe(target).toCompletionStage().toCompletableFuture().get(timeout.toSeconds() * 3 + 10, TimeUnit.SECONDS);
    }

    @Order(1)
    @ParameterizedTest(name = "{0} {1} on {2}, tls {3}, auth {4}")
    @CsvSource({
        "smtp-1, SMTP,       smtp,       NONE,     false",
        "smtp-2, SMTP,       smtp,       STARTTLS, false",
        "smtp-1, SUBMISSION, submission, STARTTLS, true",
        "imap-1, IMAP,       imap,       NONE,     false",
        "imap-1, IMAP,       imap,       STARTTLS, true",
        "imap-2, IMAP,       imap,       STARTTLS, false",
        "imap-2, IMAP,       imaps,      IMPLICIT, true",
        "imap-1, IMAP,       imaps,      IMPLICIT, false",
        "imap-1, POP3,       pop3,       NONE,     false",
        "imap-2, POP3,       pop3,       STARTTLS, true",
        "imap-1, POP3,       pop3,       STARTTLS, false",
        "imap-1, POP3,       pop3s,      IMPLICIT, true",
        "imap-2, POP3,       pop3s,      IMPLICIT, false",
    })
    void everyProtocolAndTlsModeTheServersOfferSucceeds(String node, Protocol protocol, String listener, TlsMode tls,
                                                       boolean auth) throws Exception {
        ProbeResult r = probe(node, protocol, listener, tls, auth, Duration.ofSeconds(5));
        assertThat(r.success()).as("%s", r).isTrue();
        assertThat(r.phases()).containsKeys(Phase.CONNECT, Phase.GREETING, Phase.QUIT, Phase.TOTAL);
        if (tls != TlsMode.NONE) {
            assertThat(r.tls()).isNotNull();
            assertThat(r.tls().verified()).isTrue();
            assertThat(r.tls().certificateNotAfter()).isNotNull();
        }
        if (auth) {
            assertThat(r.phases()).containsKeys(Phase.AUTH, Phase.TRANSACTION);
            assertThat(String.join("\n", r.transcript())).contains("<redacted>").doesNotContain(tb.probe().password());
        }
        assertThat(r.transcript().stream().filter(l -> l.startsWith("S: ")).findFirst().orElseThrow())
                .contains(node + ".testbed.mailprobe.test");
    }

    @Order(2)
    @Test
    void plaintextLoginIsRefusedByTheServersAndSaidSo() throws Exception {
        // real servers refuse credentials before TLS: that is a failure the probe must name, not skip
        ProbeResult imap = probe("imap-1", Protocol.IMAP, "imap", TlsMode.NONE, true, Duration.ofSeconds(5));
        assertThat(imap.success()).isFalse();
        assertThat(imap.reason()).as("%s", imap).isEqualTo(FailureReason.AUTH_FAILED);
        ProbeResult submission = probe("smtp-1", Protocol.SUBMISSION, "submission", TlsMode.NONE, true, Duration.ofSeconds(5));
        assertThat(submission.reason()).as("%s", submission).isEqualTo(FailureReason.AUTH_FAILED);
        assertThat(submission.failedPhase()).isEqualTo(Phase.AUTH);
        // and submission without AUTH may not send: the envelope check is rejected, not skipped
        ProbeResult anonymous = probe("smtp-2", Protocol.SUBMISSION, "submission", TlsMode.STARTTLS, false, Duration.ofSeconds(5));
        assertThat(anonymous.reason()).as("%s", anonymous).isEqualTo(FailureReason.REJECTED);
        assertThat(anonymous.failedPhase()).isEqualTo(Phase.TRANSACTION);
        assertThat(anonymous.replyCode()).isEqualTo(554);
    }

    @Order(3)
    @Test
    void aStoppedNodeIsRefusedAtConnect() throws Exception {
        tb.fault("smtp-1", Fault.STOP);
        tb.fault("imap-1", Fault.STOP);
        assertFailure(probe("smtp-1", Protocol.SMTP, "smtp", TlsMode.STARTTLS, false, TIMEOUT), FailureReason.REFUSED, Phase.CONNECT);
        assertFailure(probe("imap-1", Protocol.IMAP, "imaps", TlsMode.IMPLICIT, true, TIMEOUT), FailureReason.REFUSED, Phase.CONNECT);
        assertFailure(probe("imap-1", Protocol.POP3, "pop3", TlsMode.STARTTLS, true, TIMEOUT), FailureReason.REFUSED, Phase.CONNECT);
    }

    @Order(4)
    @Test
    void aBlackholedNodeTimesOutInTheGreetingWithinTheTimeoutPlusTenPercent() throws Exception {
        tb.fault("smtp-2", Fault.BLACKHOLE);
        tb.fault("imap-2", Fault.BLACKHOLE);
        assertTimeout(probe("smtp-2", Protocol.SUBMISSION, "submission", TlsMode.STARTTLS, true, TIMEOUT), Phase.GREETING);
        assertTimeout(probe("imap-2", Protocol.IMAP, "imap", TlsMode.STARTTLS, true, TIMEOUT), Phase.GREETING);
        assertTimeout(probe("imap-2", Protocol.POP3, "pop3s", TlsMode.IMPLICIT, true, TIMEOUT), Phase.TLS);
    }

    @Order(5)
    @Test
    void aSlowNodeTimesOutWhenItsDelayExceedsTheTimeout() throws Exception {
        tb.fault("smtp-1", Fault.SLOW);
        assertThat(tb.slowDelay()).isGreaterThan(TIMEOUT);
        // with a timeout above the whole slowed dialogue (7 replies, each late) the node answers,
        // and the greeting phase shows the delay. (Postfix was just restarted behind the slow
        // proxy: wait until it serves through it.)
        Duration dialogue = tb.slowDelay().multipliedBy(7).plusSeconds(5);
        ProbeResult patient = null;
        for (int attempt = 0; attempt < 3 && (patient == null || !patient.success()); attempt++) {
            patient = probe("smtp-1", Protocol.SMTP, "smtp", TlsMode.NONE, false, dialogue);
        }
        assertThat(patient.success()).as("%s", patient).isTrue();
        assertThat(patient.phases().get(Phase.GREETING)).isGreaterThanOrEqualTo(tb.slowDelay().minusMillis(100));
        assertTimeout(probe("smtp-1", Protocol.SMTP, "smtp", TlsMode.STARTTLS, false, TIMEOUT), Phase.GREETING);
    }

    @Order(6)
    @Test
    void aRejectingNodeIsRejectedInTheTransactionWith451() throws Exception {
        tb.fault("smtp-2", Fault.REJECT);
        ProbeResult r = probe("smtp-2", Protocol.SUBMISSION, "submission", TlsMode.STARTTLS, true, Duration.ofSeconds(5));
        assertFailure(r, FailureReason.REJECTED, Phase.TRANSACTION);
        assertThat(r.replyCode()).isEqualTo(451);
    }

    @Order(7)
    @Test
    void deferAndDiscardAcceptTheTransactionSoOnlyTheRoundTripCanSeeThem() throws Exception {
        tb.fault("smtp-1", Fault.DEFER);
        tb.fault("smtp-2", Fault.DISCARD);
        assertThat(probe("smtp-1", Protocol.SUBMISSION, "submission", TlsMode.STARTTLS, true, Duration.ofSeconds(5)).success()).isTrue();
        assertThat(probe("smtp-2", Protocol.SUBMISSION, "submission", TlsMode.STARTTLS, true, Duration.ofSeconds(5)).success()).isTrue();
    }

    @Order(8)
    @Test
    void expiredAndWrongHostCertificatesAreTlsErrors() throws Exception {
        tb.fault("imap-1", Fault.BAD_CERT);
        tb.fault("smtp-1", Fault.WRONG_CERT);
        ProbeResult expired = probe("imap-1", Protocol.IMAP, "imaps", TlsMode.IMPLICIT, true, Duration.ofSeconds(5));
        assertFailure(expired, FailureReason.TLS_ERROR, Phase.TLS);
        ProbeResult wrongHost = probe("smtp-1", Protocol.SMTP, "smtp", TlsMode.STARTTLS, false, Duration.ofSeconds(5));
        assertFailure(wrongHost, FailureReason.TLS_ERROR, Phase.TLS);
    }

    @Order(9)
    @Test
    void aBrokenPasswordIsAnAuthFailureInTheAuthPhase() throws Exception {
        tb.fault("imap-2", Fault.AUTH_BROKEN);
        tb.fault("smtp-2", Fault.AUTH_BROKEN);
        assertFailure(probe("imap-2", Protocol.IMAP, "imaps", TlsMode.IMPLICIT, true, Duration.ofSeconds(10)), FailureReason.AUTH_FAILED, Phase.AUTH);
        assertFailure(probe("imap-2", Protocol.POP3, "pop3s", TlsMode.IMPLICIT, true, Duration.ofSeconds(10)), FailureReason.AUTH_FAILED, Phase.AUTH);
        assertFailure(probe("smtp-2", Protocol.SUBMISSION, "submission", TlsMode.STARTTLS, true, Duration.ofSeconds(10)),
                FailureReason.AUTH_FAILED, Phase.AUTH);

        // `none` gives the password back: logins succeed again, and quickly once Dovecot's penalty
        // for the failed attempts has passed (later tests must not inherit it)
        tb.clearFaults();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        boolean fast = false;
        while (!fast && System.nanoTime() < deadline) {
            ProbeResult imap = probe("imap-2", Protocol.IMAP, "imaps", TlsMode.IMPLICIT, true, Duration.ofSeconds(20));
            ProbeResult submission = probe("smtp-2", Protocol.SUBMISSION, "submission", TlsMode.STARTTLS, true, Duration.ofSeconds(20));
            assertThat(imap.success()).as("%s", imap).isTrue();
            assertThat(submission.success()).as("%s", submission).isTrue();
            fast = imap.phases().get(Phase.AUTH).toMillis() < 500 && submission.phases().get(Phase.AUTH).toMillis() < 500;
        }
        assertThat(fast).as("logins fast again after the auth penalty").isTrue();
    }

    private static void assertFailure(ProbeResult r, FailureReason reason, Phase phase) {
        assertThat(r.success()).as("%s", r).isFalse();
        assertThat(r.reason()).as("%s", r).isEqualTo(reason);
        assertThat(r.failedPhase()).as("%s", r).isEqualTo(phase);
    }

    private static void assertTimeout(ProbeResult r, Phase phase) {
        assertFailure(r, FailureReason.TIMEOUT, phase);
        assertThat(r.phases().get(Phase.TOTAL)).isLessThanOrEqualTo(TIMEOUT.plus(TIMEOUT.dividedBy(10)));
        assertThat(r.phases().get(Phase.TOTAL)).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50));
    }
}
