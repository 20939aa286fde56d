package dev.mailprobe.health;

import static dev.mailprobe.health.HealthFixtures.authFailed;
import static dev.mailprobe.health.HealthFixtures.ok;
import static dev.mailprobe.health.HealthFixtures.refused;
import static dev.mailprobe.health.HealthFixtures.t;
import static dev.mailprobe.health.HealthFixtures.timeout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mailprobe.config.ConfigFixtures;
import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthEngineTest {
    @TempDir
    Path dir;

    private final HealthFixtures.MutableClock clock = new HealthFixtures.MutableClock(t(0));
    private final List<Store> stores = new ArrayList<>();
    private HealthEngine engine;

    @BeforeEach
    void open() throws Exception {
        engine = engine(HealthSettings.DEFAULTS);
    }

    @AfterEach
    void close() {
        stores.forEach(Store::close);
    }

    private HealthEngine engine(HealthSettings settings) throws Exception {
        Store store = Store.open(dir.resolve("health.db"));
        stores.add(store);
        return new HealthEngine(settings, HealthFixtures.checks(), new HealthEvents(store), clock);
    }

    private void feed(ProbeResult r) {
        clock.set(r.startedAt());
        engine.observe(r);
    }

    private List<DownEvent> all() {
        return engine.events().events(Optional.empty(), null, Optional.empty());
    }

    @Test
    void anEventStartsAtTheFirstFailureAndEndsAtTheFirstSuccess() {
        feed(ok("smtp-1", Protocol.SMTP, t(0)));
        feed(refused("smtp-1", Protocol.SMTP, t(30)));
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.SUSPECT);
        assertThat(all()).isEmpty();
        feed(refused("smtp-1", Protocol.SMTP, t(60)));
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.DOWN);
        assertThat(engine.state("smtp-1", "smtp")).isEqualTo(HealthState.DOWN);
        assertThat(engine.state("smtp-1", "submission")).isEqualTo(HealthState.UP);

        DownEvent open = all().get(0);
        assertThat(open.open()).isTrue();
        assertThat(open.start()).isEqualTo(t(30));
        assertThat(open.detectedAt()).isEqualTo(t(60));
        assertThat(open.reason()).isEqualTo("refused");
        assertThat(open.protocols()).containsExactly("smtp");
        assertThat(open.evidence().at()).isEqualTo(t(30));
        assertThat(open.evidence().failedPhase()).isEqualTo("connect");
        assertThat(open.evidence().error()).startsWith("connection refused");
        assertThat(engine.openEvent("smtp-1")).contains(open);

        feed(refused("smtp-1", Protocol.SMTP, t(90)));
        feed(ok("smtp-1", Protocol.SMTP, t(120)));
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.DOWN);
        feed(ok("smtp-1", Protocol.SMTP, t(150)));
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.UP);

        List<DownEvent> events = all();
        assertThat(events).hasSize(1);
        DownEvent closed = events.get(0);
        assertThat(closed.id()).isEqualTo(open.id());
        assertThat(closed.end()).isEqualTo(t(120));
        assertThat(closed.duration()).contains(Duration.ofSeconds(90));
        assertThat(closed.lastFailureAt()).isEqualTo(t(90));
        assertThat(closed.endEstimated()).isFalse();
        assertThat(closed.note()).isNull();
        assertThat(engine.openEvent("smtp-1")).isEmpty();
    }

    @Test
    void aNodeIsDownWhileAnyProtocolIsDownAndListsEveryAffectedProtocol() {
        feed(refused("imap-1", Protocol.IMAP, t(0)));
        feed(ok("imap-1", Protocol.POP3, t(5)));
        feed(refused("imap-1", Protocol.IMAP, t(30)));
        assertThat(engine.state("imap-1")).as("IMAP down, POP3 fine: the node is down").isEqualTo(HealthState.DOWN);
        feed(timeout("imap-1", Protocol.POP3, t(35)));
        assertThat(engine.state("imap-1")).isEqualTo(HealthState.DOWN);
        feed(timeout("imap-1", Protocol.POP3, t(65)));
        assertThat(all()).singleElement().satisfies(e -> {
            assertThat(e.protocols()).containsExactly("imap", "pop3");
            assertThat(e.start()).isEqualTo(t(0));
            assertThat(e.reason()).isEqualTo("refused");
        });
        // IMAP comes back first; the node stays DOWN while POP3 is down
        feed(ok("imap-1", Protocol.IMAP, t(60)));
        feed(ok("imap-1", Protocol.IMAP, t(90)));
        assertThat(engine.state("imap-1", "imap")).isEqualTo(HealthState.UP);
        assertThat(engine.state("imap-1")).isEqualTo(HealthState.DOWN);
        feed(ok("imap-1", Protocol.POP3, t(95)));
        feed(ok("imap-1", Protocol.POP3, t(125)));
        assertThat(engine.state("imap-1")).isEqualTo(HealthState.UP);
        DownEvent e = all().get(0);
        assertThat(e.end()).as("the last protocol's first success").isEqualTo(t(95));
        assertThat(e.protocols()).containsExactly("imap", "pop3");
    }

    @Test
    void aProtocolJoiningWithAnEarlierFirstFailureMovesTheStartAndEvidence() {
        // pop3's first failure (t=1, timeout) precedes imap's (t=2) but pop3 crosses later
        feed(timeout("imap-1", Protocol.POP3, t(1)));
        feed(refused("imap-1", Protocol.IMAP, t(2)));
        feed(refused("imap-1", Protocol.IMAP, t(12)));
        assertThat(all().get(0).start()).isEqualTo(t(2));
        feed(timeout("imap-1", Protocol.POP3, t(21)));
        DownEvent e = all().get(0);
        assertThat(e.start()).isEqualTo(t(1));
        assertThat(e.reason()).isEqualTo("timeout");
        assertThat(e.evidence().protocol()).isEqualTo("pop3");
        assertThat(e.protocols()).containsExactly("imap", "pop3");
    }

    @Test
    void suspectIsNotAnEventAndEntryPointsAndUnknownNodesAreIgnored() {
        feed(refused("smtp-1", Protocol.SMTP, t(0)));
        feed(ok("smtp-1", Protocol.SMTP, t(30)));
        ProbeResult viaEntryPoint = refused("mx", Protocol.SMTP, t(40));
        ProbeResult ep = new ProbeResult("mx", true, Protocol.SMTP, "smtp-1", t(40), false, viaEntryPoint.reason(),
                viaEntryPoint.failedPhase(), viaEntryPoint.phases(), 0, null, null, List.of(), "refused");
        for (int i = 0; i < 5; i++) {
            feed(ep);
            feed(refused("smtp-9", Protocol.SMTP, t(41 + i)));
        }
        assertThat(all()).isEmpty();
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.UP);
        assertThat(engine.nodes()).containsExactly("smtp-1", "imap-1");
    }

    @Test
    void theEvidenceIsExactlyWhatTheProberReportedAndNoConfiguredSecret() throws Exception {
        ProbeResult first = authFailed("imap-1", t(0));
        feed(first);
        feed(authFailed("imap-1", t(30)));
        DownEvent e = all().get(0);
        assertThat(e.reason()).isEqualTo("auth_failed");
        Evidence ev = e.evidence();
        assertThat(ev.transcript()).isEqualTo(first.transcript());
        assertThat(ev.replyText()).isEqualTo(first.replyText());
        assertThat(ev.error()).isEqualTo(first.error());
        assertThat(ev.failedPhase()).isEqualTo("auth");
        assertThat(ev.phases()).containsOnlyKeys("connect", "tls", "greeting", "auth", "total");
        assertThat(ev.phases().get("auth")).isCloseTo(0.040, within(1e-9));
        assertThat(ev.tls().version()).isEqualTo("TLSv1.3");
        assertThat(ev.tls().certificateNotAfter()).isEqualTo(first.tls().certificateNotAfter());
        assertThat(ev).isEqualTo(Evidence.of(first));

        // the stored row, as JSON text, and the whole database file: no password of the config
        String secret = ConfigFixtures.PROBE.password().reveal();
        try (Statement s = stores.get(0).connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT evidence FROM " + HealthEvents.TABLE)) {
            rs.next();
            String json = rs.getString(1);
            assertThat(json).contains("C: a1 LOGIN probe@example.net ****").doesNotContain(secret);
        }
        stores.get(0).close();
        stores.clear();
        assertThat(new String(Files.readAllBytes(dir.resolve("health.db")), java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("AUTHENTICATIONFAILED").doesNotContain(secret);
    }

    @Test
    void aRestartResumesTheOpenEventAndMarksAnUnseenEndEstimated() throws Exception {
        feed(refused("smtp-1", Protocol.SMTP, t(0)));
        feed(refused("smtp-1", Protocol.SMTP, t(30)));
        feed(refused("smtp-1", Protocol.SUBMISSION, t(31)));
        feed(refused("smtp-1", Protocol.SUBMISSION, t(61)));
        long id = all().get(0).id();

        // a new engine on a new connection, the old one abandoned as a crash leaves it
        clock.set(t(300));
        engine = engine(HealthSettings.DEFAULTS);
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.DOWN);
        assertThat(engine.state("smtp-1", "smtp")).isEqualTo(HealthState.DOWN);
        assertThat(engine.state("smtp-1", "submission")).isEqualTo(HealthState.DOWN);
        assertThat(engine.openEvent("smtp-1")).hasValueSatisfying(e -> assertThat(e.id()).isEqualTo(id));

        feed(ok("smtp-1", Protocol.SMTP, t(310)));
        feed(ok("smtp-1", Protocol.SUBMISSION, t(311)));
        feed(ok("smtp-1", Protocol.SMTP, t(340)));
        feed(ok("smtp-1", Protocol.SUBMISSION, t(341)));
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.UP);
        DownEvent e = all().get(0);
        assertThat(all()).hasSize(1);
        assertThat(e.id()).isEqualTo(id);
        assertThat(e.start()).isEqualTo(t(0));
        assertThat(e.end()).isEqualTo(t(311));
        assertThat(e.endEstimated()).isTrue();
        assertThat(e.note()).contains("restarted at " + t(300)).contains(t(61).toString()).contains(t(311).toString());
    }

    @Test
    void failuresSeenAfterTheRestartMakeTheEndMeasured() throws Exception {
        feed(refused("smtp-1", Protocol.SMTP, t(0)));
        feed(refused("smtp-1", Protocol.SMTP, t(30)));
        clock.set(t(100));
        engine = engine(HealthSettings.DEFAULTS);
        feed(refused("smtp-1", Protocol.SMTP, t(110)));
        feed(ok("smtp-1", Protocol.SMTP, t(140)));
        feed(ok("smtp-1", Protocol.SMTP, t(170)));
        DownEvent e = all().get(0);
        assertThat(all()).hasSize(1);
        assertThat(e.end()).isEqualTo(t(140));
        assertThat(e.lastFailureAt()).isEqualTo(t(110));
        assertThat(e.endEstimated()).isFalse();
        assertThat(e.note()).contains("restarted").contains("measured");
    }

    @Test
    void anOpenEventOfANodeNoLongerConfiguredIsClosedAtRestart() throws Exception {
        feed(refused("smtp-1", Protocol.SMTP, t(0)));
        feed(refused("smtp-1", Protocol.SMTP, t(30)));
        clock.set(t(100));
        Store store = Store.open(dir.resolve("health.db"));
        stores.add(store);
        HealthEngine other = new HealthEngine(HealthSettings.DEFAULTS,
                java.util.Map.of("imap-1", Set.of("imap")), new HealthEvents(store), clock);
        DownEvent e = other.events().events(Optional.of("smtp-1"), null, Optional.empty()).get(0);
        assertThat(e.open()).isFalse();
        assertThat(e.end()).isEqualTo(t(30));
        assertThat(e.endEstimated()).isTrue();
        assertThat(e.note()).contains("no longer configured");
    }

    @Test
    void flappingKeepsOneEventOpenInsteadOfMany() throws Exception {
        engine = engine(new HealthSettings(1, 2, null, 2, new HealthSettings.FlapDamping(2, Duration.ofHours(1), 4)));
        int s = 0;
        for (int flap = 0; flap < 6; flap++) { // F F S S: DOWN, then back after 2 (or 4 when damped)
            feed(refused("smtp-1", Protocol.SMTP, t(s++)));
            feed(refused("smtp-1", Protocol.SMTP, t(s++)));
            feed(ok("smtp-1", Protocol.SMTP, t(s++)));
            feed(ok("smtp-1", Protocol.SMTP, t(s++)));
        }
        // flap 1 closes after 2 successes; from flap 2 on, 2 successes are not enough
        assertThat(all()).hasSize(2);
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.DOWN);
        feed(ok("smtp-1", Protocol.SMTP, t(s++)));
        feed(ok("smtp-1", Protocol.SMTP, t(s++)));
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.UP);
        assertThat(all().get(0).start()).isEqualTo(t(4));
        assertThat(all().get(0).end()).isEqualTo(t(s - 4));
    }

    @Test
    void downtimeCountsUpWhileDownFreezesDuringRecoveryAndNeverDecreases() {
        assertThat(engine.downtimeSeconds("smtp-1")).isZero();
        feed(refused("smtp-1", Protocol.SMTP, t(0)));
        assertThat(engine.downtimeSeconds("smtp-1")).as("suspect is not down").isZero();
        feed(refused("smtp-1", Protocol.SMTP, t(30)));
        assertThat(engine.downtimeSeconds("smtp-1")).isEqualTo(30.0);
        clock.set(t(45));
        assertThat(engine.downtimeSeconds("smtp-1")).isEqualTo(45.0);
        feed(ok("smtp-1", Protocol.SMTP, t(60)));
        clock.set(t(89));
        assertThat(engine.downtimeSeconds("smtp-1")).as("frozen at the first success").isEqualTo(60.0);
        feed(ok("smtp-1", Protocol.SMTP, t(90)));
        assertThat(engine.downtimeSeconds("smtp-1")).isEqualTo(60.0);
        clock.set(t(500));
        assertThat(engine.downtimeSeconds("smtp-1")).isEqualTo(60.0);
        // a second event adds to it
        feed(refused("smtp-1", Protocol.SUBMISSION, t(600)));
        feed(refused("smtp-1", Protocol.SUBMISSION, t(610)));
        clock.set(t(615));
        assertThat(engine.downtimeSeconds("smtp-1")).isEqualTo(75.0);
        assertThat(engine.downtimeSeconds("imap-1")).isZero();
    }

    @Test
    void aResumedEventCountsDowntimeFromTheRestartOnly() throws Exception {
        feed(refused("smtp-1", Protocol.SMTP, t(0)));
        feed(refused("smtp-1", Protocol.SMTP, t(30)));
        clock.set(t(1000));
        engine = engine(HealthSettings.DEFAULTS);
        assertThat(engine.downtimeSeconds("smtp-1")).isZero();
        clock.set(t(1010));
        assertThat(engine.downtimeSeconds("smtp-1")).isEqualTo(10.0);
    }

    @Test
    void listenersHearOpenChangeAndClose() {
        List<String> heard = new ArrayList<>();
        engine.addListener(new HealthEngine.Listener() {
            @Override
            public void opened(DownEvent e) {
                heard.add("opened " + e.node() + " " + e.protocols() + " id>0=" + (e.id() > 0));
            }

            @Override
            public void changed(DownEvent e) {
                heard.add("changed " + e.protocols());
            }

            @Override
            public void closed(DownEvent e) {
                heard.add("closed " + e.end());
            }
        });
        feed(refused("imap-1", Protocol.IMAP, t(0)));
        feed(refused("imap-1", Protocol.IMAP, t(10)));
        feed(refused("imap-1", Protocol.POP3, t(11)));
        feed(refused("imap-1", Protocol.POP3, t(21)));
        for (int i = 0; i < 2; i++) {
            feed(ok("imap-1", Protocol.IMAP, t(30 + i)));
            feed(ok("imap-1", Protocol.POP3, t(40 + i)));
        }
        assertThat(heard).containsExactly("opened imap-1 [imap] id>0=true", "changed [imap, pop3]", "closed " + t(40));
    }

    @Test
    void nodeLevelObservationsFormTheirOwnCheck() throws Exception {
        Store store = Store.open(dir.resolve("node-level.db"));
        stores.add(store);
        HealthEngine e = new HealthEngine(HealthSettings.DEFAULTS, java.util.Map.of("imap-1", Set.of("imap", "node")),
                new HealthEvents(store), clock);
        e.observe("imap-1", null, t(0), false, Evidence.minimal(t(0), "imap-1", null, "lost", "probe mail not seen in 10m"));
        e.observe("imap-1", null, t(60), false, Evidence.minimal(t(60), "imap-1", null, "lost", "probe mail not seen in 10m"));
        assertThat(e.state("imap-1")).isEqualTo(HealthState.DOWN);
        assertThat(e.openEvent("imap-1")).hasValueSatisfying(ev -> {
            assertThat(ev.protocols()).containsExactly(HealthEngine.NODE_CHECK);
            assertThat(ev.reason()).isEqualTo("lost");
        });
    }

    @Test
    void theSloEnginesImpactIsKeptWhenTheEventChangesAndCloses() {
        feed(refused("imap-1", Protocol.IMAP, t(0)));
        feed(refused("imap-1", Protocol.IMAP, t(30)));
        long id = all().get(0).id();
        engine.events().setImpact(id, new io.vertx.core.json.JsonObject().put("access", 0.25));
        feed(refused("imap-1", Protocol.IMAP, t(60)));
        feed(refused("imap-1", Protocol.POP3, t(61)));
        feed(refused("imap-1", Protocol.POP3, t(91)));
        feed(ok("imap-1", Protocol.IMAP, t(120)));
        feed(ok("imap-1", Protocol.IMAP, t(150)));
        feed(ok("imap-1", Protocol.POP3, t(121)));
        feed(ok("imap-1", Protocol.POP3, t(151)));
        DownEvent e = engine.events().event(id).orElseThrow();
        assertThat(e.open()).isFalse();
        assertThat(e.protocols()).containsExactly("imap", "pop3");
        assertThat(e.impact().getDouble("access")).isEqualTo(0.25);
    }

    @Test
    void queriesFilterByNodeSinceAndOpenNewestFirst() {
        feed(refused("smtp-1", Protocol.SMTP, t(0)));
        feed(refused("smtp-1", Protocol.SMTP, t(10)));
        feed(ok("smtp-1", Protocol.SMTP, t(20)));
        feed(ok("smtp-1", Protocol.SMTP, t(30)));
        feed(refused("imap-1", Protocol.IMAP, t(100)));
        feed(refused("imap-1", Protocol.IMAP, t(110)));
        feed(refused("smtp-1", Protocol.SMTP, t(200)));
        feed(refused("smtp-1", Protocol.SMTP, t(210)));
        HealthEvents ev = engine.events();
        assertThat(all()).extracting(DownEvent::start).containsExactly(t(200), t(100), t(0));
        assertThat(ev.events(Optional.of("smtp-1"), null, Optional.empty())).extracting(DownEvent::start)
                .containsExactly(t(200), t(0));
        assertThat(ev.events(Optional.empty(), null, Optional.of(true))).extracting(DownEvent::node)
                .containsExactly("smtp-1", "imap-1");
        assertThat(ev.events(Optional.empty(), null, Optional.of(false))).extracting(DownEvent::start).containsExactly(t(0));
        assertThat(ev.events(Optional.empty(), t(20), Optional.empty())).as("ended exactly at since").hasSize(3);
        assertThat(ev.events(Optional.empty(), t(21), Optional.empty())).hasSize(2);
        assertThat(ev.events(Optional.empty(), null, Optional.empty(), 1)).extracting(DownEvent::start).containsExactly(t(200));
        assertThat(ev.open()).hasSize(2);
        assertThat(ev.nodes()).containsExactly("imap-1", "smtp-1");
    }

    @Test
    void flapDampingSurvivesARestart() throws Exception {
        HealthSettings damped = new HealthSettings(1, 2, null, 2, new HealthSettings.FlapDamping(3, Duration.ofHours(1), 4));
        engine = engine(damped);
        int s = 0;
        for (int flap = 0; flap < 2; flap++) {
            feed(refused("smtp-1", Protocol.SMTP, t(s++)));
            feed(refused("smtp-1", Protocol.SMTP, t(s++)));
            feed(ok("smtp-1", Protocol.SMTP, t(s++)));
            feed(ok("smtp-1", Protocol.SMTP, t(s++)));
        }
        assertThat(all()).hasSize(2).allMatch(e -> !e.open());
        clock.set(t(100));
        engine = engine(damped); // restart: the two downs are read back
        feed(refused("smtp-1", Protocol.SMTP, t(101)));
        feed(refused("smtp-1", Protocol.SMTP, t(102)));
        feed(ok("smtp-1", Protocol.SMTP, t(103)));
        feed(ok("smtp-1", Protocol.SMTP, t(104)));
        assertThat(engine.state("smtp-1")).as("third down within the hour: damped").isEqualTo(HealthState.DOWN);
        feed(ok("smtp-1", Protocol.SMTP, t(105)));
        feed(ok("smtp-1", Protocol.SMTP, t(106)));
        assertThat(engine.state("smtp-1")).isEqualTo(HealthState.UP);
    }
}
