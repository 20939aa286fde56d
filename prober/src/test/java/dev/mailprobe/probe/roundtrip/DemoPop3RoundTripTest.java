package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.store.Store;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetch nodes that offer only POP3: UIDL scanning finds and deletes the mail. */
class DemoPop3RoundTripTest {
    @TempDir
    Path dir;

    static Map<Protocol, Endpoint> withoutImap(Map<Protocol, Endpoint> protocols) {
        Map<Protocol, Endpoint> m = new LinkedHashMap<>(protocols);
        m.remove(Protocol.IMAP);
        return m;
    }

    static MailprobeConfig pop3Only(MailprobeConfig c) {
        List<Node> nodes = c.nodes().stream()
                .map(n -> new Node(n.name(), n.host(), n.greetingName(), withoutImap(n.protocols()))).toList();
        List<EntryPoint> eps = c.entryPoints().stream()
                .map(e -> new EntryPoint(e.name(), e.via(), e.host(), e.select(), withoutImap(e.protocols()))).toList();
        return new MailprobeConfig(c.cluster(), c.vantage(), c.http(), c.store(), c.probe(), c.accounts(), nodes, eps,
                c.roundTrip(), c.slos(), c.knownJobs());
    }

    @Test
    void pop3PathsAreDeliveredAndTheMailboxIsLeftEmpty() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (DemoCluster demo = DemoCluster.start(vertx, DemoOptions.defaults());
             Store store = Store.open(dir.resolve("rt.db"))) {
            MailprobeConfig config = pop3Only(RoundTripFixtures.withRoundTrip(demo.config(), Duration.ofSeconds(3), Duration.ofSeconds(6)));
            RoundTripFixtures.Results results = new RoundTripFixtures.Results();
            RoundTripEngine engine = new RoundTripEngine(config, store, results);
            engine.start();
            try {
                RoundTripPlan plan = engine.plan();
                assertThat(plan.fetchNodes()).extracting(RoundTripPlan.Side::protocol).containsOnly(Protocol.POP3);
                assertThat(engine.sendOne(new RoundTripPlan.Path(plan.sendNodes().get(0), plan.fetchNodes().get(1)))).isTrue();
                assertThat(engine.sendOne(plan.customerPaths().get(0))).isTrue();
                List<RoundTripResult> got = results.await(2, Duration.ofSeconds(10));
                assertThat(got).extracting(RoundTripResult::result).containsOnly(Outcome.DELIVERED);
                assertThat(got).extracting(RoundTripResult::servedByFetch).doesNotContain(RoundTripEngine.UNKNOWN);
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (demo.backend().getReceivedMessages().length > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                assertThat(demo.backend().getReceivedMessages()).isEmpty();
            } finally {
                engine.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().join();
        }
    }
}
