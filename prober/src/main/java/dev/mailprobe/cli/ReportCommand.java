package dev.mailprobe.cli;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.health.DownEvent;
import dev.mailprobe.health.HealthEvents;
import dev.mailprobe.report.CrashReport;
import dev.mailprobe.report.CrashReportBuilder;
import dev.mailprobe.report.CrashReportJson;
import dev.mailprobe.report.CrashReportText;
import dev.mailprobe.slo.SloEngine;
import dev.mailprobe.store.ProberRuns;
import dev.mailprobe.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code report --config FILE [--since 7d] [--format text|json]}: what the store remembers, and what it means. */
@Command(name = "report", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"Read the store: DOWN events per node, MTBF and MTTR, budget burned per incident, and a",
                "crash-pattern analysis (hour/weekday histograms, periodicity search, alignment with known jobs)."})
final class ReportCommand implements Callable<Integer> {
    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML configuration (its store is read)")
    Path config;

    @Option(names = "--since", defaultValue = "7d", paramLabel = "WHEN",
            description = "a duration back from now (7d, 12h) or an RFC 3339 time (default: ${DEFAULT-VALUE})")
    String since;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT", description = "text or json (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() {
        MailprobeConfig cfg = CheckConfigCommand.loadOrReport(spec, config).orElse(null);
        if (cfg == null) {
            return 2;
        }
        Instant now = Instant.now();
        Instant from;
        try {
            from = ReportSince.parse(since, now);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("mailprobe report: --since: " + e.getMessage());
            return 2;
        }
        Path storePath = cfg.store().path();
        if (!Files.exists(storePath)) {
            spec.commandLine().getErr().println("mailprobe report: no store at " + storePath
                    + " (store.path of " + config + "): has mailprobe run with this config?");
            return 1;
        }
        try (Store store = Store.open(storePath)) {
            HealthEvents events = new HealthEvents(store);
            SloEngine slo = new SloEngine(cfg.slos(), store, Clock.systemUTC());
            // uptime before mailprobe first watched is not uptime anyone saw
            Instant firstRun = new ProberRuns(store).firstStart().orElse(from);
            if (firstRun.isAfter(from)) {
                from = firstRun;
            }
            List<DownEvent> down = events.events(Optional.empty(), from, Optional.empty());
            CrashReport report = CrashReportBuilder.build(cfg, down, slo, from, now);
            spec.commandLine().getOut().print(format == Format.json
                    ? CrashReportJson.toJson(report).encodePrettily() + "\n"
                    : CrashReportText.render(report));
            spec.commandLine().getOut().flush();
            return 0;
        } catch (Store.StoreException e) {
            spec.commandLine().getErr().println("mailprobe report: " + e.getMessage());
            return 1;
        }
    }
}
