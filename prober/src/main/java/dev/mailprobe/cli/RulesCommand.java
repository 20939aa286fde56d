package dev.mailprobe.cli;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.rules.RuleFile;
import dev.mailprobe.rules.RuleYaml;
import dev.mailprobe.rules.RulesGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rules --config FILE [--out DIR]}: the Prometheus recording and alerting rules of a config.
 * Without {@code --out}, one rule file with every group on stdout; with it, the files of
 * {@code alerts/rules/} written into DIR. The config is read with syntax only: generating rules
 * needs no secret and no CA file.
 */
@Command(name = "rules", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"Generate the Prometheus recording and alerting rules of a config (SLO burn-rate alerts,",
                "node, TLS and monitor alerts): one rule file on stdout, or the alerts/rules/ files into --out DIR."})
final class RulesCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML configuration")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "write one file per concern into DIR (created if missing)")
    Path out;

    @Override
    public Integer call() {
        MailprobeConfig cfg = CheckConfigCommand.loadOrReport(spec, config, true).orElse(null);
        if (cfg == null) {
            return 1;
        }
        String source = config.getFileName().toString();
        PrintWriter stdout = spec.commandLine().getOut();
        if (out == null) {
            stdout.print(RuleYaml.render(RulesGenerator.combined(cfg, source)));
            stdout.flush();
            return 0;
        }
        try {
            Files.createDirectories(out);
            for (RuleFile f : RulesGenerator.files(cfg, source)) {
                Path target = out.resolve(f.fileName());
                Path tmp = out.resolve("." + f.fileName() + ".tmp");
                Files.writeString(tmp, RuleYaml.render(f));
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                stdout.println("wrote " + target + " (" + f.rules().size() + " rules)");
            }
        } catch (IOException e) {
            spec.commandLine().getErr().println("mailprobe rules: cannot write into " + out + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
            return 1;
        }
        stdout.flush();
        return 0;
    }
}
