package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import dev.mailprobe.demo.FaultMode;
import dev.mailprobe.store.Store;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through the embedded demo cluster (GreenMail behind fault proxies). */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoRoundTripTest {
    @TempDir
    static Path dir;

    Vertx vertx;
    DemoCluster demo;
    Store store;
    RoundTripEngine engine;
    RoundTripFixtures.Results results;

    @BeforeAll
    void start() throws Exception {
        vertx = Vertx.vertx();
        demo = DemoCluster.start(vertx, DemoOptions.defaults());
        store = Store.open(dir.resolve("rt.db"));
        MailprobeConfig config = RoundTripFixtures.withRoundTrip(demo.config(), Duration.ofSeconds(2), Duration.ofSeconds(4));
        results = new RoundTripFixtures.Results();
        engine = new RoundTripEngine(config, store, results);
        engine.start();
    }

    @AfterEach
    void heal() {
        demo.faults().nodes().forEach(n -> demo.faults().set(n, FaultMode.NONE));
    }

    @AfterAll
    void stop() {
        engine.close();
        store.close();
        demo.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void everyNodePathAndTheCustomerPathIsDelivered() throws Exception {
        List<RoundTripPlan.Slot> slots = engine.slots();
        assertThat(slots).hasSize(5);
        for (RoundTripPlan.Slot s : slots) {
            assertThat(engine.run(s).get()).as(s.key()).isTrue();
        }
        List<RoundTripResult> got = results.await(5, Duration.ofSeconds(15));
        Map<String, RoundTripResult> byPath = got.stream()
                .collect(Collectors.toMap(r -> r.sendNode() + " -> " + r.fetchNode(), r -> r));
        assertThat(byPath).containsOnlyKeys("smtp-1 -> imap-1", "smtp-1 -> imap-2", "smtp-2 -> imap-1",
                "smtp-2 -> imap-2", "mx -> mailbox");
        for (RoundTripResult r : got) {
            assertThat(r.result()).as(r.toString()).isEqualTo(Outcome.DELIVERED);
            assertThat(r.latency()).isNotNull().isLessThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(r.sentAt()).isNotNull();
        }
        assertThat(byPath.get("smtp-1 -> imap-2").servedBySend()).isEqualTo("smtp-1");
        assertThat(byPath.get("smtp-1 -> imap-2").servedByFetch()).isEqualTo("imap-2");
        RoundTripResult customer = byPath.get("mx -> mailbox");
        assertThat(customer.servedBySend()).isEqualTo("smtp-1"); // failover: the first via node
        assertThat(customer.servedByFetch()).isIn("imap-1", "imap-2");
        assertThat(engine.inFlight()).isZero();
        awaitMailboxEmpty();
    }

    @Test
    void loseMailOnSmtp1TurnsItsRoundTripsIntoLost() throws Exception {
        demo.faults().set("smtp-1", FaultMode.LOSE_MAIL);
        RoundTripPlan plan = engine.plan();
        RoundTripPlan.Side smtp1 = plan.sendNodes().get(0);
        RoundTripPlan.Side smtp2 = plan.sendNodes().get(1);
        assertThat(smtp1.label()).isEqualTo("smtp-1");
        assertThat(engine.sendOne(new RoundTripPlan.Path(smtp1, plan.fetchNodes().get(0)))).isTrue();
        assertThat(engine.sendOne(new RoundTripPlan.Path(smtp1, plan.fetchNodes().get(1)))).isTrue();
        assertThat(engine.sendOne(new RoundTripPlan.Path(smtp2, plan.fetchNodes().get(0)))).isTrue();
        List<RoundTripResult> got = results.await(3, Duration.ofSeconds(15));
        Map<String, Outcome> byPath = got.stream()
                .collect(Collectors.toMap(r -> r.sendNode() + " -> " + r.fetchNode(), RoundTripResult::result));
        assertThat(byPath).containsEntry("smtp-1 -> imap-1", Outcome.LOST)
                .containsEntry("smtp-1 -> imap-2", Outcome.LOST)
                .containsEntry("smtp-2 -> imap-1", Outcome.DELIVERED);
        RoundTripResult lost = got.stream().filter(r -> r.result() == Outcome.LOST).findFirst().orElseThrow();
        assertThat(lost.latency()).isNull();
        assertThat(lost.evidence()).contains("not seen");
    }

    @Test
    void rejectIsSendFailedWithTheReplyKept() throws Exception {
        demo.faults().set("smtp-2", FaultMode.REJECT);
        RoundTripPlan plan = engine.plan();
        assertThat(engine.sendOne(new RoundTripPlan.Path(plan.sendNodes().get(1), plan.fetchNodes().get(0)))).isFalse();
        RoundTripResult r = results.await(1, Duration.ofSeconds(5)).get(0);
        assertThat(r.result()).isEqualTo(Outcome.SEND_FAILED);
        assertThat(r.evidence()).contains("451").contains("4.3.0");
        assertThat(r.servedBySend()).isEqualTo("smtp-2");
        assertThat(r.latency()).isNull();
    }

    @Test
    void customerPathFailsOverWhenTheFirstMxIsDown() throws Exception {
        demo.faults().set("smtp-1", FaultMode.CRASH);
        RoundTripPlan.Path customer = engine.plan().customerPaths().get(0);
        assertThat(engine.sendOne(customer)).isTrue();
        RoundTripResult r = results.await(1, Duration.ofSeconds(10)).get(0);
        assertThat(r.result()).isEqualTo(Outcome.DELIVERED);
        assertThat(r.servedBySend()).isEqualTo("smtp-2");
    }

    @Test
    void crashedImapNodeIsFetchFailedForItsPathsOnly() throws Exception {
        demo.faults().set("imap-2", FaultMode.CRASH);
        RoundTripPlan plan = engine.plan();
        assertThat(engine.sendOne(new RoundTripPlan.Path(plan.sendNodes().get(0), plan.fetchNodes().get(1)))).isTrue();
        assertThat(engine.sendOne(new RoundTripPlan.Path(plan.sendNodes().get(0), plan.fetchNodes().get(0)))).isTrue();
        List<RoundTripResult> got = results.await(2, Duration.ofSeconds(15));
        Map<String, RoundTripResult> byFetch = got.stream().collect(Collectors.toMap(RoundTripResult::fetchNode, r -> r));
        assertThat(byFetch.get("imap-2").result()).isEqualTo(Outcome.FETCH_FAILED);
        assertThat(byFetch.get("imap-2").evidence()).contains("fetch node unusable");
        assertThat(byFetch.get("imap-1").result()).isEqualTo(Outcome.DELIVERED);
    }

    private void awaitMailboxEmpty() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline && demo.backend().getReceivedMessages().length > 0) {
            Thread.sleep(50);
        }
        assertThat(demo.backend().getReceivedMessages()).as("probe mail deleted once found").isEmpty();
    }
}
