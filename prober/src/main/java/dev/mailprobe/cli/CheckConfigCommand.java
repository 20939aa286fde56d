package dev.mailprobe.cli;

import dev.mailprobe.config.ConfigError;
import dev.mailprobe.config.ConfigException;
import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.ConfigSummary;
import dev.mailprobe.config.MailprobeConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code check-config FILE}: exit 0 with a one-line summary, or 1 with every problem and its field path. */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Validate a configuration file: prints a one-line summary (exit 0) or every problem with its field path (exit 1).")
final class CheckConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML configuration")
    Path file;

    @Override
    public Integer call() {
        try {
            MailprobeConfig config = ConfigLoader.load(file);
            spec.commandLine().getOut().println(file + ": ok: " + ConfigSummary.oneLine(config));
            return 0;
        } catch (ConfigException e) {
            printErrors(spec, file, e);
            return 1;
        }
    }

    /** Loads {@code file} for a command; on failure prints every problem with its field path and returns empty. */
    static java.util.Optional<MailprobeConfig> loadOrReport(CommandSpec spec, Path file) {
        try {
            return java.util.Optional.of(ConfigLoader.load(file));
        } catch (ConfigException e) {
            printErrors(spec, file, e);
            return java.util.Optional.empty();
        }
    }

    static void printErrors(CommandSpec spec, Path file, ConfigException e) {
        var err = spec.commandLine().getErr();
        err.println(file + ": " + e.errors().size() + (e.errors().size() == 1 ? " problem" : " problems"));
        for (ConfigError error : e.errors()) {
            err.println("  " + error);
        }
        err.flush();
    }
}
