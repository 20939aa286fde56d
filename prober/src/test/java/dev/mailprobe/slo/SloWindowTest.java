package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.SloSpec;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The windows of an SLO: the fixed burn-rate windows shorter than its period, then the period. */
class SloWindowTest {

    @Test
    void aThirtyDayPeriodHasEveryBurnWindowThenThePeriod() {
        assertThat(SloWindow.of(new SloSpec("access", 0.999, Duration.ofDays(30))))
                .extracting(SloWindow::label).containsExactly("5m", "30m", "1h", "2h", "6h", "1d", "3d", "30d");
    }

    @Test
    void aOneHourDemoPeriodKeepsOnlyTheWindowsInsideIt() {
        var windows = SloWindow.of(new SloSpec("access", 0.99, Duration.ofHours(1)));
        assertThat(windows).extracting(SloWindow::label).containsExactly("5m", "30m", "1h");
        assertThat(windows.get(2).period()).isTrue();
        assertThat(windows.get(0).period()).isFalse();
    }

    @Test
    void aPeriodBetweenFixedWindowsKeepsTheShorterOnes() {
        assertThat(SloWindow.of(new SloSpec("access", 0.99, Duration.ofHours(4))))
                .extracting(SloWindow::label).containsExactly("5m", "30m", "1h", "2h", "4h");
    }

    @Test
    void theEngineGivesBurnRatesOnlyForThoseWindows() {
        SloEngine engine = SloEngine.inMemory(java.util.List.of(new SloSpec("access", 0.99, Duration.ofHours(1))),
                java.time.Clock.systemUTC());
        assertThat(engine.snapshot(java.time.Instant.now()).slos().get(0).windows())
                .extracting(w -> w.window().label()).containsExactly("5m", "30m", "1h");
    }
}
