package dev.mailprobe.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.config.MailprobeConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The optional {@code health:} section (its error rules are fixtures in config/invalid-health-*.yaml). */
class HealthConfigTest {
    private static final String NODES = """
            nodes:
              - name: smtp-1
                host: 127.0.0.11
                protocols: {smtp: {}}
            """;

    private static HealthSettings load(String yaml) throws Exception {
        MailprobeConfig c = ConfigLoader.parse(NODES + yaml, Path.of("."), name -> null);
        return c.health();
    }

    @Test
    void absentMeansTheDefaults() throws Exception {
        assertThat(load("")).isEqualTo(HealthSettings.DEFAULTS);
        assertThat(HealthSettings.DEFAULTS).isEqualTo(new HealthSettings(1, 2, new HealthSettings.Window(3, 5), 2,
                new HealthSettings.FlapDamping(3, Duration.ofHours(1), 6)));
    }

    @Test
    void everyKeyIsRead() throws Exception {
        assertThat(load("""
                health:
                  failuresToSuspect: 2
                  failuresToDown: 3
                  window: {failures: 4, of: 10}
                  successesToUp: 3
                  flapDamping: {downs: 4, within: 2h, successesToUp: 10}
                """)).isEqualTo(new HealthSettings(2, 3, new HealthSettings.Window(4, 10), 3,
                new HealthSettings.FlapDamping(4, Duration.ofHours(2), 10)));
    }

    @Test
    void unsetKeysKeepTheirDefaults() throws Exception {
        assertThat(load("health: {failuresToDown: 3}\n"))
                .isEqualTo(new HealthSettings(1, 3, HealthSettings.DEFAULTS.window(), 2, HealthSettings.DEFAULTS.flapDamping()));
    }

    @Test
    void windowAndFlapDampingCanBeTurnedOff() throws Exception {
        HealthSettings s = load("health: {window: off, flapDamping: false}\n");
        assertThat(s.window()).isNull();
        assertThat(s.flapDamping()).isNull();
        assertThat(s.failuresToDown()).isEqualTo(2);
    }

    @Test
    void codeBuiltConfigsGetTheDefaults() {
        assertThat(dev.mailprobe.config.ConfigFixtures.small(Path.of("x.db")).health()).isEqualTo(HealthSettings.DEFAULTS);
    }
}
