package dev.mailprobe.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.TlsMode;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start time, generated config, and that close() gives every port and thread back. */
class DemoClusterLifecycleTest {

    @Test
    void startsFastDescribesTheTopologyAndReleasesPortsAndThreadsOnClose() throws Exception {
        Vertx vertx = Vertx.vertx();
        // the first start in this JVM pays for class loading; it too must be well under a second
        long c0 = System.nanoTime();
        DemoCluster.start(vertx, DemoOptions.defaults()).close();
        Duration cold = Duration.ofNanos(System.nanoTime() - c0);
        System.out.println("DemoCluster start+close in a fresh-ish JVM took " + cold.toMillis() + " ms");
        assertThat(cold).isLessThan(Duration.ofSeconds(2));
        Thread.sleep(200);
        int baseline = Thread.activeCount();

        long t0 = System.nanoTime();
        DemoCluster demo = DemoCluster.start(vertx, DemoOptions.defaults());
        Duration startup = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("DemoCluster warm start took " + startup.toMillis() + " ms");
        assertThat(startup).isLessThan(Duration.ofSeconds(1));

        List<Integer> ports = new ArrayList<>();
        ports.add(demo.backend().getSmtp().getPort());
        ports.add(demo.backend().getImap().getPort());
        MailprobeConfig cfg = demo.config();
        try {
            assertThat(cfg.nodes()).extracting(Node::name).containsExactly("smtp-1", "smtp-2", "imap-1", "imap-2");
            for (Node n : cfg.nodes()) {
                assertThat(n.host()).isEqualTo("127.0.0.1");
                assertThat(n.greetingName()).isEqualTo(n.name() + ".demo.mailprobe.test");
                n.protocols().forEach((p, ep) -> {
                    assertThat(ep.port()).isEqualTo(demo.port(n.name(), p));
                    assertThat(ep.tls()).isEqualTo(TlsMode.NONE);
                    ports.add(ep.port());
                });
            }
            assertThat(cfg.node("smtp-1").orElseThrow().protocols()).containsOnlyKeys(Protocol.SMTP, Protocol.SUBMISSION);
            assertThat(cfg.node("smtp-1").orElseThrow().protocols().get(Protocol.SUBMISSION).account().name()).isEqualTo("probe");
            assertThat(cfg.node("imap-2").orElseThrow().protocols()).containsOnlyKeys(Protocol.IMAP, Protocol.POP3);
            assertThat(ports).hasSize(10).doesNotHaveDuplicates();
            EntryPoint mx = cfg.entryPoint("mx").orElseThrow();
            assertThat(mx.via()).containsExactly("smtp-1", "smtp-2");
            assertThat(mx.select()).isEqualTo(EntryPoint.Selection.FAILOVER);
            assertThat(mx.protocols()).containsOnlyKeys(Protocol.SMTP, Protocol.SUBMISSION);
            EntryPoint mailbox = cfg.entryPoint("mailbox").orElseThrow();
            assertThat(mailbox.via()).containsExactly("imap-1", "imap-2");
            assertThat(mailbox.select()).isEqualTo(EntryPoint.Selection.ROUND_ROBIN);
            assertThat(mailbox.protocols()).containsOnlyKeys(Protocol.IMAP, Protocol.POP3);
            assertThat(cfg.probe().interval()).isEqualTo(Duration.ofSeconds(5));
            assertThat(cfg.probe().timeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(cfg.roundTrip().interval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(cfg.roundTrip().deliveredWithin()).isEqualTo(Duration.ofSeconds(5));
            assertThat(cfg.roundTrip().lostAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(cfg.roundTrip().tokenKey().reveal()).hasSizeGreaterThanOrEqualTo(32);
            assertThat(cfg.slos()).extracting(s -> s.name()).containsExactly("delivery", "access", "submission");
            assertThat(cfg.knownJobs()).singleElement().satisfies(j -> {
                assertThat(j.name()).isEqualTo("ps-sweep");
                assertThat(j.cron()).isEqualTo("*/15 * * * *");
            });
            assertThat(cfg.store().path()).exists();
            assertThat(cfg.accounts().get("probe").toString()).doesNotContain(cfg.accounts().get("probe").password().reveal());

            // a crashed node at close time must not leak either
            demo.faults().set("imap-1", FaultMode.CRASH);
            demo.faults().set("smtp-2", FaultMode.BLACKHOLE);
            new java.net.Socket("127.0.0.1", demo.port("smtp-2", Protocol.SMTP)).close();
        } finally {
            demo.close();
        }

        for (int port : ports) {
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
        // GreenMail's and the proxies' threads are gone (the Vert.x instance is the caller's)
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (Thread.activeCount() > baseline + 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(Thread.activeCount()).isLessThanOrEqualTo(baseline + 1);
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void basePortGivesFixedPortsInTopologyOrder() throws Exception {
        int base;
        try (ServerSocket probe = new ServerSocket(0)) {
            base = probe.getLocalPort() >= 60000 ? 40000 : probe.getLocalPort() + 10;
        }
        Vertx vertx = Vertx.vertx();
        try (DemoCluster demo = DemoCluster.start(vertx, DemoOptions.defaults().withBasePort(base))) {
            assertThat(demo.port("smtp-1", Protocol.SMTP)).isEqualTo(base);
            assertThat(demo.port("smtp-1", Protocol.SUBMISSION)).isEqualTo(base + 1);
            assertThat(demo.port("smtp-2", Protocol.SMTP)).isEqualTo(base + 2);
            assertThat(demo.port("imap-1", Protocol.IMAP)).isEqualTo(base + 4);
            assertThat(demo.port("imap-2", Protocol.POP3)).isEqualTo(base + 7);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }

    @Test
    void startAsyncWorksFromAnEventLoop() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            DemoCluster demo = DemoCluster.await(
                    vertx.getOrCreateContext().owner().executeBlocking(() -> null)
                            .compose(x -> DemoCluster.startAsync(vertx, DemoOptions.defaults())), "startAsync");
            try (demo) {
                assertThat(demo.faults().modes()).hasSize(4);
                try (RawClient c = new RawClient("127.0.0.1", demo.port("imap-2", Protocol.IMAP), 3000)) {
                    assertThat(c.line()).startsWith("* OK");
                }
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
