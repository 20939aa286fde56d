package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.AlertingSettings;
import dev.mailprobe.config.SloSpec;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SRE workbook's tiers, their thresholds for any SLO period, and the low-traffic guard. */
class BurnTierTest {
    static final SloSpec DEFAULT = new SloSpec("access", 0.999, Duration.ofDays(30));

    static List<String> factors(Duration period) {
        return BurnTier.of(period).stream().map(t -> t.factor(period).toPlainString()).toList();
    }

    @Test
    void aThirtyDayPeriodHasTheWorkbooksThresholdsAndWindows() {
        assertThat(BurnTier.of(Duration.ofDays(30))).extracting(BurnTier::name).isEqualTo(AlertingSettings.TIERS);
        assertThat(factors(Duration.ofDays(30))).containsExactly("14.4", "6", "3", "1");
        assertThat(BurnTier.ALL).extracting(t -> t.longWindow() + "/" + t.shortWindow())
                .containsExactly("PT1H/PT5M", "PT6H/PT30M", "PT24H/PT2H", "PT72H/PT6H");
        assertThat(BurnTier.ALL).extracting(BurnTier::severity).containsExactly("page", "page", "ticket", "ticket");
        assertThat(BurnTier.ALL).extracting(BurnTier::alertSeverity).containsExactly("critical", "critical", "warning", "warning");
    }

    @Test
    void otherPeriodsKeepTheBudgetSharesLikeSlothAndNeverGoBelowOne() {
        // Sloth's 28d: 13.44, 5.6, 2.8 (its 0.9333 is 1 here: under 1 the budget cannot run out)
        assertThat(factors(Duration.ofDays(28))).containsExactly("13.44", "5.6", "2.8", "1");
        assertThat(factors(Duration.ofDays(7))).containsExactly("3.36", "1.4", "1", "1");
        // a short period (a demo's 1h): only the tier whose long window fits, at 1x
        assertThat(BurnTier.of(Duration.ofHours(1))).extracting(BurnTier::name).containsExactly("page-1h");
        assertThat(factors(Duration.ofHours(1))).containsExactly("1");
        assertThat(BurnTier.of(Duration.ofHours(12))).extracting(BurnTier::name).containsExactly("page-1h", "page-6h");
        assertThat(factors(Duration.ofDays(90))).containsExactly("43.2", "18", "9", "3");
    }

    @Test
    void theErrorBudgetIsAnExactDecimal() {
        assertThat(BurnTier.errorBudget(0.999)).isEqualByComparingTo(new BigDecimal("0.001"));
        assertThat(BurnTier.errorBudget(0.9995).toPlainString()).isEqualTo("0.0005");
        assertThat(BurnTier.errorBudget(0.99).toPlainString()).isEqualTo("0.01");
    }

    @Test
    void theDefaultGuardIsTheFewestEventsAtWhichOneFailureCannotFireTheTier() {
        assertThat(BurnTier.ALL).extracting(t -> t.defaultMinEvents(DEFAULT)).containsExactly(70L, 167L, 334L, 1000L);
        for (BurnTier t : BurnTier.ALL) {
            long n = t.defaultMinEvents(DEFAULT);
            double threshold = t.factor(DEFAULT.window()).doubleValue();
            assertThat(BurnTier.oneFailureBurn(n, 0.999)).as(t.name()).isLessThanOrEqualTo(threshold);
            assertThat(BurnTier.oneFailureBurn(n - 1, 0.999)).as(t.name()).isGreaterThan(threshold);
        }
        assertThat(BurnTier.ALL.get(0).defaultMinEvents(new SloSpec("access", 0.99, Duration.ofHours(1)))).isEqualTo(100);
    }

    @Test
    void theSlosOwnGuardWinsOverTheGlobalOneWhichWinsOverTheDefault() {
        BurnTier page = BurnTier.ALL.get(0);
        SloSpec own = new SloSpec("access", 0.999, Duration.ofDays(30), Map.of("page-1h", 5));
        assertThat(page.minEvents(own, Map.of("page-1h", 50))).isEqualTo(5);
        assertThat(page.minEvents(DEFAULT, Map.of("page-1h", 50))).isEqualTo(50);
        assertThat(page.minEvents(DEFAULT, Map.of("page-6h", 50))).isEqualTo(70);
    }

    @Test
    void oneLostMailAnHourPagesOnlyWhenTheGuardLetsItThrough() {
        BurnTier page = BurnTier.ALL.get(0);
        // one round trip a minute at 99.9 %: 1/60 = 16.7x over the hour, above 14.4
        assertThat(BurnTier.oneFailureBurn(BurnTier.eventsIn(Duration.ofHours(1), 60), 0.999)).isCloseTo(16.67, org.assertj.core.data.Offset.offset(0.01));
        assertThat(page.oneFailureFires(DEFAULT, 60, 70)).as("default guard: 60 < 70 events").isFalse();
        assertThat(page.oneFailureFires(DEFAULT, 60, 10)).as("a guard of 10 lets it page").isTrue();
        assertThat(page.oneFailureFires(DEFAULT, 120, 10)).as("at 120 an hour one failure is 8.3x").isFalse();
    }
}
