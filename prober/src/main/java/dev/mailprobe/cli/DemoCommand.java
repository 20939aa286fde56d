package dev.mailprobe.cli;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.demo.DemoCluster;
import dev.mailprobe.demo.DemoOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
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
                "with fault injection, probed by mailprobe, with the status page and /metrics."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--http-port", defaultValue = "8080", paramLabel = "PORT", description = "HTTP port (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "address for HTTP and the demo mail nodes (default: ${DEFAULT-VALUE})")
    String bind;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Vertx vertx = Vertx.vertx();
        DemoCluster cluster;
        try {
            cluster = DemoCluster.start(vertx, DemoOptions.defaults().withBindAddress(bind).withHttp(bind, httpPort));
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("mailprobe demo: cannot start the demo mail cluster: " + e.getMessage());
            vertx.close();
            return 1;
        }
        MailprobeConfig config = cluster.config();
        out.println("mailprobe demo: mail cluster up on " + bind + ":");
        for (Node node : config.nodes()) {
            StringBuilder line = new StringBuilder("  " + node.name() + " ");
            node.protocols().forEach((p, e) -> line.append(' ').append(p.label()).append(':').append(e.port()));
            out.println(line);
        }
        String base = "http://" + bind + ":" + httpPort;
        out.println("  inject a fault:  curl -X POST -H 'content-type: application/json' -d '{\"mode\":\"crash\"}' "
                + base + "/demo/faults/imap-1");
        out.println("  modes: crash blackhole slow lose-mail reject none;  current faults: " + base + "/demo/faults");
        out.flush();
        return ServiceLauncher.runUntilStopped(vertx, config, bind, httpPort, cluster::mountApi,
                () -> {
                    cluster.close();
                    return Future.succeededFuture();
                }, out, spec.commandLine().getErr());
    }
}
