package dev.mailprobe.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.SloSpec;
import dev.mailprobe.metrics.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped rules are the generator's output, pass promtool's checks and its unit tests. */
class SloRulesTest {
    @TempDir
    Path dir;

    static Path projectRoot() {
        return Path.of(System.getProperty("mailprobe.projectRoot", "..")).toAbsolutePath().normalize();
    }

    static Path shippedRules() {
        return projectRoot().resolve(SlothRules.SHIPPED_FILE);
    }

    @Test
    void theShippedRulesAreTheGeneratorsOutputForTheDefaultSlos() throws IOException {
        String generated = SlothRules.render(SlothRules.DEFAULT_SLOS);
        if ("1".equals(System.getenv("MAILPROBE_UPDATE_RULES"))) {
            Files.writeString(shippedRules(), generated);
        }
        assertThat(Files.readString(shippedRules()))
                .as("%s is generated: rerun this test with MAILPROBE_UPDATE_RULES=1 to regenerate it", SlothRules.SHIPPED_FILE)
                .isEqualTo(generated);
    }

    @Test
    void promtoolCheckRulesPassesOnEveryRulesFile() throws Exception {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        try (Stream<Path> files = Files.list(projectRoot().resolve("alerts/rules"))) {
            files.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(p -> args.add(p.toString()));
        }
        assertThat(args).hasSizeGreaterThan(2);
        Promtool.Outcome outcome = Promtool.run(null, args.toArray(String[]::new));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("SUCCESS");
    }

    @Test
    void theGeneratorHandlesThe28dOptionAndOtherObjectives() throws Exception {
        Path rules = dir.resolve("custom.rules.yml");
        String yaml = SlothRules.render(List.of(new SloSpec("access", 0.995, Duration.ofDays(28))));
        Files.writeString(rules, yaml);
        assertThat(yaml).contains("record: slo:sli_error:ratio_rate28d", "[28d]", "vector(1 - 0.995)", "vector(28)",
                "sloth_objective: \"99.5\"").doesNotContain("30d");
        Promtool.Outcome outcome = Promtool.run(null, "check", "rules", rules.toString());
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    }

    @Test
    void thePromtoolUnitTestsOfTheRulesPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        try (Stream<Path> files = Files.list(projectRoot().resolve("alerts/tests"))) {
            files.filter(p -> p.toString().endsWith(".yml")).sorted().forEach(p -> args.add(p.toString()));
        }
        assertThat(args).hasSizeGreaterThan(2);
        Promtool.Outcome outcome = Promtool.run(null, args.toArray(String[]::new));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
    }
}
