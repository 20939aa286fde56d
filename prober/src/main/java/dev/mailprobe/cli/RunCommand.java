package dev.mailprobe.cli;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.shard.Shard;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code run --config FILE}: production mode, until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Probe the configured mail cluster and serve /metrics, the APIs and the status page until stopped (SIGTERM).")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML configuration")
    Path config;

    @Option(names = "--shard", paramLabel = "K",
            description = "probe only shard K (0..shard.count-1) of the targets; default: shard.index, else "
                    + Shard.ENV + " (the number, or a StatefulSet pod name ending in -K)")
    Integer shard;

    @Override
    public Integer call() {
        MailprobeConfig cfg = CheckConfigCommand.loadOrReport(spec, config).orElse(null);
        if (cfg == null) {
            return 1;
        }
        Shard resolved;
        try {
            resolved = Shard.resolve(cfg.shard(), shard, System::getenv);
        } catch (Shard.ShardException e) {
            spec.commandLine().getErr().println("mailprobe: " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
        return ServiceLauncher.runUntilStopped(Vertx.vertx(), cfg, resolved, cfg.http().bind(), cfg.http().port(), router -> {},
                null, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
