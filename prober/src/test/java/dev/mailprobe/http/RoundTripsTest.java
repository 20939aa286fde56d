package dev.mailprobe.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.probe.roundtrip.Outcome;
import dev.mailprobe.probe.roundtrip.RoundTripResult;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The round-trip matrix of {@code /api/roundtrips}: per send x fetch path the last result, the
 * count of every outcome and nearest-rank latency percentiles over the last hour.
 */
class RoundTripsTest {
    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private final RoundTrips trips = new RoundTrips(List.of("mx", "mailbox", "smtp-1", "imap-1"), Clock.fixed(NOW, ZoneOffset.UTC));

    private void trip(String send, String fetch, int secondsAgo, Outcome outcome, Integer latencyMs) {
        trips.record(new RoundTripResult("id-" + send + fetch + secondsAgo, send, fetch, "smtp-1", "imap-1",
                NOW.minusSeconds(secondsAgo), latencyMs == null ? null : Duration.ofMillis(latencyMs), outcome,
                outcome.label(), List.of()));
    }

    private JsonObject path(JsonObject json, String send, String fetch) {
        return json.getJsonArray("paths").stream().map(JsonObject.class::cast)
                .filter(p -> p.getString("send").equals(send) && p.getString("fetch").equals(fetch)).findFirst().orElseThrow();
    }

    @Test
    void countsEveryOutcomeAndTakesPercentilesOfTheMailsSeen() {
        for (int i = 1; i <= 100; i++) {
            trip("mx", "mailbox", 3000 - i * 10, Outcome.DELIVERED, i * 10);
        }
        trip("mx", "mailbox", 20, Outcome.LATE, 40_000);
        trip("mx", "mailbox", 10, Outcome.LOST, null);
        trip("mx", "mailbox", 5, Outcome.FETCH_FAILED, null);
        JsonObject p = path(trips.json(NOW), "mx", "mailbox");
        assertThat(p.getInteger("total")).isEqualTo(103);
        assertThat(p.getJsonObject("counts").getInteger("delivered")).isEqualTo(100);
        assertThat(p.getJsonObject("counts").getInteger("late")).isEqualTo(1);
        assertThat(p.getJsonObject("counts").getInteger("lost")).isEqualTo(1);
        assertThat(p.getJsonObject("counts").getInteger("fetch_failed")).isEqualTo(1);
        assertThat(p.getJsonObject("counts").getInteger("send_failed")).isZero();
        JsonObject pct = p.getJsonObject("latencySeconds");
        assertThat(pct.getInteger("samples")).isEqualTo(101);
        // 101 samples: 0.01 .. 1.00 and 40: p50 is the 51st, p95 the 96th, p99 the 100th
        assertThat(pct.getDouble("p50")).isEqualTo(0.51);
        assertThat(pct.getDouble("p95")).isEqualTo(0.96);
        assertThat(pct.getDouble("p99")).isEqualTo(1.0);
        assertThat(pct.getDouble("max")).isEqualTo(40.0);
        assertThat(p.getJsonObject("last").getString("result")).isEqualTo("fetch_failed");
    }

    @Test
    void resultsOlderThanTheWindowLeaveTheCountsButTheLastResultStays() {
        trip("smtp-1", "imap-1", (int) RoundTrips.WINDOW.toSeconds() + 60, Outcome.LOST, null);
        JsonObject p = path(trips.json(NOW), "smtp-1", "imap-1");
        assertThat(p.getInteger("total")).isZero();
        assertThat(p.getJsonObject("latencySeconds").getValue("p50")).isNull();
        assertThat(p.getJsonObject("last").getString("result")).isEqualTo("lost");
    }

    @Test
    void pathsAreListedInConfigurationOrder() {
        trip("smtp-1", "imap-1", 1, Outcome.DELIVERED, 5);
        trip("mx", "imap-1", 1, Outcome.DELIVERED, 5);
        trip("mx", "mailbox", 1, Outcome.DELIVERED, 5);
        JsonObject json = trips.json(NOW);
        assertThat(json.getJsonArray("sendNodes").getList()).containsExactly("mx", "smtp-1");
        assertThat(json.getJsonArray("fetchNodes").getList()).containsExactly("mailbox", "imap-1");
        assertThat(json.getJsonArray("paths").stream().map(o -> ((JsonObject) o).getString("send") + ">" + ((JsonObject) o).getString("fetch")))
                .containsExactly("mx>mailbox", "mx>imap-1", "smtp-1>imap-1");
    }
}
