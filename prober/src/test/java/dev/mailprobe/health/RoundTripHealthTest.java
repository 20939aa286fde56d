package dev.mailprobe.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.probe.roundtrip.Outcome;
import dev.mailprobe.probe.roundtrip.RoundTripResult;
import dev.mailprobe.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mail a node accepts and never delivers takes it DOWN with reason "lost"; delivered mail heals it. */
class RoundTripHealthTest {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    static RoundTripResult rt(String send, String fetch, Outcome outcome, Instant at) {
        return new RoundTripResult("id-" + at.getEpochSecond(), send, fetch, send, fetch, at, null, outcome, "not seen within 10m", List.of());
    }

    @Test
    void lostMailTakesTheSendNodeDownAndDeliveredMailBringsItBack() throws Exception {
        try (Store store = Store.open(dir.resolve("h.db"))) {
            Map<String, Set<String>> checks = Map.of("smtp-1", Set.of("smtp", HealthEngine.NODE_CHECK),
                    "imap-1", Set.of("imap", HealthEngine.NODE_CHECK));
            HealthEngine health = new HealthEngine(HealthSettings.DEFAULTS, checks, new HealthEvents(store), Clock.fixed(T0, ZoneOffset.UTC));
            health.observe(rt("smtp-1", "imap-1", Outcome.LOST, T0));
            health.observe(rt("smtp-1", "imap-1", Outcome.LOST, T0.plusSeconds(60)));
            DownEvent open = health.openEvent("smtp-1").orElseThrow();
            assertThat(open.reason()).isEqualTo("lost");
            assertThat(open.start()).isEqualTo(T0);
            assertThat(open.evidence().error()).contains("accepted and never seen");
            assertThat(health.openEvent("imap-1")).isEmpty();

            health.observe(rt("smtp-1", "imap-1", Outcome.DELIVERED, T0.plusSeconds(120)));
            health.observe(rt("smtp-1", "imap-1", Outcome.DELIVERED, T0.plusSeconds(180)));
            assertThat(health.openEvent("smtp-1")).isEmpty();
            assertThat(health.events().events(java.util.Optional.of("smtp-1"), Instant.EPOCH, java.util.Optional.empty()).get(0).end())
                    .isEqualTo(T0.plusSeconds(120));
        }
    }

    @Test
    void entryPointPathsAndOtherOutcomesAreLeftToTheSessionProbes() throws Exception {
        try (Store store = Store.open(dir.resolve("h2.db"))) {
            Map<String, Set<String>> checks = Map.of("smtp-1", Set.of(HealthEngine.NODE_CHECK), "imap-1", Set.of(HealthEngine.NODE_CHECK));
            HealthEngine health = new HealthEngine(HealthSettings.DEFAULTS, checks, new HealthEvents(store), Clock.fixed(T0, ZoneOffset.UTC));
            for (int i = 0; i < 5; i++) {
                health.observe(rt("mx", "mailbox", Outcome.LOST, T0.plusSeconds(i)));
                health.observe(rt("smtp-1", "imap-1", Outcome.SEND_FAILED, T0.plusSeconds(i)));
                health.observe(rt("smtp-1", "imap-1", Outcome.FETCH_FAILED, T0.plusSeconds(i)));
            }
            assertThat(health.openEvent("smtp-1")).isEmpty();
            assertThat(health.openEvent("imap-1")).isEmpty();
        }
    }

    /**
     * A shard tracks only its own nodes, and a round trip runs on the shard of its send node: mail
     * lost on the way to a fetch node of another shard still takes the send node DOWN.
     */
    @Test
    void onAShardLostMailCountsAgainstItsSendNodeWhenTheFetchNodeIsElsewhere() throws Exception {
        try (Store store = Store.open(dir.resolve("h3.db"))) {
            Map<String, Set<String>> checks = Map.of("smtp-1", Set.of("smtp", HealthEngine.NODE_CHECK));
            HealthEngine health = new HealthEngine(HealthSettings.DEFAULTS, checks, new HealthEvents(store), Clock.fixed(T0, ZoneOffset.UTC));
            health.observe(rt("smtp-1", "imap-9", Outcome.LOST, T0));
            health.observe(rt("smtp-1", "imap-9", Outcome.LOST, T0.plusSeconds(60)));
            assertThat(health.openEvent("smtp-1")).hasValueSatisfying(e -> assertThat(e.reason()).isEqualTo("lost"));
            assertThat(health.nodes()).containsExactly("smtp-1");
            health.observe(rt("smtp-1", "imap-9", Outcome.DELIVERED, T0.plusSeconds(120)));
            health.observe(rt("smtp-1", "imap-9", Outcome.DELIVERED, T0.plusSeconds(180)));
            assertThat(health.openEvent("smtp-1")).isEmpty();
        }
    }
}
