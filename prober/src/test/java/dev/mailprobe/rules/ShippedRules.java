package dev.mailprobe.rules;

import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.MailprobeConfig;
import java.nio.file.Path;

/** Where the shipped rules, their promtool tests, the runbooks and the example config live. */
final class ShippedRules {
    private ShippedRules() {}

    static Path projectRoot() {
        return Path.of(System.getProperty("mailprobe.projectRoot", "..")).toAbsolutePath().normalize();
    }

    static Path rulesDir() {
        return projectRoot().resolve("alerts/rules");
    }

    static Path testsDir() {
        return projectRoot().resolve("alerts/tests");
    }

    static Path runbooksDir() {
        return projectRoot().resolve("docs/runbooks");
    }

    static Path exampleConfig() {
        return projectRoot().resolve("prober/src/main/resources/example.yaml");
    }

    /** example.yaml, read as `mailprobe rules` reads it (syntax only: its secrets live elsewhere). */
    static MailprobeConfig example() throws Exception {
        return ConfigLoader.load(exampleConfig(), true);
    }
}
