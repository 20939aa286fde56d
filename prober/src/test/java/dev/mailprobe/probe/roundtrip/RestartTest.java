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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mail in flight survives a restart (kill -9 or graceful) and gets exactly one final result. */
class RestartTest {
    @TempDir
    Path dir;

    Vertx vertx;
    DemoCluster demo;
    MailprobeConfig config;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        demo = DemoCluster.start(vertx, DemoOptions.defaults());
        config = RoundTripFixtures.withRoundTrip(demo.config(), Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        demo.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void afterAKillEveryMailInFlightGetsExactlyOneResult() throws Exception {
        Path db = dir.resolve("rt.db");
        Store storeA = Store.open(db);
        RoundTripFixtures.Results resultsA = new RoundTripFixtures.Results();
        RoundTripEngine a = new RoundTripEngine(config, storeA, resultsA);
        a.start();
        // the fetch nodes are down: the mail is accepted and stays in flight
        demo.faults().set("imap-1", FaultMode.CRASH);
        demo.faults().set("imap-2", FaultMode.CRASH);
        RoundTripPlan plan = a.plan();
        assertThat(a.sendOne(new RoundTripPlan.Path(plan.sendNodes().get(0), plan.fetchNodes().get(0)))).isTrue();
        assertThat(a.sendOne(new RoundTripPlan.Path(plan.sendNodes().get(1), plan.fetchNodes().get(1)))).isTrue();
        assertThat(a.sendOne(plan.customerPaths().get(0))).isTrue();
        a.halt(); // kill -9: no stop, no store close, rows left as they are
        assertThat(resultsA.all).isEmpty();

        Store storeB = Store.open(db); // a new process opens the same file
        Set<String> inFlight = new InFlightTable(storeB).all().stream().map(InFlightTable.Row::id).collect(Collectors.toSet());
        assertThat(inFlight).hasSize(3);

        demo.faults().set("imap-1", FaultMode.NONE);
        demo.faults().set("imap-2", FaultMode.NONE);
        RoundTripFixtures.Results resultsB = new RoundTripFixtures.Results();
        RoundTripEngine b = new RoundTripEngine(config, storeB, resultsB);
        b.start();
        List<RoundTripResult> got = resultsB.await(3, Duration.ofSeconds(10));
        assertThat(got).extracting(RoundTripResult::id).containsExactlyInAnyOrderElementsOf(inFlight);
        assertThat(got).extracting(RoundTripResult::result).allMatch(o -> o == Outcome.DELIVERED || o == Outcome.LATE);
        assertThat(got).allSatisfy(r -> assertThat(r.latency()).isNotNull());
        assertThat(got).extracting(r -> r.sendNode() + " -> " + r.fetchNode())
                .containsExactlyInAnyOrder("smtp-1 -> imap-1", "smtp-2 -> imap-2", "mx -> mailbox");
        Thread.sleep(1000);
        assertThat(resultsB.all).hasSize(3);
        assertThat(resultsA.all).isEmpty();
        assertThat(new InFlightTable(storeB).all()).isEmpty();

        // graceful restart with a mail that will never arrive: still exactly one result, lost
        demo.faults().set("smtp-1", FaultMode.LOSE_MAIL);
        assertThat(b.sendOne(new RoundTripPlan.Path(plan.sendNodes().get(0), plan.fetchNodes().get(0)))).isTrue();
        b.close();
        assertThat(new InFlightTable(storeB).all()).hasSize(1);
        RoundTripFixtures.Results resultsC = new RoundTripFixtures.Results();
        RoundTripEngine c = new RoundTripEngine(config, storeB, resultsC);
        c.start();
        RoundTripResult lost = resultsC.await(1, Duration.ofSeconds(10)).get(0);
        assertThat(lost.result()).isEqualTo(Outcome.LOST);
        Thread.sleep(500);
        assertThat(resultsC.all).hasSize(1);
        assertThat(resultsB.all).hasSize(3);
        c.close();
        storeB.close();
        storeA.close();
    }
}
