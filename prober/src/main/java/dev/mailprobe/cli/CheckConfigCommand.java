package dev.mailprobe.cli;

import dev.mailprobe.config.ConfigError;
import dev.mailprobe.config.ConfigException;
import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.ConfigSummary;
import dev.mailprobe.config.Durations;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.slo.LowTraffic;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code check-config [--strict] [--syntax-only] FILE}: exit 0 with a one-line summary and, per SLO,
 * what its alerts see at the configured probe rate; or 1 with every problem and its field path.
 * Warnings (one failure fires a burn-rate tier, an SLO without events) go to stderr; with
 * {@code --strict} they make the exit code 1.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"Validate a configuration file: prints a one-line summary and, per SLO, its expected events per",
                "hour and what one failure burns in each burn-rate tier (exit 0), or every problem with its field path",
                "(exit 1)."})
final class CheckConfigCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "the YAML configuration")
    Path file;

    @Option(names = "--strict", description = "warnings (e.g. one failure pages) are errors: exit 1")
    boolean strict;

    @Option(names = "--syntax-only", description = {"check keys and values without reading secret files, secret",
            "environment variables or CA files (for CI pipelines and Helm tests)"})
    boolean syntaxOnly;

    @Override
    public Integer call() {
        MailprobeConfig config;
        try {
            config = ConfigLoader.load(file, syntaxOnly);
        } catch (ConfigException e) {
            printErrors(spec, file, e);
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(file + ": ok" + (syntaxOnly ? " (syntax only: secrets and CA files not read)" : "") + ": "
                + ConfigSummary.oneLine(config));
        List<LowTraffic.SloLines> slos = LowTraffic.of(config);
        for (LowTraffic.SloLines slo : slos) {
            print(out, slo);
        }
        out.flush();
        List<String> warnings = LowTraffic.warnings(slos);
        if (warnings.isEmpty()) {
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        warnings.forEach(w -> err.println("warning: " + w));
        err.println(file + ": " + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings")
                + (strict ? " (--strict: failing)" : ""));
        err.flush();
        return strict ? 1 : 0;
    }

    private static void print(PrintWriter out, LowTraffic.SloLines slo) {
        String objective = BigDecimal.valueOf(slo.spec().objective()).movePointRight(2).stripTrailingZeros().toPlainString();
        out.println("SLO " + slo.spec().name() + " (" + objective + "% over " + Durations.format(slo.spec().window())
                + "): " + LowTraffic.number(slo.rate().eventsPerHour()) + " events/h expected"
                + (slo.rate().sources().isEmpty() ? "" : " (" + String.join(", ", slo.rate().sources()) + ")"));
        for (LowTraffic.TierLine t : slo.tiers()) {
            StringBuilder line = new StringBuilder("  ").append(String.format("%-10s", t.tier().name()))
                    .append(t.threshold()).append("x over ").append(Durations.format(t.tier().longWindow()))
                    .append(" and ").append(Durations.format(t.tier().shortWindow())).append(": ")
                    .append(LowTraffic.number(t.eventsInLong())).append(" events in ")
                    .append(Durations.format(t.tier().longWindow())).append(", one failure burns ")
                    .append(LowTraffic.number(t.oneFailureBurn())).append("x; guard ").append(t.minEvents())
                    .append(t.minEvents() == 1 ? " event" : " events");
            if (t.oneFailureFires()) {
                line.append(": ONE FAILURE ").append(t.tier().page() ? "PAGES" : "OPENS A TICKET");
            } else if (t.guarded()) {
                line.append(": fewer events than the guard, this tier stays silent at this rate");
            }
            out.println(line);
        }
    }

    /** Loads {@code file} for a command; on failure prints every problem with its field path and returns empty. */
    static java.util.Optional<MailprobeConfig> loadOrReport(CommandSpec spec, Path file) {
        return loadOrReport(spec, file, false);
    }

    /** As {@link #loadOrReport(CommandSpec, Path)}; {@code syntaxOnly} as in {@link ConfigLoader#load(Path, boolean)}. */
    static java.util.Optional<MailprobeConfig> loadOrReport(CommandSpec spec, Path file, boolean syntaxOnly) {
        try {
            return java.util.Optional.of(ConfigLoader.load(file, syntaxOnly));
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
