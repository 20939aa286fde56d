package dev.mailprobe.health;

import static dev.mailprobe.health.HealthFixtures.failure;
import static dev.mailprobe.health.HealthFixtures.t;
import static dev.mailprobe.health.HealthState.DOWN;
import static dev.mailprobe.health.HealthState.SUSPECT;
import static dev.mailprobe.health.HealthState.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailprobe.config.HealthSettings;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthStateMachineTest {
    private static final HealthSettings NO_WINDOW = new HealthSettings(1, 2, null, 2, null);

    private HealthStateMachine.Transition fail(HealthStateMachine m, int second) {
        return m.observe(t(second), false, failure(t(second), "refused"));
    }

    private HealthStateMachine.Transition ok(HealthStateMachine m, int second) {
        return m.observe(t(second), true, null);
    }

    @Test
    void defaultsOneFailureSuspectTwoDownTwoSuccessesUp() {
        HealthStateMachine m = new HealthStateMachine(HealthSettings.DEFAULTS);
        assertThat(m.state()).isEqualTo(UP);
        assertThat(ok(m, 0).to()).isEqualTo(UP);
        assertThat(fail(m, 30).to()).isEqualTo(SUSPECT);
        HealthStateMachine.Transition down = fail(m, 60);
        assertThat(down.wentDown()).isTrue();
        assertThat(down.onset().at()).as("onset is the first failure, not the crossing").isEqualTo(t(30));
        assertThat(down.onset().evidence().at()).isEqualTo(t(30));
        assertThat(fail(m, 90).to()).isEqualTo(DOWN);
        assertThat(ok(m, 120).to()).as("one success is not enough").isEqualTo(DOWN);
        HealthStateMachine.Transition up = ok(m, 150);
        assertThat(up.recovered()).isTrue();
        assertThat(up.recoveredAt()).as("recovery is the first success of the run").isEqualTo(t(120));
        assertThat(m.onset()).isNull();
    }

    @Test
    void aSingleFailureIsOnlySuspectAndOneSuccessClearsIt() {
        HealthStateMachine m = new HealthStateMachine(HealthSettings.DEFAULTS);
        assertThat(fail(m, 0).to()).isEqualTo(SUSPECT);
        HealthStateMachine.Transition back = ok(m, 30);
        assertThat(back.from()).isEqualTo(SUSPECT);
        assertThat(back.to()).isEqualTo(UP);
        assertThat(back.recovered()).isFalse();
    }

    @Test
    void consecutiveThresholdsAreConfigurable() {
        HealthStateMachine m = new HealthStateMachine(new HealthSettings(2, 4, null, 1, null));
        assertThat(fail(m, 0).to()).isEqualTo(UP);
        assertThat(fail(m, 1).to()).isEqualTo(SUSPECT);
        assertThat(fail(m, 2).to()).isEqualTo(SUSPECT);
        HealthStateMachine.Transition down = fail(m, 3);
        assertThat(down.to()).isEqualTo(DOWN);
        assertThat(down.onset().at()).isEqualTo(t(0));
        assertThat(ok(m, 4).recoveredAt()).as("successesToUp 1").isEqualTo(t(4));
    }

    @Test
    void aSuccessBreaksTheConsecutiveRun() {
        HealthStateMachine m = new HealthStateMachine(NO_WINDOW);
        for (int i = 0; i < 20; i += 2) {
            assertThat(fail(m, i).to()).isEqualTo(SUSPECT);
            assertThat(ok(m, i + 1).to()).isEqualTo(UP);
        }
    }

    @Test
    void kOfMCatchesAnIntermittentFailureTheRunNeverReaches() {
        HealthStateMachine m = new HealthStateMachine(HealthSettings.DEFAULTS); // 3 of the last 5
        assertThat(fail(m, 0).to()).isEqualTo(SUSPECT);
        assertThat(ok(m, 1).to()).isEqualTo(UP);
        assertThat(fail(m, 2).to()).isEqualTo(SUSPECT);
        assertThat(ok(m, 3).to()).isEqualTo(UP);
        HealthStateMachine.Transition down = fail(m, 4);
        assertThat(down.wentDown()).isTrue();
        assertThat(down.onset().at()).as("the oldest failure in the window").isEqualTo(t(0));
    }

    @Test
    void failuresSpreadWiderThanTheWindowNeverMakeItDown() {
        HealthStateMachine m = new HealthStateMachine(HealthSettings.DEFAULTS);
        int s = 0;
        for (int round = 0; round < 10; round++) {
            assertThat(fail(m, s++).to()).isEqualTo(SUSPECT);
            for (int i = 0; i < 2; i++) {
                assertThat(ok(m, s++).to()).isEqualTo(UP); // 1 failure in 3: at most 2 of any 5
            }
        }
    }

    @Test
    void kOfMOnsetIsTheOldestFailureStillInTheWindow() {
        HealthStateMachine m = new HealthStateMachine(new HealthSettings(1, 5, new HealthSettings.Window(3, 4), 1, null));
        fail(m, 0);          // F
        ok(m, 1);            // F S
        ok(m, 2);            // F S S
        ok(m, 3);            // F S S S
        fail(m, 4);          // S S S F   (the first F has left the window)
        ok(m, 5);            // S S F S
        assertThat(fail(m, 6).to()).isEqualTo(SUSPECT); // S F S F: 2 of 4
        HealthStateMachine.Transition down = fail(m, 7); // F S F F: 3 of 4
        assertThat(down.wentDown()).isTrue();
        assertThat(down.onset().at()).isEqualTo(t(4));
    }

    @Test
    void withoutAWindowAlternatingFailuresStayUp() {
        HealthStateMachine m = new HealthStateMachine(NO_WINDOW);
        for (int i = 0; i < 10; i += 2) {
            fail(m, i);
            ok(m, i + 1);
        }
        assertThat(m.state()).isEqualTo(UP);
    }

    @Test
    void theWindowIsEmptiedOnRecoverySoOldFailuresDoNotCountAgain() {
        HealthStateMachine m = new HealthStateMachine(HealthSettings.DEFAULTS);
        fail(m, 0);
        fail(m, 1);
        fail(m, 2);
        ok(m, 3);
        assertThat(ok(m, 4).recovered()).isTrue();
        // without emptying, F F F S S + F would be 3 of the last 5
        assertThat(fail(m, 5).to()).isEqualTo(SUSPECT);
    }

    @Test
    void aFailureDuringRecoveryRestartsTheCount() {
        HealthStateMachine m = new HealthStateMachine(HealthSettings.DEFAULTS);
        fail(m, 0);
        fail(m, 1);
        assertThat(ok(m, 2).to()).isEqualTo(DOWN);
        assertThat(fail(m, 3).to()).isEqualTo(DOWN);
        assertThat(ok(m, 4).to()).isEqualTo(DOWN);
        HealthStateMachine.Transition up = ok(m, 5);
        assertThat(up.recovered()).isTrue();
        assertThat(up.recoveredAt()).isEqualTo(t(4));
    }

    @Test
    void flapDampingRequiresLongerRecoveryAfterRepeatedDowns() {
        HealthSettings s = new HealthSettings(1, 2, null, 2, new HealthSettings.FlapDamping(3, Duration.ofHours(1), 5));
        HealthStateMachine m = new HealthStateMachine(s);
        int sec = 0;
        for (int flap = 1; flap <= 2; flap++) {
            fail(m, sec++);
            assertThat(fail(m, sec++).wentDown()).isTrue();
            ok(m, sec++);
            assertThat(ok(m, sec++).recovered()).as("flap " + flap + " recovers after 2").isTrue();
        }
        fail(m, sec++);
        assertThat(fail(m, sec++).wentDown()).as("third DOWN within the hour").isTrue();
        assertThat(m.flapping(t(sec))).isTrue();
        assertThat(m.successesToUp(t(sec))).isEqualTo(5);
        int firstSuccess = sec;
        for (int i = 0; i < 4; i++) {
            assertThat(ok(m, sec++).to()).as("success " + (i + 1) + " of 5").isEqualTo(DOWN);
        }
        HealthStateMachine.Transition up = ok(m, sec++);
        assertThat(up.recovered()).isTrue();
        assertThat(up.recoveredAt()).isEqualTo(t(firstSuccess));
    }

    @Test
    void flapDampingForgetsDownsOlderThanItsPeriod() {
        HealthSettings s = new HealthSettings(1, 2, null, 2, new HealthSettings.FlapDamping(2, Duration.ofMinutes(10), 4));
        HealthStateMachine m = new HealthStateMachine(s);
        fail(m, 0);
        fail(m, 1);
        ok(m, 2);
        ok(m, 3);
        // second DOWN 20 minutes later: the first is outside the 10-minute period
        fail(m, 1200);
        fail(m, 1201);
        assertThat(m.successesToUp(t(1202))).isEqualTo(2);
        ok(m, 1202);
        assertThat(ok(m, 1203).recovered()).isTrue();
        // a third one a minute later is the second within 10 minutes: damped
        fail(m, 1260);
        fail(m, 1261);
        assertThat(m.successesToUp(t(1262))).isEqualTo(4);
    }

    @Test
    void flapDampingDisabledKeepsTheNormalRecovery() {
        HealthStateMachine m = new HealthStateMachine(NO_WINDOW);
        for (int i = 0; i < 40; i += 4) {
            fail(m, i);
            fail(m, i + 1);
            ok(m, i + 2);
            assertThat(ok(m, i + 3).recovered()).isTrue();
        }
    }

    @Test
    void aResumedDownNeedsTheUsualSuccessesAndKeepsItsOnset() {
        HealthStateMachine m = new HealthStateMachine(HealthSettings.DEFAULTS);
        m.resumeDown(new HealthStateMachine.Onset(t(0), failure(t(0), "refused")));
        assertThat(m.state()).isEqualTo(DOWN);
        assertThat(m.onset().at()).isEqualTo(t(0));
        assertThat(ok(m, 100).to()).isEqualTo(DOWN);
        assertThat(ok(m, 130).recoveredAt()).isEqualTo(t(100));
    }

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new HealthSettings(3, 2, null, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthSettings(0, 2, null, 1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthSettings(1, 2, null, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthSettings.Window(4, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthSettings.FlapDamping(1, Duration.ofHours(1), 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HealthStateMachine(HealthSettings.DEFAULTS).observe(Instant.EPOCH, false, null))
                .isInstanceOf(NullPointerException.class);
    }
}
