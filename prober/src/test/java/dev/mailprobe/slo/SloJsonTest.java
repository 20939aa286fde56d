package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mailprobe.config.SloSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SloJsonTest {
    static final Instant NOW = SloEngineTest.NOW;

    @Test
    void theDocumentCarriesBudgetsBurnRatesAndAttribution() {
        SloEngine engine = SloEngine.inMemory(List.of(SloEngineTest.ACCESS, new SloSpec("delivery", 0.999, Duration.ofDays(28))),
                Clock.fixed(NOW, ZoneOffset.UTC));
        SloEngineTest.feedExample(engine);
        JsonObject json = SloJson.toJson(engine.snapshot(NOW));
        // valid JSON: no NaN anywhere
        assertThat(new JsonObject(json.encode())).isEqualTo(json);
        assertThat(json.getString("at")).isEqualTo("2024-01-31T00:00:00Z");
        assertThat(json.getInteger("minEvents")).isEqualTo(10);
        JsonArray slos = json.getJsonArray("slos");
        JsonObject access = slos.getJsonObject(0);
        assertThat(access.getString("name")).isEqualTo("access");
        assertThat(access.getDouble("objective")).isEqualTo(0.99);
        assertThat(access.getString("window")).isEqualTo("30d");
        assertThat(access.getLong("windowSeconds")).isEqualTo(2_592_000L);
        assertThat(access.getJsonObject("totals")).isEqualTo(new JsonObject().put("good", 997).put("bad", 7).put("total", 1004));
        assertThat(access.getDouble("remainingBudget")).isCloseTo(1 - 7 / 10.04, within(1e-12));
        JsonObject burn5m = access.getJsonObject("burnRates").getJsonObject("5m");
        assertThat(burn5m.getValue("value")).isNull();
        assertThat(burn5m.getBoolean("meaningful")).isFalse();
        assertThat(burn5m.getDouble("errorRatio")).isEqualTo(0.125);
        JsonObject burn1h = access.getJsonObject("burnRates").getJsonObject("1h");
        assertThat(burn1h.getBoolean("meaningful")).isTrue();
        assertThat(burn1h.getDouble("value")).isCloseTo(4.0 / 21 / 0.01, within(1e-9));
        assertThat(access.getJsonObject("burnRates").fieldNames())
                .containsExactly("5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d");
        JsonObject byNode = access.getJsonObject("consumedByNode");
        assertThat(byNode.getDouble("imap-1") + byNode.getDouble("imap-2") + byNode.getDouble("unknown"))
                .isCloseTo(access.getDouble("consumed"), within(1e-9));

        JsonObject delivery = slos.getJsonObject(1);
        assertThat(delivery.getString("window")).isEqualTo("28d");
        assertThat(delivery.getValue("errorRatio")).isNull();
        assertThat(delivery.getDouble("remainingBudget")).isEqualTo(1.0);
        assertThat(delivery.getJsonObject("burnRates").getJsonObject("28d").getValue("value")).isNull();
        assertThat(delivery.getJsonObject("consumedByNode")).isEmpty();
    }

    @Test
    void perIncidentGivesTheBudgetEachDownEventBurnedOrAbsorbed() {
        SloEngine engine = SloEngine.inMemory(List.of(SloEngineTest.ACCESS, new SloSpec("submission", 0.99, Duration.ofDays(30))),
                Clock.fixed(NOW, ZoneOffset.UTC));
        SloEngineTest.feedExample(engine); // imap-2: 3 bad at NOW-10m, 5 bad in the current minute
        SloEngineTest.record(engine, "submission", NOW.minus(Duration.ofMinutes(30)), 50, 0, "smtp-1");
        JsonArray incidents = SloJson.perIncident(engine, List.of(
                new SloJson.Incident("ev-1", "imap-2", NOW.minus(Duration.ofMinutes(11)), NOW.minus(Duration.ofMinutes(9))),
                new SloJson.Incident("ev-2", "smtp-2", NOW.minus(Duration.ofMinutes(40)), NOW.minus(Duration.ofMinutes(20))),
                new SloJson.Incident("ev-3", "imap-2", NOW.minus(Duration.ofMinutes(2)), null),
                new SloJson.Incident("ev-4", "imap-9", NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(39)))), NOW);
        JsonObject visible = incidents.getJsonObject(0);
        assertThat(visible.getString("eventId")).isEqualTo("ev-1");
        assertThat(visible.getBoolean("absorbed")).isFalse();
        assertThat(visible.getJsonObject("badEvents").getLong("access")).isEqualTo(3);
        assertThat(visible.getJsonObject("budgetConsumed").getDouble("access")).isCloseTo(3 / 10.04, within(1e-12));
        assertThat(visible.getJsonObject("budgetConsumed").getDouble("submission")).isZero();
        JsonObject absorbed = incidents.getJsonObject(1);
        assertThat(absorbed.getBoolean("absorbed")).isTrue();
        assertThat(absorbed.getJsonObject("budgetConsumed").getDouble("submission")).isZero();
        JsonObject open = incidents.getJsonObject(2);
        assertThat(open.getValue("end")).isNull();
        assertThat(open.getBoolean("absorbed")).isTrue(); // the current minute is not yet counted
        JsonObject old = incidents.getJsonObject(3);
        assertThat(old.getBoolean("complete")).isFalse();
        assertThat(old.getValue("absorbed")).isNull();
    }
}
