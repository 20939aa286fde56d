package dev.mailprobe.cli;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.mailprobe.demo.DemoConfigFile;
import dev.mailprobe.demo.SeedScenario;
import java.time.Duration;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code demo}: an embedded mail cluster (GreenMail behind one fault-injecting proxy per node),
 * probed by the same runtime as {@code run}, plus the {@code /demo/faults} API.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"Run an embedded mail cluster (smtp-1, smtp-2, imap-1, imap-2; entry points mx and mailbox)",
                "with fault injection, probed by mailprobe, with the status page and /metrics.",
                "--scenario seed replays the story: crashes that look random but follow a hidden periodic trigger."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "address for HTTP and the demo mail nodes (default: ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "where the demo keeps its store and writes demo.yaml for `probe` and `report` (default: a new temp dir)")
    Path stateDir;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "seed: replay the story: crashes on random-looking nodes, really triggered by a hidden periodic job")
    String scenario;

    @Override
    public Integer call() {
        if (scenario != null && !scenario.equals("seed")) {
            spec.commandLine().getErr().println("mailprobe demo: unknown scenario '" + scenario + "' (known: seed)");
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        Path dir;
        try {
            dir = stateDir != null ? Files.createDirectories(stateDir) : Files.createTempDirectory("mailprobe-demo-");
        } catch (IOException e) {
            spec.commandLine().getErr().println("mailprobe demo: cannot create the state directory: " + e.getMessage());
            return 1;
        }
        Vertx vertx = Vertx.vertx();
        DemoCluster cluster;
        Path configFile;
        try {
            DemoOptions options = DemoOptions.defaults().withBindAddress(bind).withHttp(bind, httpPort)
                    .withStorePath(dir.resolve("mailprobe.db"));
            if (scenario != null) {
                // onsets are timed by the first failed probe: probe often so the trigger's phase stays sharp
                options = options.withProbeInterval(Duration.ofSeconds(2));
            }
            cluster = DemoCluster.start(vertx, options);
            configFile = DemoConfigFile.write(cluster.config(), dir);
        } catch (RuntimeException | IOException e) {
            spec.commandLine().getErr().println("mailprobe demo: cannot start the demo mail cluster: " + e.getMessage());
            vertx.close();
            return 1;
        }
        MailprobeConfig config = cluster.config();
        out.println("mailprobe demo: mail cluster up on " + bind + ":");
        for (Node node : config.nodes()) {
            StringBuilder line = new StringBuilder("  " + node.name() + " ");
            for (Protocol p : Protocol.values()) {
                if (node.protocols().containsKey(p)) {
                    line.append(' ').append(p.label()).append(':').append(node.protocols().get(p).port());
                }
            }
            out.println(line);
        }
        String base = "http://" + bind + ":" + httpPort;
        out.println("  inject a fault:  curl -X POST -H 'content-type: application/json' -d '{\"mode\":\"crash\"}' "
                + base + "/demo/faults/imap-1");
        out.println("  modes: crash blackhole slow lose-mail reject none;  current faults: " + base + "/demo/faults");
        out.println("  this demo as a config file (for `probe --config` and `report --config`): " + configFile);
        SeedScenario seed = null;
        if (scenario != null) {
            seed = new SeedScenario(vertx, cluster.faults(), SeedScenario.Settings.story());
            seed.start();
            out.println("  scenario seed: nodes will crash now and then, at random-looking times. After ~15 minutes, ask why:");
            out.println("    java -jar prober/target/mailprobe.jar report --config " + configFile + " --since 1h");
        }
        out.flush();
        SeedScenario running = seed;
        return ServiceLauncher.runUntilStopped(vertx, config, bind, httpPort, cluster::mountApi,
                () -> {
                    if (running != null) {
                        running.stop();
                    }
                    cluster.close();
                    return Future.succeededFuture();
                }, out, spec.commandLine().getErr());
    }
}
