package dev.mailprobe.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.metrics.Promtool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code alerts/rules/} is exactly {@code mailprobe rules --config example.yaml --out alerts/rules}
 * (one source of truth: regenerate with {@code MAILPROBE_UPDATE_RULES=1 mvn -o test
 * -Dtest=ShippedRulesTest}), and every file passes {@code promtool check rules}; the promtool unit
 * tests under {@code alerts/tests/} pass.
 */
class ShippedRulesTest {

    @Test
    void alertsRulesHoldsExactlyTheGeneratorsOutputForTheExampleConfig() throws Exception {
        Map<String, String> generated = new TreeMap<>();
        for (RuleFile f : RulesGenerator.files(ShippedRules.example(), "example.yaml")) {
            generated.put(f.fileName(), RuleYaml.render(f));
        }
        if ("1".equals(System.getenv("MAILPROBE_UPDATE_RULES"))) {
            try (Stream<Path> old = Files.list(ShippedRules.rulesDir())) {
                for (Path p : old.filter(p -> p.toString().endsWith(".yml")).toList()) {
                    Files.delete(p);
                }
            }
            for (Map.Entry<String, String> e : generated.entrySet()) {
                Files.writeString(ShippedRules.rulesDir().resolve(e.getKey()), e.getValue());
            }
        }
        Map<String, String> shipped = new TreeMap<>();
        try (Stream<Path> files = Files.list(ShippedRules.rulesDir())) {
            for (Path p : files.toList()) {
                shipped.put(p.getFileName().toString(), Files.readString(p));
            }
        }
        assertThat(shipped.keySet()).as("files under alerts/rules/").isEqualTo(generated.keySet());
        generated.forEach((name, yaml) -> assertThat(shipped.get(name))
                .as("alerts/rules/%s is generated: rerun this test with MAILPROBE_UPDATE_RULES=1 to regenerate it", name)
                .isEqualTo(yaml));
    }

    @Test
    void promtoolCheckRulesPassesOnEveryShippedFile() throws Exception {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        args.addAll(ymlFiles(ShippedRules.rulesDir()));
        assertThat(args).hasSize(2 + 4);
        Promtool.Outcome outcome = Promtool.run(null, args.toArray(String[]::new));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).contains("SUCCESS").doesNotContain("FAILED");
    }

    @Test
    void thePromtoolUnitTestsOfTheShippedRulesPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        args.addAll(ymlFiles(ShippedRules.testsDir()));
        assertThat(args).hasSizeGreaterThan(3);
        Promtool.Outcome outcome = Promtool.run(null, args.toArray(String[]::new));
        assertThat(outcome.exitCode()).as(outcome.output()).isZero();
        assertThat(outcome.output()).doesNotContain("FAILED");
    }

    static List<String> ymlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yml")).map(Path::toString).sorted().toList();
        }
    }
}
