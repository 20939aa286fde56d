package dev.mailprobe.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailprobe.config.Protocol;
import io.vertx.core.Vertx;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every fault mode observed on the wire through the demo's proxies. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoClusterFaultTest {
    static final Duration SLOW = Duration.ofMillis(800);

    Vertx vertx;
    DemoCluster demo;
    String host;
    String password;

    @BeforeAll
    void start() {
        vertx = Vertx.vertx();
        demo = DemoCluster.start(vertx, DemoOptions.defaults().withSlowDelay(SLOW));
        host = demo.bindAddress();
        password = demo.config().accounts().get("probe").password().reveal();
    }

    @AfterEach
    void heal() {
        for (String n : demo.faults().nodes()) {
            demo.faults().set(n, FaultMode.NONE);
        }
    }

    @AfterAll
    void stop() {
        demo.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    int port(String node, Protocol p) {
        return demo.port(node, p);
    }

    RawClient connect(String node, Protocol p) throws IOException {
        return new RawClient(host, port(node, p), 3000);
    }

    // ---------------------------------------------------------------- none

    @Test
    void healthyNodesGreetOnEveryProtocol() throws Exception {
        for (String n : new String[] {"smtp-1", "smtp-2"}) {
            for (Protocol p : new Protocol[] {Protocol.SMTP, Protocol.SUBMISSION}) {
                try (RawClient c = connect(n, p)) {
                    assertThat(c.smtpReply()).as(n + " " + p).startsWith("220");
                }
            }
        }
        for (String n : new String[] {"imap-1", "imap-2"}) {
            try (RawClient c = connect(n, Protocol.IMAP)) {
                assertThat(c.line()).startsWith("* OK");
            }
            try (RawClient c = connect(n, Protocol.POP3)) {
                assertThat(c.line()).startsWith("+OK");
            }
        }
    }

    @Test
    void mailSubmittedThroughSmtp2IsFetchedThroughImap1AndPop3OfImap2() throws Exception {
        String subject = "shared-store " + UUID.randomUUID();
        submit("smtp-2", subject);

        assertThat(imapSubjects("imap-1")).contains(subject);
        Properties props = new Properties();
        Session session = Session.getInstance(props);
        Store pop = session.getStore("pop3");
        pop.connect(host, port("imap-2", Protocol.POP3), DemoCluster.PROBE_ADDRESS, password);
        try {
            Folder inbox = pop.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(Arrays.stream(inbox.getMessages()).map(DemoClusterFaultTest::subject)).contains(subject);
            inbox.close(false);
        } finally {
            pop.close();
        }
    }

    // ---------------------------------------------------------------- crash

    @Test
    void crashRefusesConnectionsCutsOpenOnesAndNoneReopensTheSamePorts() throws Exception {
        int smtpPort = port("smtp-1", Protocol.SMTP);
        int subPort = port("smtp-1", Protocol.SUBMISSION);
        RawClient open = connect("smtp-1", Protocol.SMTP);
        assertThat(open.smtpReply()).startsWith("220");

        demo.faults().set("smtp-1", FaultMode.CRASH);

        assertThat(demo.faults().modes()).containsEntry("smtp-1", FaultMode.CRASH);
        assertThatThrownBy(() -> new RawClient(host, smtpPort, 1000)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> new RawClient(host, subPort, 1000)).isInstanceOf(ConnectException.class);
        // the connection made before the crash is cut
        open.socket.setSoTimeout(2000);
        int b;
        try {
            b = open.read();
        } catch (IOException reset) {
            b = -1;
        }
        assertThat(b).isEqualTo(-1);
        open.close();
        // other nodes are unaffected
        try (RawClient c = connect("smtp-2", Protocol.SMTP)) {
            assertThat(c.smtpReply()).startsWith("220");
        }

        demo.faults().set("smtp-1", FaultMode.NONE);

        assertThat(port("smtp-1", Protocol.SMTP)).isEqualTo(smtpPort);
        try (RawClient c = new RawClient(host, smtpPort, 3000)) {
            assertThat(c.smtpReply()).startsWith("220");
        }
        try (RawClient c = new RawClient(host, subPort, 3000)) {
            assertThat(c.smtpReply()).startsWith("220");
        }
    }

    @Test
    void crashOnMailboxNodeRefusesImapAndPop3() {
        demo.faults().set("imap-2", FaultMode.CRASH);
        assertThatThrownBy(() -> connect("imap-2", Protocol.IMAP)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> connect("imap-2", Protocol.POP3)).isInstanceOf(ConnectException.class);
    }

    // ---------------------------------------------------------------- blackhole

    @Test
    void blackholeAcceptsButNeverSaysAnything() throws Exception {
        demo.faults().set("imap-1", FaultMode.BLACKHOLE);
        try (RawClient c = new RawClient(host, port("imap-1", Protocol.IMAP), 1500)) {
            assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
        }
        demo.faults().set("smtp-2", FaultMode.BLACKHOLE);
        try (RawClient c = new RawClient(host, port("smtp-2", Protocol.SUBMISSION), 1500)) {
            c.send("EHLO prober.test");
            assertThatThrownBy(c::read).isInstanceOf(SocketTimeoutException.class);
        }
    }

    // ---------------------------------------------------------------- slow

    @Test
    void slowDelaysEveryReply() throws Exception {
        demo.faults().set("smtp-1", FaultMode.SLOW);
        try (RawClient c = connect("smtp-1", Protocol.SMTP)) {
            long t0 = System.nanoTime();
            assertThat(c.smtpReply()).startsWith("220");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(SLOW);
            long t1 = System.nanoTime();
            c.send("NOOP");
            assertThat(c.smtpReply()).startsWith("250");
            assertThat(Duration.ofNanos(System.nanoTime() - t1)).isGreaterThanOrEqualTo(SLOW);
        }
        demo.faults().set("imap-1", FaultMode.SLOW, Duration.ofMillis(300));
        assertThat(demo.faults().state("imap-1").slowDelay()).isEqualTo(Duration.ofMillis(300));
        try (RawClient c = connect("imap-1", Protocol.POP3)) {
            long t0 = System.nanoTime();
            assertThat(c.line()).startsWith("+OK");
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    // ---------------------------------------------------------------- reject

    @Test
    void rejectAnswers451ToRcptTo() throws Exception {
        demo.faults().set("smtp-1", FaultMode.REJECT);
        try (RawClient c = connect("smtp-1", Protocol.SMTP)) {
            assertThat(c.smtpReply()).startsWith("220");
            c.send("EHLO prober.test");
            assertThat(c.smtpReply()).startsWith("250");
            c.send("MAIL FROM:<" + DemoCluster.PROBE_ADDRESS + ">");
            assertThat(c.smtpReply()).startsWith("250");
            c.send("RCPT TO:<" + DemoCluster.PROBE_ADDRESS + ">");
            assertThat(c.smtpReply()).startsWith("451 4.3.0");
            c.send("QUIT");
            assertThat(c.smtpReply()).startsWith("221");
        }
    }

    @Test
    void rejectRefusesImapLoginAndPop3Pass() throws Exception {
        demo.faults().set("imap-1", FaultMode.REJECT);
        try (RawClient c = connect("imap-1", Protocol.IMAP)) {
            assertThat(c.line()).startsWith("* OK");
            c.send("a1 LOGIN " + DemoCluster.PROBE_ADDRESS + " " + password);
            assertThat(c.lineStartingWith("a1 ")).startsWith("a1 NO [AUTHENTICATIONFAILED]");
            c.send("a2 LOGOUT");
            assertThat(c.lineStartingWith("a2 ")).startsWith("a2 OK");
        }
        try (RawClient c = connect("imap-1", Protocol.POP3)) {
            assertThat(c.line()).startsWith("+OK");
            c.send("USER " + DemoCluster.PROBE_ADDRESS);
            assertThat(c.line()).startsWith("+OK");
            c.send("PASS " + password);
            assertThat(c.line()).startsWith("-ERR");
            c.send("QUIT");
            assertThat(c.line()).startsWith("+OK");
        }
        // the other mailbox node still logs in with the same credentials
        assertThat(imapSubjects("imap-2")).isNotNull();
    }

    @Test
    void rejectRefusesLiteralLoginAndSaslWithoutForwardingCredentials() throws Exception {
        demo.faults().set("imap-2", FaultMode.REJECT);
        try (RawClient c = connect("imap-2", Protocol.IMAP)) {
            assertThat(c.line()).startsWith("* OK");
            // synchronizing literal: refused before the client sends it
            c.send("a1 LOGIN {" + DemoCluster.PROBE_ADDRESS.length() + "}");
            assertThat(c.line()).startsWith("a1 NO [AUTHENTICATIONFAILED]");
            // non-synchronizing literal: read and dropped, then refused
            c.send("a2 LOGIN {" + DemoCluster.PROBE_ADDRESS.length() + "+}");
            c.send(DemoCluster.PROBE_ADDRESS + " " + password);
            assertThat(c.line()).startsWith("a2 NO [AUTHENTICATIONFAILED]");
            // SASL without initial response: one continuation, then refused
            c.send("a3 AUTHENTICATE PLAIN");
            assertThat(c.line()).startsWith("+");
            c.send(java.util.Base64.getEncoder().encodeToString(("\0" + DemoCluster.PROBE_ADDRESS + "\0" + password).getBytes()));
            assertThat(c.line()).startsWith("a3 NO [AUTHENTICATIONFAILED]");
            // other commands still reach the backend
            c.send("a4 CAPABILITY");
            assertThat(c.lineStartingWith("a4 ")).startsWith("a4 OK");
        }
        try (RawClient c = connect("imap-2", Protocol.POP3)) {
            assertThat(c.line()).startsWith("+OK");
            c.send("AUTH PLAIN");
            assertThat(c.line()).startsWith("+");
            c.send("AHByb2JlAHNlY3JldA==");
            assertThat(c.line()).startsWith("-ERR");
            c.send("APOP probe 0123456789abcdef0123456789abcdef");
            assertThat(c.line()).startsWith("-ERR");
        }
    }

    @Test
    void loseMailKeepsRepliesInOrderForAPipeliningClient() throws Exception {
        demo.faults().set("smtp-2", FaultMode.LOSE_MAIL);
        String lost = "lost-pipelined " + UUID.randomUUID();
        try (RawClient c = connect("smtp-2", Protocol.SMTP)) {
            assertThat(c.smtpReply()).startsWith("220");
            c.send("EHLO prober.test\r\nMAIL FROM:<" + DemoCluster.PROBE_ADDRESS + ">\r\nRCPT TO:<"
                    + DemoCluster.PROBE_ADDRESS + ">\r\nDATA");
            assertThat(c.smtpReply()).startsWith("250");
            assertThat(c.smtpReply()).startsWith("250"); // MAIL
            assertThat(c.smtpReply()).startsWith("250"); // RCPT
            assertThat(c.smtpReply()).startsWith("354");
            c.send("Subject: " + lost + "\r\n\r\nbody\r\n.\r\nRSET\r\nNOOP");
            assertThat(c.smtpReply()).startsWith("250 2.0.0");
            assertThat(c.smtpReply()).startsWith("250"); // RSET
            assertThat(c.smtpReply()).startsWith("250"); // NOOP
        }
        assertThat(Arrays.stream(demo.backend().getReceivedMessages()).map(DemoClusterFaultTest::subject))
                .doesNotContain(lost);
    }

    @Test
    void rejectRefusesJakartaMailImapLogin() {
        demo.faults().set("imap-2", FaultMode.REJECT);
        Store store;
        try {
            store = Session.getInstance(new Properties()).getStore("imap");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> store.connect(host, port("imap-2", Protocol.IMAP), DemoCluster.PROBE_ADDRESS, password))
                .isInstanceOf(jakarta.mail.AuthenticationFailedException.class);
    }

    // ---------------------------------------------------------------- lose-mail

    @Test
    void loseMailSays250AfterDataButTheMailNeverArrives() throws Exception {
        demo.faults().set("smtp-1", FaultMode.LOSE_MAIL);
        String lost = "lost " + UUID.randomUUID();
        try (RawClient c = connect("smtp-1", Protocol.SMTP)) {
            assertThat(c.smtpReply()).startsWith("220");
            c.send("EHLO prober.test");
            assertThat(c.smtpReply()).startsWith("250");
            c.send("MAIL FROM:<" + DemoCluster.PROBE_ADDRESS + ">");
            assertThat(c.smtpReply()).startsWith("250");
            c.send("RCPT TO:<" + DemoCluster.PROBE_ADDRESS + ">");
            assertThat(c.smtpReply()).startsWith("250");
            c.send("DATA");
            assertThat(c.smtpReply()).startsWith("354");
            c.send("Subject: " + lost);
            c.send("");
            c.send("this mail goes nowhere");
            c.send(".");
            assertThat(c.smtpReply()).startsWith("250");
            // the session stays usable: a second transaction is lost too
            c.send("MAIL FROM:<" + DemoCluster.PROBE_ADDRESS + ">");
            assertThat(c.smtpReply()).startsWith("250");
            c.send("QUIT");
            assertThat(c.smtpReply()).startsWith("221");
        }
        // Jakarta Mail through the lossy node also sees success
        String lost2 = "lost-jakarta " + UUID.randomUUID();
        submit("smtp-1", lost2);
        // a control mail through the healthy node arrives
        String control = "control " + UUID.randomUUID();
        submit("smtp-2", control);
        assertThat(demo.backend().waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(imapSubjects("imap-1")).contains(control).doesNotContain(lost, lost2);
        assertThat(Arrays.stream(demo.backend().getReceivedMessages()).map(DemoClusterFaultTest::subject))
                .contains(control)
                .doesNotContain(lost, lost2);
    }

    @Test
    void loseMailIsRefusedOnMailboxNodes() {
        assertThatThrownBy(() -> demo.faults().set("imap-1", FaultMode.LOSE_MAIL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imap-1")
                .hasMessageContaining("lose-mail");
        assertThat(demo.faults().modes()).containsEntry("imap-1", FaultMode.NONE);
    }

    @Test
    void unknownNodeIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> demo.faults().set("smtp-9", FaultMode.CRASH))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("smtp-9")
                .hasMessageContaining("smtp-1, smtp-2, imap-1, imap-2");
    }

    @Test
    void modesAreOrderedAndCoverAllNodes() {
        assertThat(demo.faults().modes().keySet()).containsExactly("smtp-1", "smtp-2", "imap-1", "imap-2");
        assertThat(demo.faults().modes().values()).containsOnly(FaultMode.NONE);
    }

    @Test
    void modeChangeAppliesToTheNextConnectionAtOnce() throws Exception {
        demo.faults().set("smtp-2", FaultMode.BLACKHOLE);
        demo.faults().set("smtp-2", FaultMode.NONE);
        try (RawClient c = connect("smtp-2", Protocol.SMTP)) {
            assertThat(c.smtpReply()).startsWith("220");
        }
    }

    // ---------------------------------------------------------------- helpers

    void submit(String node, String subject) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", String.valueOf(port(node, Protocol.SUBMISSION)));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.connectiontimeout", "3000");
        props.put("mail.smtp.timeout", "5000");
        Session session = Session.getInstance(props);
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress(DemoCluster.PROBE_ADDRESS));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(DemoCluster.PROBE_ADDRESS));
        m.setSubject(subject);
        m.setText("hello from the demo test");
        Transport.send(m, DemoCluster.PROBE_ADDRESS, password);
    }

    java.util.List<String> imapSubjects(String node) throws Exception {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "3000");
        props.put("mail.imap.timeout", "5000");
        Store store = Session.getInstance(props).getStore("imap");
        store.connect(host, port(node, Protocol.IMAP), DemoCluster.PROBE_ADDRESS, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            java.util.List<String> subjects = Arrays.stream(inbox.getMessages()).map(DemoClusterFaultTest::subject).toList();
            inbox.close(false);
            return subjects;
        } finally {
            store.close();
        }
    }

    static String subject(Message m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
