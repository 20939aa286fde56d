package dev.mailprobe.health.pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReliabilityStatsTest {
    private static Instant at(String s) {
        return Instant.parse(s);
    }

    /**
     * Window 2024-01-01 .. 2024-01-11 = 10 days = 864,000 s; nodes a, b, c.
     * <pre>
     * a: 01-02 00:00-01:00 (3600), 01-04 12:00-12:30 (1800), 01-10 18:00 open (21600 up to now)
     *    -> 3 failures, downtime 27000, uptime 837000, MTBF 279000, MTTR (3600+1800)/2 = 2700
     * b: 12-31 23:00 - 01-01 02:00 (began before the window: 7200 s downtime in it, not a failure of it),
     *    01-05 10:00-10:10 (600)
     *    -> 1 failure, downtime 7800, uptime 856200, MTBF 856200, MTTR 600
     * c: no outage -> 0, 0, null, null
     * all: 4 failures, downtime 34800, uptime 3*864000 - 34800 = 2557200, MTBF 639300,
     *      MTTR (3600+1800+600)/3 = 2000
     * </pre>
     */
    @Test
    void handComputedExampleWithAnOpenOutage() {
        List<Outage> outages = List.of(
                new Outage("a", at("2024-01-02T00:00:00Z"), at("2024-01-02T01:00:00Z"), "refused"),
                new Outage("a", at("2024-01-04T12:00:00Z"), at("2024-01-04T12:30:00Z"), "timeout"),
                new Outage("a", at("2024-01-10T18:00:00Z"), null, "refused"),
                new Outage("b", at("2023-12-31T23:00:00Z"), at("2024-01-01T02:00:00Z"), "refused"),
                new Outage("b", at("2024-01-05T10:00:00Z"), at("2024-01-05T10:10:00Z"), "refused"),
                new Outage("b", at("2023-12-20T10:00:00Z"), at("2023-12-20T10:10:00Z"), "before the window"),
                new Outage("c", at("2024-01-12T10:00:00Z"), null, "after now"));
        ReliabilityStats s = ReliabilityStats.compute(outages, List.of("a", "b", "c"),
                at("2024-01-01T00:00:00Z"), at("2024-01-11T00:00:00Z"));

        assertThat(s.nodes()).extracting(ReliabilityStats.NodeStats::node).containsExactly("a", "b", "c");
        assertThat(s.node("a")).isEqualTo(new ReliabilityStats.NodeStats("a", 3, 27000.0, 279000.0, 2700.0));
        assertThat(s.node("b")).isEqualTo(new ReliabilityStats.NodeStats("b", 1, 7800.0, 856200.0, 600.0));
        assertThat(s.node("c")).isEqualTo(new ReliabilityStats.NodeStats("c", 0, 0.0, null, null));
        assertThat(s.overall()).isEqualTo(new ReliabilityStats.NodeStats("*", 4, 34800.0, 639300.0, 2000.0));
    }

    @Test
    void overlappingOutagesOfOneNodeAreNotDoubleCountedAndUnknownNodesAreAdded() {
        List<Outage> outages = List.of(
                new Outage("x", at("2024-01-01T10:00:00Z"), at("2024-01-01T10:10:00Z"), "refused"),
                new Outage("x", at("2024-01-01T10:05:00Z"), at("2024-01-01T10:20:00Z"), "timeout"),
                new Outage("x", at("2024-01-01T10:20:00Z"), at("2024-01-01T10:21:00Z"), "timeout"));
        ReliabilityStats s = ReliabilityStats.compute(outages, List.of(), at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"));
        ReliabilityStats.NodeStats x = s.node("x");
        assertThat(x.downEvents()).isEqualTo(3);
        assertThat(x.downtimeSeconds()).isEqualTo(21 * 60.0);
        assertThat(x.mtbfSeconds()).isCloseTo((86400 - 1260) / 3.0, within(1e-9));
        assertThat(x.mttrSeconds()).isCloseTo((600 + 900 + 60) / 3.0, within(1e-9));
    }

    @Test
    void openOutageEndingAfterNowIsOpenAtNow() {
        List<Outage> outages = List.of(new Outage("a", at("2024-01-01T23:00:00Z"), at("2024-01-02T01:00:00Z"), "refused"));
        ReliabilityStats s = ReliabilityStats.compute(outages, List.of("a"), at("2024-01-01T00:00:00Z"), at("2024-01-02T00:00:00Z"));
        assertThat(s.node("a").downtimeSeconds()).isEqualTo(3600.0);
        assertThat(s.node("a").mttrSeconds()).isNull();
        assertThat(s.node("a").mtbfSeconds()).isEqualTo(82800.0);
    }

    @Test
    void rejectsInvertedIntervals() {
        assertThatThrownBy(() -> new Outage("a", at("2024-01-02T00:00:00Z"), at("2024-01-01T00:00:00Z"), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReliabilityStats.compute(List.of(), List.of(), at("2024-01-02T00:00:00Z"), at("2024-01-01T00:00:00Z")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
