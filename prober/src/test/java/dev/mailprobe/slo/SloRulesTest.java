package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.SloSpec;
import dev.mailprobe.metrics.Promtool;
import dev.mailprobe.rules.RuleFile;
import dev.mailprobe.rules.RuleGroup;
import dev.mailprobe.rules.RuleYaml;
import dev.mailprobe.rules.SloRecordingRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SLO recording rules for other periods and objectives than the shipped ones. (That the
 * shipped files are the generator's output, and promtool's checks and unit tests of every shipped
 * file, are in {@code dev.mailprobe.rules.ShippedRulesTest}.)
 */
class SloRulesTest {
    @TempDir
    Path dir;

    static Path projectRoot() {
        return Path.of(System.getProperty("mailprobe.projectRoot", "..")).toAbsolutePath().normalize();
    }

    /** The shipped recording rules, read by {@link SloAgreementTest}. */
    static Path shippedRules() {
        return projectRoot().resolve(SlothRules.SHIPPED_FILE);
    }

    @Test
    void theGeneratorHandlesThe28dOptionAndOtherObjectives() throws Exception {
        Path rules = dir.resolve("custom.rules.yml");
        RuleGroup group = SloRecordingRules.group(new SloSpec("access", 0.995, Duration.ofDays(28)));
        String yaml = RuleYaml.render(new RuleFile("custom.rules.yml", List.of(), List.of(group)));
        Files.writeString(rules, yaml);
        assertThat(yaml).contains("record: slo:sli_error:ratio_rate28d", "[28d]", "vector(1 - 0.995)", "vector(28)",
                "sloth_objective: \"99.5\"").doesNotContain("30d");
        Promtool.Outcome outcome = Promtool.run(null, "check", "rules", rules.toString());
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    }
}
