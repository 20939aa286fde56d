package dev.mailprobe.testbed;

import static dev.mailprobe.testbed.Testbed.Fault.AUTH_BROKEN;
import static dev.mailprobe.testbed.Testbed.Fault.BAD_CERT;
import static dev.mailprobe.testbed.Testbed.Fault.BLACKHOLE;
import static dev.mailprobe.testbed.Testbed.Fault.DEFER;
import static dev.mailprobe.testbed.Testbed.Fault.DISCARD;
import static dev.mailprobe.testbed.Testbed.Fault.NONE;
import static dev.mailprobe.testbed.Testbed.Fault.REJECT;
import static dev.mailprobe.testbed.Testbed.Fault.SLOW;
import static dev.mailprobe.testbed.Testbed.Fault.STOP;
import static dev.mailprobe.testbed.Testbed.Fault.WRONG_CERT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every testbed/fault mode, shown to act as named on the wire, and `none` restoring the node. */
@RealTestbed
class RealFaultModesTest {

    /** Auth failures come from here: Dovecot's per-IP auth penalty must not slow down other tests. */
    private static final String PENALTY_BOX = "127.0.0.5";

    private final Testbed tb;
    private final TestbedMail mail;

    RealFaultModesTest(Testbed tb) {
        this.tb = tb;
        this.mail = new TestbedMail(tb);
    }

    @AfterEach
    void restore() {
        tb.clearFaults();
    }

    @Test
    void stopRefusesConnectionsAndNoneRestores() throws Exception {
        tb.fault("smtp-2", STOP);
        tb.fault("imap-1", STOP);
        for (String node : List.of("smtp-2", "imap-1")) {
            for (int port : tb.node(node).ports().values()) {
                assertThatThrownBy(() -> new TestbedMail.Wire(tb.host(node), port, Duration.ofSeconds(2)).close())
                        .as(node + ":" + port).isInstanceOf(ConnectException.class).hasMessageContaining("refused");
            }
        }
        tb.fault("smtp-2", NONE);
        tb.fault("imap-1", NONE);
        assertHealthy("smtp-2");
        assertHealthy("imap-1");
    }

    @Test
    void blackholeAcceptsButNeverGreets() throws Exception {
        tb.fault("smtp-2", BLACKHOLE);
        tb.fault("imap-2", BLACKHOLE);
        List<Socket> sockets = new ArrayList<>();
        try {
            for (String node : List.of("smtp-2", "imap-2")) {
                for (int port : tb.node(node).ports().values()) {
                    Socket s = new Socket();
                    s.bind(new InetSocketAddress(TestbedMail.CLIENT_ADDRESS, 0));
                    s.connect(new InetSocketAddress(tb.host(node), port), 2000); // TCP accepted
                    sockets.add(s);
                }
            }
            long start = System.nanoTime();
            TestbedMail.sleep(2000);
            for (Socket s : sockets) {
                s.setSoTimeout(50);
                assertThatThrownBy(() -> s.getInputStream().read())
                        .as("no greeting within 2 s on " + s.getRemoteSocketAddress())
                        .isInstanceOf(SocketTimeoutException.class);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void slowDelaysEveryReply() throws Exception {
        Duration delay = tb.slowDelay();
        tb.fault("smtp-1", SLOW);
        tb.fault("imap-1", SLOW);

        CompletableFuture<long[]> smtp = CompletableFuture.supplyAsync(() -> timed(() -> {
            try (TestbedMail.Wire w = new TestbedMail.Wire(tb.host("smtp-1"), tb.port("smtp-1", "smtp"), Duration.ofSeconds(10))) {
                long t0 = System.nanoTime();
                assertThat(w.line()).startsWith("220 ").contains("smtp-1." + Testbed.DOMAIN);
                long greet = System.nanoTime() - t0;
                long t1 = System.nanoTime();
                w.send("NOOP");
                assertThat(w.smtpReply()).startsWith("250");
                return new long[] {greet, System.nanoTime() - t1};
            }
        }));
        CompletableFuture<long[]> imap = CompletableFuture.supplyAsync(() -> timed(() -> {
            try (TestbedMail.Wire w = new TestbedMail.Wire(tb.host("imap-1"), tb.port("imap-1", "pop3"), Duration.ofSeconds(10))) {
                long t0 = System.nanoTime();
                assertThat(w.line()).startsWith("+OK").contains("imap-1." + Testbed.DOMAIN);
                long greet = System.nanoTime() - t0;
                long t1 = System.nanoTime();
                w.send("CAPA");
                assertThat(w.line()).startsWith("+OK");
                return new long[] {greet, System.nanoTime() - t1};
            }
        }));
        for (long[] t : List.of(smtp.get(), imap.get())) {
            assertThat(Duration.ofNanos(t[0])).as("greeting delay").isGreaterThanOrEqualTo(delay.minusMillis(50));
            assertThat(Duration.ofNanos(t[1])).as("reply delay").isGreaterThanOrEqualTo(delay.minusMillis(50));
        }
        tb.fault("smtp-1", NONE);
        tb.fault("imap-1", NONE);
        assertHealthy("smtp-1");
        assertHealthy("imap-1");
    }

    @Test
    void deferAcceptsButDoesNotDeliverUntilRestored() throws Exception {
        tb.fault("smtp-1", DEFER);
        String subject = TestbedMail.token();
        assertThat(mail.relay("smtp-1", subject)).isEqualTo(250);
        assertThat(mail.awaitImap("imap-1", "imap", subject, Duration.ofSeconds(3), false))
                .as("deferred mail must not be visible").isEmpty();

        tb.fault("smtp-1", NONE); // flushes the queue
        assertThat(mail.awaitImap("imap-1", "imap", subject, Duration.ofSeconds(15), true))
                .as("held mail delivered after restore").isNotEmpty();
    }

    @Test
    void discardAcceptsAndLosesTheMail() throws Exception {
        tb.fault("smtp-2", DISCARD);
        String subject = TestbedMail.token();
        assertThat(mail.submit("smtp-2", subject)).isEqualTo(250);
        tb.fault("smtp-2", NONE);
        assertThat(mail.awaitImap("imap-2", "imaps", subject, Duration.ofSeconds(3), true))
                .as("discarded mail never shows up").isEmpty();
        String control = TestbedMail.token();
        assertThat(mail.submit("smtp-2", control)).isEqualTo(250);
        assertThat(mail.awaitImap("imap-2", "imaps", control, Duration.ofSeconds(10), true)).isNotEmpty();
    }

    @Test
    void rejectAnswers451OnRcpt() throws Exception {
        tb.fault("smtp-1", REJECT);
        try (TestbedMail.Wire w = new TestbedMail.Wire(tb.host("smtp-1"), tb.port("smtp-1", "smtp"), Duration.ofSeconds(10))) {
            assertThat(w.smtpReply()).startsWith("220 ");
            w.send("EHLO client.testbed.invalid");
            assertThat(w.smtpReply()).startsWith("250");
            w.send("MAIL FROM:<" + tb.alice().username() + ">");
            assertThat(w.smtpReply()).startsWith("250");
            w.send("RCPT TO:<" + tb.probe().username() + ">");
            assertThat(w.smtpReply()).startsWith("451 ");
            w.send("QUIT");
        }
        tb.fault("smtp-1", NONE);
        assertThat(mail.relay("smtp-1", TestbedMail.token())).isEqualTo(250);
    }

    @Test
    void authBrokenRejectsTheProbeLoginOnDovecotAndSubmission() throws Exception {
        tb.fault("imap-2", AUTH_BROKEN);
        tb.fault("smtp-2", AUTH_BROKEN);
        Testbed.Account probe = tb.probe();

        CompletableFuture<Throwable> imap = CompletableFuture.supplyAsync(() -> catchThrowable(() -> {
            Store s = mail.imapStore("imap-2", "imaps", PENALTY_BOX);
            s.connect(tb.host("imap-2"), tb.port("imap-2", "imaps"), probe.username(), probe.password());
            s.close();
        }));
        CompletableFuture<Throwable> pop3 = CompletableFuture.supplyAsync(() -> catchThrowable(() -> {
            Store s = mail.pop3Store("imap-2", "pop3s", PENALTY_BOX);
            s.connect(tb.host("imap-2"), tb.port("imap-2", "pop3s"), probe.username(), probe.password());
            s.close();
        }));
        CompletableFuture<Throwable> submission = CompletableFuture.supplyAsync(() -> catchThrowable(() -> {
            try (Transport t = mail.smtpSession("smtp-2", "submission", true, PENALTY_BOX).getTransport("smtp")) {
                t.connect(probe.username(), probe.password());
            }
        }));
        assertThat(imap.get()).isInstanceOf(AuthenticationFailedException.class);
        assertThat(pop3.get()).isInstanceOf(AuthenticationFailedException.class);
        assertThat(submission.get()).isInstanceOf(AuthenticationFailedException.class)
                .hasMessageContaining("535");

        // only the probe's password changed: alice still logs in
        Store alice = mail.imapStore("imap-2", "imap", TestbedMail.CLIENT_ADDRESS);
        alice.connect(tb.host("imap-2"), tb.port("imap-2", "imap"), tb.alice().username(), tb.alice().password());
        alice.close();

        tb.fault("imap-2", NONE);
        tb.fault("smtp-2", NONE);
        Store again = mail.imapStore("imap-2", "imaps", TestbedMail.CLIENT_ADDRESS);
        again.connect(tb.host("imap-2"), tb.port("imap-2", "imaps"), probe.username(), probe.password());
        again.close();
    }

    @Test
    void badCertServesTheExpiredCertificate() throws Exception {
        tb.fault("imap-1", BAD_CERT);
        tb.fault("smtp-2", BAD_CERT);

        Throwable imaps = catchThrowable(() -> tlsHandshake("imap-1", "imaps"));
        Throwable starttls = catchThrowable(() -> tlsHandshake("smtp-2", "smtp"));
        for (Throwable t : List.of(imaps, starttls)) {
            assertThat(t).isInstanceOf(SSLHandshakeException.class);
            assertThat(t).hasStackTraceContaining("PKIX");
            assertThat(causes(t)).anyMatch(c -> c instanceof CertificateExpiredException);
        }
        tb.fault("imap-1", NONE);
        tb.fault("smtp-2", NONE);
        tlsHandshake("imap-1", "imaps");
        tlsHandshake("smtp-2", "smtp");
    }

    @Test
    void wrongCertFailsHostnameVerification() throws Exception {
        tb.fault("imap-2", WRONG_CERT);
        Throwable t = catchThrowable(() -> tlsHandshake("imap-2", "pop3"));
        assertThat(t).isInstanceOf(SSLHandshakeException.class);
        assertThat(causes(t)).anyMatch(c -> c instanceof CertificateException
                && String.valueOf(c.getMessage()).contains("127.0.0.22"));
    }

    @Test
    void modesThatDoNotApplyExitWith2() {
        for (String mode : List.of("defer", "discard", "reject")) {
            Testbed.ScriptResult r = tb.tryFault("imap-1", mode);
            assertThat(r.exitCode()).as(mode).isEqualTo(2);
            assertThat(r.output()).contains("does not apply");
        }
        assertThat(tb.tryFault("imap-9", "stop").exitCode()).isEqualTo(2);
        assertThat(tb.tryFault("smtp-1", "explode").exitCode()).isEqualTo(2);
        assertThat(tb.status().exitCode()).as("nothing was changed").isZero();
    }

    // ------------------------------------------------------------------ helpers

    /** Every listener of the node greets with the node's name again. */
    private void assertHealthy(String node) throws IOException {
        Testbed.Node n = tb.node(node);
        for (String listener : n.ports().keySet()) {
            if (listener.equals("imaps") || listener.equals("pop3s")) {
                tlsHandshake(node, listener);
                continue;
            }
            try (TestbedMail.Wire w = new TestbedMail.Wire(n.host(), n.port(listener), Duration.ofSeconds(5))) {
                assertThat(w.line()).as(node + " " + listener).contains(n.greetingName());
            }
        }
    }

    /**
     * TLS handshake verifying against the testbed CA, with hostname (IP) verification: implicit for
     * imaps/pop3s, after STARTTLS/STLS for smtp, submission, imap and pop3.
     */
    private void tlsHandshake(String node, String listener) throws IOException {
        String host = tb.host(node);
        int port = tb.port(node, listener);
        try (TestbedMail.Wire w = new TestbedMail.Wire(host, port, Duration.ofSeconds(10))) {
            switch (listener) {
                case "smtp", "submission" -> {
                    w.smtpReply();
                    w.send("EHLO client.testbed.invalid");
                    w.smtpReply();
                    w.send("STARTTLS");
                    assertThat(w.smtpReply()).startsWith("220");
                }
                case "imap" -> {
                    w.line();
                    w.send("a STARTTLS");
                    assertThat(w.line()).startsWith("a OK");
                }
                case "pop3" -> {
                    w.line();
                    w.send("STLS");
                    assertThat(w.line()).startsWith("+OK");
                }
                default -> { /* implicit TLS */ }
            }
            SSLSocket tls = (SSLSocket) tb.sslContext().getSocketFactory().createSocket(w.socket, host, port, true);
            SSLParameters params = tls.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(params);
            tls.startHandshake();
            tls.close();
        }
    }

    private static List<Throwable> causes(Throwable t) {
        List<Throwable> out = new ArrayList<>();
        for (Throwable c = t; c != null && !out.contains(c); c = c.getCause()) {
            out.add(c);
        }
        return out;
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws Exception;
    }

    private static <T> T timed(IoCall<T> call) {
        try {
            return call.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
