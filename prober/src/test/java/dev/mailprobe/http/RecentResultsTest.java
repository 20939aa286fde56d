package dev.mailprobe.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An entry point's state comes from its recent results: up when none failed in the last five
 * minutes, degraded when some did (one dead node behind round-robin), down when the newest three
 * all failed.
 */
class RecentResultsTest {
    private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
    private final RecentResults recent = new RecentResults();

    private void probe(int secondsAfterT0, boolean ok) {
        recent.record(new ProbeResult("mailbox", true, Protocol.IMAP, "imap-1", T0.plusSeconds(secondsAfterT0), ok,
                ok ? null : FailureReason.REFUSED, ok ? null : Phase.CONNECT, Map.of(Phase.TOTAL, Duration.ofMillis(5)),
                0, null, null, List.of(), ok ? null : "connection refused"));
    }

    private RecentResults.Summary at(int secondsAfterT0) {
        return recent.summary("mailbox", Protocol.IMAP, T0.plusSeconds(secondsAfterT0)).orElseThrow();
    }

    @Test
    void nothingIsKnownBeforeTheFirstProbe() {
        assertThat(recent.summary("mailbox", Protocol.IMAP, T0)).isEmpty();
    }

    @Test
    void allGoodIsUp() {
        for (int s = 0; s < 60; s += 5) {
            probe(s, true);
        }
        assertThat(at(60).state()).isEqualTo(RecentResults.State.UP);
        assertThat(at(60).total()).isEqualTo(12);
    }

    @Test
    void everyOtherProbeFailingIsDegradedEvenWhenTheLastSucceeded() {
        for (int s = 0; s < 60; s += 5) {
            probe(s, s % 10 == 0);
        }
        probe(60, true);
        RecentResults.Summary summary = at(61);
        assertThat(summary.state()).isEqualTo(RecentResults.State.DEGRADED);
        assertThat(summary.failed()).isEqualTo(6);
        assertThat(summary.lastReason()).isEqualTo("refused");
        assertThat(summary.lastFailure()).isEqualTo(T0.plusSeconds(55));
    }

    @Test
    void threeNewestFailedIsDown() {
        probe(0, true);
        probe(5, false);
        probe(10, false);
        assertThat(at(11).state()).as("two failures: not yet down").isEqualTo(RecentResults.State.DEGRADED);
        probe(15, false);
        assertThat(at(16).state()).isEqualTo(RecentResults.State.DOWN);
    }

    @Test
    void aFailureOlderThanTheWindowNoLongerCounts() {
        probe(0, false);
        probe(10, true);
        assertThat(at(11).state()).isEqualTo(RecentResults.State.DEGRADED);
        assertThat(at(10 + (int) RecentResults.WINDOW.toSeconds() - 5).state()).isEqualTo(RecentResults.State.UP);
    }

    @Test
    void theNewestResultIsKeptWhenProbesStopped() {
        probe(0, false);
        RecentResults.Summary s = at(3600);
        assertThat(s.total()).isEqualTo(1);
        assertThat(s.state()).isEqualTo(RecentResults.State.DOWN);
    }

    @Test
    void theWorstStateWins() {
        probe(0, false);
        probe(5, true);
        RecentResults.Summary degraded = at(6);
        assertThat(RecentResults.worst(List.of(degraded))).contains(RecentResults.State.DEGRADED);
        assertThat(RecentResults.worst(List.of())).isEmpty();
    }

    @Test
    void memoryStaysBoundedPerTarget() {
        for (int s = 0; s < 1000; s++) {
            probe(s / 10, true);
        }
        assertThat(at(100).total()).isEqualTo(RecentResults.MAX_KEPT);
    }
}
