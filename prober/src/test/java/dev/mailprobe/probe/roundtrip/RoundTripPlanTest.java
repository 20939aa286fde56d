package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Account;
import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.RoundTripSettings;
import dev.mailprobe.config.Secret;
import dev.mailprobe.config.TlsMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoundTripPlanTest {
    static final Account PROBE = new Account("probe", "probe@example.net", Secret.of("pw", "test"));
    static final ProbeSettings S = ProbeSettings.DEFAULTS;

    static Endpoint ep(Protocol p, int port) {
        return new Endpoint(p, port, TlsMode.NONE, p == Protocol.SMTP ? null : PROBE, S);
    }

    static Node node(String name, Protocol... protocols) {
        Map<Protocol, Endpoint> m = new LinkedHashMap<>();
        for (Protocol p : protocols) {
            m.put(p, ep(p, 1000 + p.ordinal()));
        }
        return new Node(name, "127.0.0.1", null, m);
    }

    static MailprobeConfig config(RoundTripSettings.Matrix matrix, List<Node> nodes, List<EntryPoint> eps) {
        RoundTripSettings rt = new RoundTripSettings(Duration.ofSeconds(60), "probe@example.net", "probe@example.net",
                PROBE, Duration.ofSeconds(30), Duration.ofMinutes(10), Secret.of("k", "test"), matrix);
        return new MailprobeConfig(null, null, MailprobeConfig.Http.DEFAULTS, new MailprobeConfig.Store(Path.of("x.db")),
                S, Map.of("probe", PROBE), nodes, eps, rt, List.of(), List.of());
    }

    static List<Node> twoByThree() {
        return List.of(node("smtp-1", Protocol.SMTP, Protocol.SUBMISSION), node("smtp-2", Protocol.SMTP),
                node("imap-1", Protocol.IMAP, Protocol.POP3), node("imap-2", Protocol.IMAP), node("pop-1", Protocol.POP3));
    }

    static List<EntryPoint> customer() {
        return List.of(
                new EntryPoint("mx", List.of("smtp-1", "smtp-2"), null, EntryPoint.Selection.FAILOVER,
                        Map.of(Protocol.SMTP, ep(Protocol.SMTP, 25))),
                new EntryPoint("mailbox", List.of(), "imap.example.net", EntryPoint.Selection.FAILOVER,
                        Map.of(Protocol.IMAP, ep(Protocol.IMAP, 993), Protocol.POP3, ep(Protocol.POP3, 995))));
    }

    @Test
    void sendAndFetchSidesPreferSubmissionAndImap() {
        RoundTripPlan plan = new RoundTripPlan(config(RoundTripSettings.Matrix.FULL, twoByThree(), customer()));
        assertThat(plan.sendNodes()).extracting(RoundTripPlan.Side::label).containsExactly("smtp-1", "smtp-2");
        assertThat(plan.sendNodes()).extracting(RoundTripPlan.Side::protocol).containsExactly(Protocol.SUBMISSION, Protocol.SMTP);
        assertThat(plan.fetchNodes()).extracting(RoundTripPlan.Side::label).containsExactly("imap-1", "imap-2", "pop-1");
        assertThat(plan.fetchNodes()).extracting(RoundTripPlan.Side::protocol).containsExactly(Protocol.IMAP, Protocol.IMAP, Protocol.POP3);
        assertThat(plan.customerPaths()).extracting(RoundTripPlan.Path::key).containsExactly("mx -> mailbox");
        assertThat(plan.customerPaths().get(0).fetch().protocol()).isEqualTo(Protocol.IMAP);
    }

    @Test
    void fullRunsEveryPairAndTheCustomerPathEachInterval() {
        RoundTripPlan plan = new RoundTripPlan(config(RoundTripSettings.Matrix.FULL, twoByThree(), customer()));
        List<String> keys = plan.slots().stream().map(s -> plan.path(s, 0).key()).toList();
        assertThat(keys).containsExactly("smtp-1 -> imap-1", "smtp-1 -> imap-2", "smtp-1 -> pop-1",
                "smtp-2 -> imap-1", "smtp-2 -> imap-2", "smtp-2 -> pop-1", "mx -> mailbox");
        assertThat(plan.slots().stream().map(s -> plan.path(s, 7).key()).toList()).isEqualTo(keys);
        assertThat(plan.allPaths()).hasSize(7);
    }

    @Test
    void coverUsesEveryNodeEachIntervalAndEveryPairWithinFIntervals() {
        RoundTripPlan plan = new RoundTripPlan(config(RoundTripSettings.Matrix.COVER, twoByThree(), customer()));
        List<RoundTripPlan.Slot> slots = plan.slots();
        assertThat(slots).hasSize(3 + 1); // max(S, F) cover slots + the customer path
        Set<String> pairs = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            Set<String> sends = new HashSet<>();
            Set<String> fetches = new HashSet<>();
            for (RoundTripPlan.Slot s : slots) {
                RoundTripPlan.Path p = plan.path(s, round);
                if (s.isCover()) {
                    sends.add(p.send().label());
                    fetches.add(p.fetch().label());
                    pairs.add(p.key());
                } else {
                    assertThat(p.key()).isEqualTo("mx -> mailbox");
                }
            }
            assertThat(sends).as("round " + round).containsExactlyInAnyOrder("smtp-1", "smtp-2");
            assertThat(fetches).as("round " + round).containsExactlyInAnyOrder("imap-1", "imap-2", "pop-1");
        }
        assertThat(pairs).hasSize(6);
        // metric series exist for every pair, not just this round's
        assertThat(plan.allPaths()).hasSize(7);
    }

    @Test
    void coverWithMoreSendThanFetchNodes() {
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            nodes.add(node("smtp-" + i, Protocol.SMTP));
        }
        nodes.add(node("imap-1", Protocol.IMAP));
        nodes.add(node("imap-2", Protocol.IMAP));
        RoundTripPlan plan = new RoundTripPlan(config(RoundTripSettings.Matrix.COVER, nodes, List.of()));
        assertThat(plan.slots()).hasSize(5);
        Set<String> pairs = new HashSet<>();
        for (int round = 0; round < 2; round++) {
            Set<String> fetches = new HashSet<>();
            for (RoundTripPlan.Slot s : plan.slots()) {
                fetches.add(plan.path(s, round).fetch().label());
                pairs.add(plan.path(s, round).key());
            }
            assertThat(fetches).containsExactlyInAnyOrder("imap-1", "imap-2");
        }
        assertThat(pairs).hasSize(10);
    }

    @Test
    void noFetchNodesMeansOnlyCustomerPaths() {
        RoundTripPlan plan = new RoundTripPlan(config(RoundTripSettings.Matrix.FULL,
                List.of(node("smtp-1", Protocol.SMTP), node("smtp-2", Protocol.SMTP)), customer()));
        assertThat(plan.slots()).extracting(RoundTripPlan.Slot::key).containsExactly("roundtrip/mx -> mailbox");
        assertThat(plan.fetchSides()).extracting(RoundTripPlan.Side::label).containsExactly("mailbox");
    }

    @Test
    void viaKeepsTheEntryPointListenerWhenTheNodesOwnSpeaksAnotherTlsMode() {
        Map<Protocol, Endpoint> own = new LinkedHashMap<>();
        own.put(Protocol.IMAP, new Endpoint(Protocol.IMAP, 2143, TlsMode.STARTTLS, PROBE, S));
        Node imap1 = new Node("imap-1", "127.0.0.21", null, own);
        EntryPoint imaps = new EntryPoint("mailbox", List.of("imap-1"), null, EntryPoint.Selection.ROUND_ROBIN,
                Map.of(Protocol.IMAP, new Endpoint(Protocol.IMAP, 2993, TlsMode.IMPLICIT, PROBE, S)));
        dev.mailprobe.probe.ProbeTarget t = RoundTripEngine.via(imaps, imap1, Protocol.IMAP);
        assertThat(t.endpoint().port()).isEqualTo(2993);
        assertThat(t.endpoint().tls()).isEqualTo(TlsMode.IMPLICIT);
        assertThat(t.host()).isEqualTo("127.0.0.21");
        assertThat(t.servedBy()).isEqualTo("imap-1");
        // same TLS mode: the node's own port (the demo: one address, a port per node)
        EntryPoint plain = new EntryPoint("mailbox", List.of("imap-1"), null, EntryPoint.Selection.ROUND_ROBIN,
                Map.of(Protocol.IMAP, new Endpoint(Protocol.IMAP, 9999, TlsMode.STARTTLS, PROBE, S)));
        assertThat(RoundTripEngine.via(plain, imap1, Protocol.IMAP).endpoint().port()).isEqualTo(2143);
    }
}
