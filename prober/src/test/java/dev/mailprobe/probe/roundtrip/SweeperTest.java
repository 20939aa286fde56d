package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.user.GreenMailUser;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Secret;
import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.store.Store;
import io.vertx.core.Vertx;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sweeper removes only our own old mail: token verified, Message-ID matching, older than lostAfter. */
class SweeperTest {
    @TempDir
    Path dir;

    Vertx vertx;
    DemoCluster demo;
    Store store;
    RoundTripEngine engine;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        demo = DemoCluster.start(vertx, DemoOptions.defaults());
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (store != null) {
            store.close();
        }
        demo.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void onlyOurExpiredMailIsRemovedForeignMailSurvives() throws Exception {
        MailprobeConfig config = RoundTripFixtures.withRoundTrip(demo.config(), Duration.ofSeconds(5), Duration.ofMinutes(1));
        ProbeToken ours = new ProbeToken(config.roundTrip().tokenKey());
        ProbeToken forger = new ProbeToken(Secret.of("not-our-key", "test"));
        Instant old = Instant.now().minus(Duration.ofHours(2));
        GreenMailUser user = demo.backend().getUserManager().getUser(DemoCluster.PROBE_ADDRESS);
        String from = config.roundTrip().from();

        user.deliver(mail("customer mail", null, "<hello@customer.example>"));
        user.deliver(mail("forged token", forger.sign(new ProbeToken.Claims("f0", "smtp-1", "imap-1", old)),
                ProbeToken.messageId("f0", from)));
        user.deliver(mail("copied token", ours.sign(new ProbeToken.Claims("c0", "smtp-1", "imap-1", old)),
                "<a.reply.to.it@customer.example>"));
        user.deliver(mail("broken token", "v1;zz;smtp-1", ProbeToken.messageId("zz", from)));
        user.deliver(mail("our old probe", ours.sign(new ProbeToken.Claims("a0", "smtp-1", "imap-1", old)),
                ProbeToken.messageId("a0", from)));
        user.deliver(mail("our young probe", ours.sign(new ProbeToken.Claims("b0", "smtp-2", "imap-2", Instant.now())),
                ProbeToken.messageId("b0", from)));
        assertThat(subjects()).hasSize(6);

        store = Store.open(dir.resolve("rt.db"));
        engine = new RoundTripEngine(config, store, r -> {
            throw new AssertionError("no result expected: " + r);
        });
        engine.start();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (subjects().contains("our old probe") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(500); // every watcher's first sweep has run by now
        assertThat(subjects()).containsExactlyInAnyOrder("customer mail", "forged token", "copied token", "broken token",
                "our young probe");
    }

    private List<String> subjects() {
        return Arrays.stream(demo.backend().getReceivedMessages()).map(m -> {
            try {
                return m.getSubject();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static MimeMessage mail(String subject, String token, String messageId) throws MessagingException {
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        m.setFrom("someone@customer.example");
        m.setRecipients(Message.RecipientType.TO, DemoCluster.PROBE_ADDRESS);
        m.setSubject(subject);
        if (token != null) {
            m.setHeader(ProbeToken.HEADER, token);
        }
        m.setText("hello");
        m.saveChanges();
        return m;
    }
}
