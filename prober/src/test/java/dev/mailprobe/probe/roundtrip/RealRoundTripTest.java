package dev.mailprobe.probe.roundtrip;

import static dev.mailprobe.testbed.Testbed.Fault.DEFER;
import static dev.mailprobe.testbed.Testbed.Fault.DISCARD;
import static dev.mailprobe.testbed.Testbed.Fault.NONE;
import static dev.mailprobe.testbed.Testbed.Fault.REJECT;
import static dev.mailprobe.testbed.Testbed.Fault.STOP;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.ProbeTarget;
import dev.mailprobe.store.Store;
import dev.mailprobe.testbed.RealTestbed;
import dev.mailprobe.testbed.Testbed;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips through the real Postfix + Dovecot testbed (testbed/up). */
@RealTestbed
class RealRoundTripTest {
    static final Duration DELIVERED_WITHIN = Duration.ofSeconds(3);
    static final Duration LOST_AFTER = Duration.ofSeconds(6);

    @TempDir
    Path dir;

    private final Testbed tb;
    private MailprobeConfig config;
    private final List<RoundTripEngine> engines = new ArrayList<>();
    private final List<Store> stores = new ArrayList<>();

    RealRoundTripTest(Testbed tb) {
        this.tb = tb;
    }

    @BeforeEach
    void load() throws Exception {
        config = RoundTripFixtures.withRoundTrip(ConfigLoader.load(tb.configFile()), DELIVERED_WITHIN, LOST_AFTER);
    }

    @AfterEach
    void cleanUp() {
        engines.forEach(RoundTripEngine::close);
        stores.forEach(Store::close);
        tb.clearFaults();
    }

    private RoundTripEngine engine(Store store, RoundTripFixtures.Results results) throws Exception {
        RoundTripEngine e = new RoundTripEngine(config, store, results);
        engines.add(e);
        e.start();
        return e;
    }

    private Store store(String name) throws Exception {
        Store s = Store.open(dir.resolve(name));
        stores.add(s);
        return s;
    }

    private static RoundTripPlan.Path path(RoundTripPlan plan, String send, String fetch) {
        RoundTripPlan.Side s = plan.sendNodes().stream().filter(x -> x.label().equals(send)).findFirst().orElseThrow();
        RoundTripPlan.Side f = plan.fetchNodes().stream().filter(x -> x.label().equals(fetch)).findFirst().orElseThrow();
        return new RoundTripPlan.Path(s, f);
    }

    private static Map<String, RoundTripResult> byPath(List<RoundTripResult> results) {
        return results.stream().collect(Collectors.toMap(r -> r.sendNode() + " -> " + r.fetchNode(), r -> r));
    }

    @Test
    void everyNodePathAndTheCustomerPathIsDelivered() throws Exception {
        RoundTripFixtures.Results results = new RoundTripFixtures.Results();
        RoundTripEngine e = engine(store("rt.db"), results);
        assertThat(e.slots()).hasSize(5);
        for (RoundTripPlan.Slot s : e.slots()) {
            assertThat(e.run(s).get()).as(s.key()).isTrue();
        }
        Map<String, RoundTripResult> got = byPath(results.await(5, Duration.ofSeconds(15)));
        assertThat(got).containsOnlyKeys("smtp-1 -> imap-1", "smtp-1 -> imap-2", "smtp-2 -> imap-1", "smtp-2 -> imap-2",
                "mx -> mailbox");
        for (RoundTripResult r : got.values()) {
            assertThat(r.result()).as(r.toString()).isEqualTo(Outcome.DELIVERED);
            assertThat(r.latency()).isLessThan(Duration.ofSeconds(1));
            // Postfix stamps "by smtp-N.testbed.mailprobe.test": the path starts at the node that accepted it
            assertThat(r.receivedPath()).as(r.toString()).isNotEmpty();
            assertThat(r.receivedPath().get(0)).isEqualTo(r.servedBySend());
        }
        assertThat(got.get("smtp-2 -> imap-1").servedBySend()).isEqualTo("smtp-2");
        assertThat(got.get("smtp-2 -> imap-1").servedByFetch()).isEqualTo("imap-1");
        assertThat(got.get("mx -> mailbox").servedBySend()).isEqualTo("smtp-1");
        assertThat(got.get("mx -> mailbox").servedByFetch()).isIn("imap-1", "imap-2");
        assertThat(probeMailCount()).isZero();
    }

    @Test
    void hostEntryPointsAreAttributedByGreetingOrAddress() throws Exception {
        MailprobeConfig c = config;
        dev.mailprobe.config.EntryPoint mx = c.entryPoint("mx").orElseThrow();
        dev.mailprobe.config.EntryPoint mailbox = c.entryPoint("mailbox").orElseThrow();
        // VIP-style entry points: one address each, the serving node known only from the server
        List<dev.mailprobe.config.EntryPoint> vips = List.of(
                new dev.mailprobe.config.EntryPoint("mx-vip", List.of(), tb.host("smtp-2"), mx.select(),
                        Map.of(Protocol.SUBMISSION, mx.protocols().get(Protocol.SUBMISSION))),
                new dev.mailprobe.config.EntryPoint("mailbox-vip", List.of(), tb.host("imap-1"), mailbox.select(),
                        Map.of(Protocol.IMAP, mailbox.protocols().get(Protocol.IMAP))));
        config = new MailprobeConfig(c.cluster(), c.vantage(), c.http(), c.store(), c.probe(), c.accounts(), c.nodes(), vips,
                c.roundTrip(), c.slos(), c.knownJobs());
        RoundTripFixtures.Results results = new RoundTripFixtures.Results();
        RoundTripEngine e = engine(store("rt.db"), results);
        assertThat(e.sendOne(e.plan().customerPaths().get(0))).isTrue();
        RoundTripResult r = results.await(1, Duration.ofSeconds(10)).get(0);
        assertThat(r.sendNode()).isEqualTo("mx-vip");
        assertThat(r.fetchNode()).isEqualTo("mailbox-vip");
        assertThat(r.result()).isEqualTo(Outcome.DELIVERED);
        assertThat(r.servedBySend()).isEqualTo("smtp-2");
        assertThat(r.servedByFetch()).isEqualTo("imap-1");
        assertThat(r.receivedPath()).startsWith("smtp-2");
    }

    @Test
    void discardIsLostDeferIsLateOrLostRejectIsSendFailedWith451() throws Exception {
        RoundTripFixtures.Results results = new RoundTripFixtures.Results();
        RoundTripEngine e = engine(store("rt.db"), results);
        RoundTripPlan plan = e.plan();
        tb.fault("smtp-1", DISCARD);
        assertThat(e.sendOne(path(plan, "smtp-1", "imap-1"))).isTrue();
        assertThat(e.sendOne(path(plan, "smtp-2", "imap-2"))).isTrue();
        Map<String, RoundTripResult> got = byPath(results.await(2, Duration.ofSeconds(15)));
        assertThat(got.get("smtp-1 -> imap-1").result()).isEqualTo(Outcome.LOST);
        assertThat(got.get("smtp-2 -> imap-2").result()).isEqualTo(Outcome.DELIVERED);
        tb.fault("smtp-1", NONE);

        tb.fault("smtp-2", DEFER);
        assertThat(e.sendOne(path(plan, "smtp-2", "imap-1"))).isTrue();
        Thread.sleep(DELIVERED_WITHIN.toMillis() + 500);
        tb.fault("smtp-2", NONE); // the deferred mail may now go out: late, or lost if not before lostAfter
        RoundTripResult deferred = results.await(1, Duration.ofSeconds(15)).get(0);
        assertThat(deferred.result()).isIn(Outcome.LATE, Outcome.LOST);

        tb.fault("smtp-2", REJECT);
        assertThat(e.sendOne(path(plan, "smtp-2", "imap-1"))).isFalse();
        RoundTripResult rejected = results.await(1, Duration.ofSeconds(5)).get(0);
        assertThat(rejected.result()).isEqualTo(Outcome.SEND_FAILED);
        assertThat(rejected.evidence()).contains("451");
        assertThat(rejected.servedBySend()).isEqualTo("smtp-2");
    }

    @Test
    void aStoppedDovecotIsFetchFailedForItsPathsOnly() throws Exception {
        RoundTripFixtures.Results results = new RoundTripFixtures.Results();
        RoundTripEngine e = engine(store("rt.db"), results);
        RoundTripPlan plan = e.plan();
        tb.fault("imap-2", STOP);
        assertThat(e.sendOne(path(plan, "smtp-1", "imap-2"))).isTrue();
        assertThat(e.sendOne(path(plan, "smtp-2", "imap-2"))).isTrue();
        assertThat(e.sendOne(path(plan, "smtp-1", "imap-1"))).isTrue();
        List<RoundTripResult> got = results.await(3, Duration.ofSeconds(15));
        for (RoundTripResult r : got) {
            assertThat(r.result()).as(r.toString()).isEqualTo(r.fetchNode().equals("imap-2") ? Outcome.FETCH_FAILED : Outcome.DELIVERED);
        }
        assertThat(got.stream().filter(r -> r.result() == Outcome.FETCH_FAILED).findFirst().orElseThrow().evidence())
                .contains("fetch node unusable");
    }

    @Test
    void foreignMailSurvivesTheSweeperOurExpiredMailDoesNot() throws Exception {
        ProbeToken token = new ProbeToken(config.roundTrip().tokenKey());
        String from = config.roundTrip().from();
        Instant old = Instant.now().minus(Duration.ofHours(1));
        ProbeToken.Claims expired = new ProbeToken.Claims(ProbeToken.newId(), "smtp-1", "imap-1", old);
        ProbeToken.Claims forged = new ProbeToken.Claims(ProbeToken.newId(), "smtp-1", "imap-1", old);
        ProbeTarget smtp = ProbeTarget.of(config.node("smtp-1").orElseThrow(), Protocol.SMTP);
        MailSessions sessions = new MailSessions();
        Session session = sessions.session("smtp", smtp, null);
        MimeMessage ours = MailSender.compose(session, from, config.roundTrip().to(), expired, token.sign(expired));
        MimeMessage fake = MailSender.compose(session, from, config.roundTrip().to(), forged,
                new ProbeToken(dev.mailprobe.config.Secret.of("wrong", "t")).sign(forged));
        MimeMessage customer = MailSender.compose(session, "alice@" + Testbed.DOMAIN, config.roundTrip().to(),
                new ProbeToken.Claims("cust" + ProbeToken.newId(), "x", "y", Instant.now()), "not a token");
        customer.removeHeader(ProbeToken.HEADER);
        customer.saveChanges();
        try (Transport t = session.getTransport("smtp")) {
            t.connect(smtp.host(), smtp.endpoint().port(), null, null);
            for (MimeMessage m : List.of(ours, fake, customer)) {
                t.sendMessage(m, m.getAllRecipients());
            }
        }
        Set<String> foreignIds = Set.of(fake.getMessageID(), customer.getMessageID());
        awaitVisible(Set.of(ours.getMessageID(), fake.getMessageID(), customer.getMessageID()));

        engine(store("rt.db"), new RoundTripFixtures.Results());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (messageIds().contains(ours.getMessageID()) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        assertThat(messageIds()).doesNotContain(ours.getMessageID()).containsAll(foreignIds);
        deleteByMessageId(foreignIds); // leave the shared mailbox as we found it
    }

    @Test
    void aRestartWithMailInFlightGivesExactlyOneResultPerMail() throws Exception {
        Path db = dir.resolve("restart.db");
        Store storeA = Store.open(db);
        stores.add(storeA);
        RoundTripFixtures.Results resultsA = new RoundTripFixtures.Results();
        RoundTripEngine a = new RoundTripEngine(config, storeA, resultsA);
        a.start();
        tb.fault("imap-1", STOP);
        tb.fault("imap-2", STOP);
        RoundTripPlan plan = a.plan();
        assertThat(a.sendOne(path(plan, "smtp-1", "imap-1"))).isTrue();
        assertThat(a.sendOne(path(plan, "smtp-2", "imap-2"))).isTrue();
        assertThat(a.sendOne(plan.customerPaths().get(0))).isTrue();
        a.halt(); // kill -9
        Store storeB = store("restart.db");
        Set<String> inFlight = new InFlightTable(storeB).all().stream().map(InFlightTable.Row::id).collect(Collectors.toSet());
        assertThat(inFlight).hasSize(3);
        tb.fault("imap-1", NONE);
        tb.fault("imap-2", NONE);
        RoundTripFixtures.Results resultsB = new RoundTripFixtures.Results();
        engine(storeB, resultsB);
        List<RoundTripResult> got = resultsB.await(3, Duration.ofSeconds(15));
        assertThat(got).extracting(RoundTripResult::id).containsExactlyInAnyOrderElementsOf(inFlight);
        assertThat(got).extracting(RoundTripResult::result).allMatch(o -> o == Outcome.DELIVERED || o == Outcome.LATE);
        Thread.sleep(1000);
        assertThat(resultsB.all).hasSize(3);
        assertThat(resultsA.all).isEmpty();
        assertThat(new InFlightTable(storeB).all()).isEmpty();
    }

    /**
     * Detection delay: a tight ground-truth poller (NOOP + UID FETCH of Message-IDs in a loop on its
     * own connection to imap-1) notes when each mail first becomes visible; the engine's detection is
     * its 250 time + latency. Delay = engine detection - ground truth.
     */
    @Test
    void detectionDelayOnDovecot() throws Exception {
        int n = Integer.getInteger("mailprobe.detection.samples", 100);
        RoundTripFixtures.Results results = new RoundTripFixtures.Results();
        RoundTripEngine e = engine(store("rt.db"), results);
        Map<String, Long> sentNanos = new ConcurrentHashMap<>();
        e.sentListener = sentNanos::put;
        RoundTripPlan plan = e.plan();
        try (GroundTruth gt = new GroundTruth()) {
            gt.start();
            Thread.sleep(300);
            List<Double> delaysMs = new ArrayList<>();
            List<Double> latenciesMs = new ArrayList<>();
            int boundedSamples = 0;
            for (int i = 0; i < n; i++) {
                assertThat(e.sendOne(path(plan, i % 2 == 0 ? "smtp-1" : "smtp-2", "imap-1"))).isTrue();
                RoundTripResult r = results.await(1, Duration.ofSeconds(10)).get(0);
                assertThat(r.result()).isEqualTo(Outcome.DELIVERED);
                long engineSeen = sentNanos.get(r.id()) + r.latency().toNanos();
                Long truth = gt.firstSeen.get(ProbeToken.messageId(r.id(), config.roundTrip().from()));
                if (truth != null) {
                    delaysMs.add(Math.max(0, engineSeen - truth) / 1e6);
                    latenciesMs.add((truth - sentNanos.get(r.id())) / 1e6);
                } else {
                    // found and deleted before the poller saw it: count the upper bound, never a guess of 0
                    Long notYet = gt.notVisibleYetAt(engineSeen);
                    if (notYet != null) {
                        delaysMs.add(Math.max(0, engineSeen - notYet) / 1e6);
                        boundedSamples++;
                    }
                }
                Thread.sleep(20);
            }
            assertThat(delaysMs.size()).isGreaterThanOrEqualTo(n * 95 / 100);
            String report = String.format(java.util.Locale.ROOT,
                    "round-trip detection delay on the testbed (Dovecot 2.3, imap-1 STARTTLS), %d mails:%n"
                            + "  detection delay  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms"
                            + " (%d of them upper bounds: found before the poller saw them)%n"
                            + "  250 -> visible (ground truth)  p50 %.1f ms  p99 %.1f ms%n"
                            + "  command: MAILPROBE_TESTBED_KEEP=1 mvn -B -o test -Dtest='RealRoundTripTest#detectionDelayOnDovecot' (repo root, as root)%n",
                    delaysMs.size(), pct(delaysMs, 50), pct(delaysMs, 90), pct(delaysMs, 99), pct(delaysMs, 100), boundedSamples,
                    pct(latenciesMs, 50), pct(latenciesMs, 99));
            System.out.println(report);
            Files.writeString(tb.projectRoot().resolve("prober/target/roundtrip-detection-delay.txt"), report);
            assertThat(pct(delaysMs, 50)).isLessThanOrEqualTo(50);
            assertThat(pct(delaysMs, 99)).isLessThanOrEqualTo(250);
        }
    }

    private static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }

    /** A tight poller on its own connection to imap-1: first time each Message-ID is visible. */
    private final class GroundTruth implements AutoCloseable {
        final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
        /** Completed passes: {NOOP done, FETCH done}. A mail a pass did not list was not visible at its NOOP. */
        final java.util.concurrent.ConcurrentLinkedDeque<long[]> passes = new java.util.concurrent.ConcurrentLinkedDeque<>();

        /**
         * For a mail this poller never saw (the engine found and deleted it first): the NOOP time of
         * the latest pass that finished before {@code detectedNanos} without listing it. The mail
         * became visible after that, so {@code detected - it} bounds the detection delay from above.
         */
        Long notVisibleYetAt(long detectedNanos) {
            long best = Long.MIN_VALUE;
            for (long[] pass : passes) {
                if (pass[1] < detectedNanos && pass[0] > best) {
                    best = pass[0];
                }
            }
            return best == Long.MIN_VALUE ? null : best;
        }
        private volatile boolean running = true;
        private final Thread thread = new Thread(this::loop, "ground-truth");
        private final IMAPStore imap;
        private final IMAPFolder folder;

        GroundTruth() throws Exception {
            Node node = config.node("imap-1").orElseThrow();
            ProbeTarget t = ProbeTarget.of(node, Protocol.IMAP);
            imap = (IMAPStore) new MailSessions().session("imap", t, null).getStore("imap");
            imap.connect(t.host(), t.endpoint().port(), config.roundTrip().account().username(),
                    config.roundTrip().account().password().reveal());
            folder = (IMAPFolder) imap.getFolder("INBOX");
            folder.open(Folder.READ_ONLY);
        }

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        private void loop() {
            try {
                while (running) {
                    folder.doCommand(p -> {
                        p.noop();
                        return null;
                    });
                    long now = System.nanoTime();
                    if (folder.getMessageCount() == 0) {
                        passes.add(new long[] {now, System.nanoTime()});
                        continue;
                    }
                    Response[] r = (Response[]) folder.doCommand(p -> {
                        Response[] rs = p.command("UID FETCH 1:* (UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])", null);
                        p.notifyResponseHandlers(rs);
                        return rs;
                    });
                    for (Response resp : r) {
                        if (resp instanceof FetchResponse fr && fr.getItem(BODY.class) != null) {
                            String mid = new InternetHeaders(fr.getItem(BODY.class).getByteArrayInputStream())
                                    .getHeader("Message-ID", null);
                            if (mid != null) {
                                firstSeen.putIfAbsent(mid.trim(), now);
                            }
                        }
                    }
                    passes.add(new long[] {now, System.nanoTime()});
                }
            } catch (Exception e) {
                if (running) {
                    e.printStackTrace();
                }
            }
        }

        @Override
        public void close() throws Exception {
            running = false;
            thread.join(2000);
            imap.close();
        }
    }

    // ------------------------------------------------------------------ direct mailbox access

    private IMAPStore connectImap() throws Exception {
        ProbeTarget t = ProbeTarget.of(config.node("imap-1").orElseThrow(), Protocol.IMAP);
        IMAPStore s = (IMAPStore) new MailSessions().session("imap", t, null).getStore("imap");
        s.connect(t.host(), t.endpoint().port(), config.roundTrip().account().username(),
                config.roundTrip().account().password().reveal());
        return s;
    }

    private List<String> messageIds() throws Exception {
        IMAPStore s = connectImap();
        try {
            IMAPFolder f = (IMAPFolder) s.getFolder("INBOX");
            f.open(Folder.READ_ONLY);
            List<String> ids = new ArrayList<>();
            for (jakarta.mail.Message m : f.getMessages()) {
                String[] h = m.getHeader("Message-ID");
                if (h != null) {
                    ids.add(h[0].trim());
                }
            }
            f.close(false);
            return ids;
        } finally {
            s.close();
        }
    }

    private long probeMailCount() throws Exception {
        return messageIds().stream().filter(id -> id.startsWith("<mailprobe.")).count();
    }

    private void awaitVisible(Set<String> ids) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!messageIds().containsAll(ids)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not delivered: " + ids);
            }
            Thread.sleep(50);
        }
    }

    private void deleteByMessageId(Set<String> ids) throws Exception {
        IMAPStore s = connectImap();
        try {
            IMAPFolder f = (IMAPFolder) s.getFolder("INBOX");
            f.open(Folder.READ_WRITE);
            for (jakarta.mail.Message m : f.getMessages()) {
                String[] h = m.getHeader("Message-ID");
                if (h != null && ids.contains(h[0].trim())) {
                    m.setFlag(jakarta.mail.Flags.Flag.DELETED, true);
                }
            }
            f.close(true);
        } finally {
            s.close();
        }
    }

}
