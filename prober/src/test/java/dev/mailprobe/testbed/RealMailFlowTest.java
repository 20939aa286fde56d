package dev.mailprobe.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Real mail through the real cluster: Postfix submission in, Dovecot IMAP/POP3 out, one shared store. */
@RealTestbed
class RealMailFlowTest {

    @Test
    void submittedViaSmtp1IsReadViaImapOnImap2WithSmtp1InReceived(Testbed tb) throws Exception {
        TestbedMail mail = new TestbedMail(tb);
        String subject = TestbedMail.token();

        assertThat(mail.submit("smtp-1", subject)).isEqualTo(250);
        List<String> received = mail.awaitImap("imap-2", "imap", subject, Duration.ofSeconds(10), true);

        assertThat(received).as("mail visible on imap-2 within 10 s").isNotEmpty();
        assertThat(received.get(0)).contains("by " + tb.node("smtp-1").greetingName())
                .contains("ESMTPSA"); // submitted over TLS, authenticated
    }

    @Test
    void submittedViaSmtp2IsReadViaPop3OnImap1WithSmtp2InReceived(Testbed tb) throws Exception {
        TestbedMail mail = new TestbedMail(tb);
        String subject = TestbedMail.token();

        assertThat(mail.submit("smtp-2", subject)).isEqualTo(250);
        List<String> received = mail.awaitPop3("imap-1", "pop3s", subject, Duration.ofSeconds(10));

        assertThat(received).as("mail visible on imap-1 POP3 within 10 s").isNotEmpty();
        assertThat(received.get(0)).contains("by " + tb.node("smtp-2").greetingName());
    }

    @Test
    void submittedViaSmtp1IsReadViaPop3StlsOnImap1(Testbed tb) throws Exception {
        TestbedMail mail = new TestbedMail(tb);
        String subject = TestbedMail.token();

        assertThat(mail.submit("smtp-1", subject)).isEqualTo(250);
        List<String> received = mail.awaitPop3("imap-1", "pop3", subject, Duration.ofSeconds(10));

        assertThat(received).isNotEmpty();
        assertThat(received.get(0)).contains("by " + tb.node("smtp-1").greetingName());
    }

    @Test
    void everyListenerGreetsWithItsNodeName(Testbed tb) throws Exception {
        for (Testbed.Node n : tb.nodes()) {
            for (String listener : List.of("smtp", "submission", "imap", "pop3")) {
                if (!n.ports().containsKey(listener)) {
                    continue;
                }
                try (TestbedMail.Wire w = new TestbedMail.Wire(n.host(), n.port(listener), Duration.ofSeconds(5))) {
                    assertThat(w.line()).as(n.name() + " " + listener).contains(n.greetingName());
                }
            }
        }
    }

    @Test
    void plaintextAuthIsRefusedWithoutTls(Testbed tb) throws Exception {
        Testbed.Account probe = tb.probe();
        // IMAP: LOGIN before STARTTLS is refused (LOGINDISABLED / PRIVACYREQUIRED)
        try (TestbedMail.Wire w = new TestbedMail.Wire(tb.host("imap-1"), tb.port("imap-1", "imap"), Duration.ofSeconds(5))) {
            w.line();
            w.send("a LOGIN " + probe.username() + " " + probe.password());
            String l = w.line();
            while (l.startsWith("* ")) { // Dovecot first says "* BAD [ALERT] Plaintext authentication not allowed"
                l = w.line();
            }
            assertThat(l).startsWith("a NO");
        }
        // POP3: USER/PASS before STLS is refused
        try (TestbedMail.Wire w = new TestbedMail.Wire(tb.host("imap-2"), tb.port("imap-2", "pop3"), Duration.ofSeconds(5))) {
            w.line();
            w.send("USER " + probe.username());
            assertThat(w.line()).startsWith("-ERR");
        }
        // Submission: no AUTH offered before STARTTLS, and mail without it is refused
        try (TestbedMail.Wire w = new TestbedMail.Wire(tb.host("smtp-1"), tb.port("smtp-1", "submission"), Duration.ofSeconds(5))) {
            w.line();
            w.send("EHLO client.testbed.invalid");
            String ehlo = w.smtpReply();
            assertThat(ehlo).contains("STARTTLS").doesNotContain("AUTH");
            w.send("MAIL FROM:<" + probe.username() + ">");
            assertThat(w.smtpReply()).startsWith("530");
        }
    }

    @Test
    void wrongPasswordIsRejectedOverTls(Testbed tb) throws MessagingException {
        TestbedMail mail = new TestbedMail(tb);
        // from a separate client address so Dovecot's auth penalty does not slow down the other tests
        Store store = mail.imapStore("imap-1", "imaps", "127.0.0.5");
        assertThatThrownBy(() -> store.connect(tb.host("imap-1"), tb.port("imap-1", "imaps"),
                tb.probe().username(), "not-the-password"))
                .isInstanceOf(AuthenticationFailedException.class);
    }
}
