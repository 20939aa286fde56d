package dev.mailprobe.shard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ShardSettings;
import dev.mailprobe.metrics.MetricsRegistry;
import dev.mailprobe.metrics.ProbeMetrics;
import dev.mailprobe.metrics.RoundTripMetrics;
import dev.mailprobe.probe.roundtrip.RoundTripPlan;
import dev.mailprobe.runtime.RoundTripVerticle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * N shards of one config probe every session target and run every round-trip slot exactly once
 * between them, and each exports the series of its own targets only.
 */
class ShardPlanTest {
    /** {@code smtp} SMTP nodes, {@code imap} IMAP nodes, entry points mx, submit, mailbox, webmail. */
    static MailprobeConfig cluster(int smtp, int imap, String matrix, int shards) throws Exception {
        StringBuilder y = new StringBuilder();
        y.append("cluster: big\naccounts:\n  probe: {username: probe@example.net, passwordEnv: PW}\nnodes:\n");
        List<String> smtpNames = new ArrayList<>();
        List<String> imapNames = new ArrayList<>();
        for (int i = 1; i <= smtp; i++) {
            smtpNames.add("smtp-" + i);
            y.append("  - {name: smtp-").append(i).append(", host: 10.0.1.").append(i)
                    .append(", protocols: {smtp: {}, submission: {account: probe}}}\n");
        }
        for (int i = 1; i <= imap; i++) {
            imapNames.add("imap-" + i);
            y.append("  - {name: imap-").append(i).append(", host: 10.0.2.").append(i)
                    .append(", protocols: {imap: {tls: implicit, account: probe}, pop3: {account: probe}}}\n");
        }
        y.append("entryPoints:\n");
        y.append("  - {name: mx, via: [").append(String.join(", ", smtpNames)).append("], protocols: {smtp: {}}}\n");
        y.append("  - {name: submit, host: smtp.example.net, protocols: {submission: {account: probe}}}\n");
        y.append("  - {name: mailbox, via: [").append(String.join(", ", imapNames))
                .append("], select: round-robin, protocols: {imap: {tls: implicit, account: probe}}}\n");
        y.append("  - {name: webmail, host: imap.example.net, protocols: {pop3: {account: probe}}}\n");
        y.append("roundTrip: {account: probe, tokenKeyEnv: KEY, matrix: ").append(matrix).append("}\n");
        y.append("shard: {count: ").append(shards).append("}\n");
        return ConfigLoader.parse(y.toString(), Path.of("/tmp"),
                Map.of("PW", "secret-password", "KEY", "0123456789abcdef0123")::get);
    }

    @ParameterizedTest(name = "{0} shards, {1}")
    @CsvSource({"1, full", "2, full", "3, full", "3, cover", "5, full", "7, cover"})
    void everyTargetAndEverySlotIsOwnedByExactlyOneShard(int shards, String matrix) throws Exception {
        MailprobeConfig config = cluster(12, 9, matrix, shards);
        assertThat(config.shard()).isEqualTo(new ShardSettings(shards, null));
        RoundTripPlan plan = new RoundTripPlan(config);
        Map<String, Integer> targetOwners = new HashMap<>();
        Map<String, Integer> slotOwners = new HashMap<>();
        for (int k = 0; k < shards; k++) {
            ShardPlan shard = ShardPlan.of(config, new Shard(k, shards));
            for (Node n : shard.nodes()) {
                assertThat(targetOwners.put(n.name(), k)).as("node %s owned twice", n.name()).isNull();
            }
            for (EntryPoint e : shard.entryPoints()) {
                assertThat(targetOwners.put(e.name(), k)).as("entry point %s owned twice", e.name()).isNull();
            }
            for (RoundTripPlan.Slot slot : RoundTripVerticle.ownedSlots(plan, shard)) {
                assertThat(slotOwners.put(slot.key(), k)).as("slot %s owned twice", slot.key()).isNull();
                // the mail goes through a node (or entry point) of the same shard
                assertThat(shard.owns(plan.path(slot, 0).send().label())).isTrue();
            }
        }
        Set<String> all = new HashSet<>();
        config.nodes().forEach(n -> all.add(n.name()));
        config.entryPoints().forEach(e -> all.add(e.name()));
        assertThat(targetOwners.keySet()).isEqualTo(all);
        assertThat(slotOwners.keySet()).isEqualTo(plan.slots().stream().map(RoundTripPlan.Slot::key).collect(Collectors.toSet()));
        if (shards == 1) {
            assertThat(ShardPlan.of(config, Shard.ALL).view(config)).isSameAs(config);
        }
    }

    @Test
    void aCoverSlotKeepsItsSendNodeInEveryRoundSoItStaysOnOneShard() throws Exception {
        MailprobeConfig config = cluster(4, 7, "cover", 3);
        RoundTripPlan plan = new RoundTripPlan(config);
        for (RoundTripPlan.Slot slot : plan.slots()) {
            String send = plan.path(slot, 0).send().label();
            for (long round = 1; round < 20; round++) {
                assertThat(plan.path(slot, round).send().label()).isEqualTo(send);
            }
        }
    }

    @Test
    void eachShardExportsTheSeriesOfItsOwnTargetsOnly() throws Exception {
        MailprobeConfig config = cluster(6, 4, "full", 3);
        Map<String, Integer> seriesOwners = new HashMap<>();
        int total = 0;
        for (int k = 0; k < 3; k++) {
            ShardPlan shard = ShardPlan.of(config, new Shard(k, 3));
            try (MetricsRegistry registry = new MetricsRegistry("big", null, "test")) {
                new ProbeMetrics(registry.registry(), config, shard::owns);
                new RoundTripMetrics(registry.registry(), config, (RoundTripPlan.Path p) -> shard.owns(p));
                Set<String> probeTargets = registry.registry().find("mailprobe.probes").counters().stream()
                        .map(c -> c.getId().getTag("node")).collect(Collectors.toSet());
                Set<String> expected = new HashSet<>();
                shard.nodes().forEach(n -> expected.add(n.name()));
                shard.entryPoints().forEach(e -> expected.add(e.name()));
                assertThat(probeTargets).isEqualTo(expected);
                for (var c : registry.registry().find("mailprobe.roundtrips").counters()) {
                    String path = c.getId().getTag("send_node") + " -> " + c.getId().getTag("fetch_node");
                    Integer before = seriesOwners.putIfAbsent(path, k);
                    assertThat(before == null || before == k).as("round-trip series %s on two shards", path).isTrue();
                    assertThat(shard.owns(c.getId().getTag("send_node"))).isTrue();
                }
                total += probeTargets.size();
            }
        }
        assertThat(total).isEqualTo(config.nodes().size() + config.entryPoints().size());
        assertThat(seriesOwners).hasSize(new RoundTripPlan(config).allPaths().size());
    }

    @Test
    void aShardsViewListsOnlyItsTargetsAndNamesTheShard() throws Exception {
        MailprobeConfig config = cluster(6, 4, "full", 3);
        ShardPlan shard = ShardPlan.of(config, new Shard(2, 3));
        MailprobeConfig view = shard.view(config);
        assertThat(view.nodes()).isEqualTo(shard.nodes());
        assertThat(view.entryPoints()).isEqualTo(shard.entryPoints());
        assertThat(view.shard()).isEqualTo(new ShardSettings(3, 2));
        assertThat(view.roundTrip()).isEqualTo(config.roundTrip());
    }
}
