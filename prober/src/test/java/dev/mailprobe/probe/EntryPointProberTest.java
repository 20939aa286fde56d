package dev.mailprobe.probe;

import static dev.mailprobe.probe.testing.Targets.await;
import static dev.mailprobe.probe.testing.Targets.settings;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.EntryPoint.Selection;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.probe.testing.ScriptedServer;
import dev.mailprobe.probe.testing.ScriptedServer.Script;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Entry points against scripted servers on 127.0.0.1, with a second "node" on 127.0.0.2 where
 * nothing listens (refused): all of 127.0.0.0/8 is loopback.
 */
class EntryPointProberTest {
    static Vertx vertx;
    static Probers probers;
    static final ProbeSettings SETTINGS = settings(Duration.ofSeconds(5));

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

    static Script smtpOk(String name) {
        return Script.of().send("220 " + name + " ESMTP").expect("EHLO").send("250-" + name, "250 8BITMIME")
                .expect("MAIL FROM").send("250 ok").expect("RCPT TO").send("250 ok").expect("RSET").send("250 ok")
                .expect("QUIT").send("221 bye");
    }

    static Node node(String name, String host, String greetingName, int port) {
        return new Node(name, host, greetingName, Map.of(Protocol.SMTP, new Endpoint(Protocol.SMTP, port, TlsMode.NONE, null, SETTINGS)));
    }

    static EntryPoint via(String name, Selection selection, int port, String... nodes) {
        return new EntryPoint(name, List.of(nodes), null, selection,
                Map.of(Protocol.SMTP, new Endpoint(Protocol.SMTP, port, TlsMode.NONE, null, SETTINGS)));
    }

    static EntryPoint host(String name, String host, int port) {
        return new EntryPoint(name, List.of(), host, Selection.FAILOVER,
                Map.of(Protocol.SMTP, new Endpoint(Protocol.SMTP, port, TlsMode.NONE, null, SETTINGS)));
    }

    static MailprobeConfig config(List<Node> nodes, List<EntryPoint> entryPoints) {
        return new MailprobeConfig(null, null, MailprobeConfig.Http.DEFAULTS, MailprobeConfig.Store.DEFAULTS, SETTINGS,
                Map.of(), nodes, entryPoints, null, List.of(), List.of());
    }

    @Test
    void failoverSkipsTheDeadNodeAndIsServedByTheOneThatAnswered() throws Exception {
        try (ScriptedServer up = ScriptedServer.start(smtpOk("mx2.example.net"))) {
            EntryPoint mx = via("mx", Selection.FAILOVER, up.port(), "smtp-1", "smtp-2");
            MailprobeConfig cfg = config(List.of(node("smtp-1", "127.0.0.2", null, up.port()), node("smtp-2", "127.0.0.1", null, up.port())), List.of(mx));
            ProbeResult r = await(new EntryPointProber(cfg, probers).probe(mx, Protocol.SMTP));
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.target()).isEqualTo("mx");
            assertThat(r.entryPoint()).isTrue();
            assertThat(r.servedBy()).isEqualTo("smtp-2");
            assertThat(r.transcript().get(0)).startsWith("* failover: smtp-1 failed: refused in connect");
            assertThat(r.phases().get(Phase.TOTAL)).isGreaterThanOrEqualTo(r.phases().get(Phase.GREETING));
        }
    }

    @Test
    void aViaNodeIsReachedOnItsOwnPortForTheProtocol() throws Exception {
        try (ScriptedServer up = ScriptedServer.start(smtpOk("mx1.example.net"))) {
            // the entry point names another port; the node says where it really listens
            EntryPoint mx = via("mx", Selection.FAILOVER, 25, "smtp-1");
            MailprobeConfig cfg = config(List.of(node("smtp-1", "127.0.0.1", null, up.port())), List.of(mx));
            ProbeResult r = await(new EntryPointProber(cfg, probers).probe(mx, Protocol.SMTP));
            assertThat(r.success()).as("%s", r).isTrue();
            assertThat(r.servedBy()).isEqualTo("smtp-1");
        }
    }

    @Test
    void aViaNodeThatDeclaresAnotherTlsModeIsReachedOnTheEntryPointsPort() {
        Endpoint imaps = new Endpoint(Protocol.IMAP, 993, TlsMode.IMPLICIT, null, SETTINGS);
        Endpoint starttls = new Endpoint(Protocol.IMAP, 143, TlsMode.STARTTLS, null, SETTINGS);
        EntryPoint mailbox = new EntryPoint("mailbox", List.of("imap-1"), null, Selection.ROUND_ROBIN, Map.of(Protocol.IMAP, imaps));
        Node sameMode = new Node("imap-1", "10.0.0.21", null, Map.of(Protocol.IMAP, new Endpoint(Protocol.IMAP, 1993, TlsMode.IMPLICIT, null, SETTINGS)));
        Node otherMode = new Node("imap-1", "10.0.0.21", null, Map.of(Protocol.IMAP, starttls));
        assertThat(ProbeTarget.via(mailbox, sameMode, Protocol.IMAP).endpoint().port()).isEqualTo(1993);
        ProbeTarget t = ProbeTarget.via(mailbox, otherMode, Protocol.IMAP);
        assertThat(t.endpoint().port()).isEqualTo(993);
        assertThat(t.endpoint().tls()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(t.host()).isEqualTo("10.0.0.21");
    }

    @Test
    void failoverFailsOnlyWhenAllFailKeepingTheLastEvidence() throws Exception {
        try (ScriptedServer rejecting = ScriptedServer.start(Script.of().send("554 no service").close())) {
            EntryPoint mx = via("mx", Selection.FAILOVER, rejecting.port(), "smtp-1", "smtp-2");
            MailprobeConfig cfg = config(List.of(node("smtp-1", "127.0.0.2", null, rejecting.port()), node("smtp-2", "127.0.0.1", null, rejecting.port())), List.of(mx));
            ProbeResult r = await(new EntryPointProber(cfg, probers).probe(mx, Protocol.SMTP));
            assertThat(r.success()).isFalse();
            assertThat(r.reason()).isEqualTo(FailureReason.REJECTED);
            assertThat(r.servedBy()).isEqualTo("smtp-2");
            assertThat(r.replyCode()).isEqualTo(554);
            assertThat(rejecting.connections()).isEqualTo(1);
        }
    }

    @Test
    void roundRobinTakesTheNextNodeEachTimeWithoutRetry() throws Exception {
        try (ScriptedServer up = ScriptedServer.start(smtpOk("mx1.example.net"))) {
            EntryPoint mx = via("mx", Selection.ROUND_ROBIN, up.port(), "smtp-1", "smtp-2");
            MailprobeConfig cfg = config(List.of(node("smtp-1", "127.0.0.1", null, up.port()), node("smtp-2", "127.0.0.2", null, up.port())), List.of(mx));
            EntryPointProber prober = new EntryPointProber(cfg, probers);
            List<ProbeResult> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(await(prober.probe(mx, Protocol.SMTP)));
            }
            assertThat(results).extracting(ProbeResult::servedBy).containsExactly("smtp-1", "smtp-2", "smtp-1", "smtp-2");
            assertThat(results).extracting(ProbeResult::resultLabel).containsExactly("success", "refused", "success", "refused");
            assertThat(up.connections()).isEqualTo(2);
        }
    }

    @Test
    void hostEntryPointIsAttributedByGreetingName() throws Exception {
        try (ScriptedServer up = ScriptedServer.start(smtpOk("mx2.example.net"))) {
            EntryPoint mx = host("mx", "127.0.0.1", up.port());
            MailprobeConfig cfg = config(List.of(node("smtp-1", "10.0.0.11", "mx1.example.net", 25),
                    node("smtp-2", "10.0.0.12", "MX2.example.net", 25)), List.of(mx));
            ProbeResult r = await(new EntryPointProber(cfg, probers).probe(mx, Protocol.SMTP));
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.target()).isEqualTo("mx");
            assertThat(r.entryPoint()).isTrue();
            assertThat(r.servedBy()).isEqualTo("smtp-2");
            assertThat(r.transcript()).last().asString().contains("greeting names");
        }
    }

    @Test
    void hostEntryPointFallsBackToTheConnectedAddressThenUnknown() throws Exception {
        try (ScriptedServer up = ScriptedServer.start(smtpOk("vip.example.net"))) {
            EntryPoint mx = host("mx", "localhost", up.port());
            MailprobeConfig byAddress = config(List.of(node("smtp-1", "10.0.0.11", "mx1.example.net", 25),
                    node("smtp-2", "127.0.0.1", null, 25)), List.of(mx));
            ProbeResult r = await(new EntryPointProber(byAddress, probers).probe(mx, Protocol.SMTP));
            assertThat(r.success()).as(r.toString()).isTrue();
            assertThat(r.servedBy()).isEqualTo("smtp-2");

            MailprobeConfig none = config(List.of(node("smtp-1", "10.0.0.11", "mx1.example.net", 25)), List.of(mx));
            ProbeResult u = await(new EntryPointProber(none, probers).probe(mx, Protocol.SMTP));
            assertThat(u.success()).isTrue();
            assertThat(u.servedBy()).isEqualTo(EntryPointProber.UNKNOWN);
        }
    }
}
