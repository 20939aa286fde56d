package dev.mailprobe.cli;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.EntryPointProber;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.ProbeTarget;
import dev.mailprobe.probe.Probers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code probe --config FILE --node NAME [--protocol P]}: one probe now, for a person: the phase
 * table, the result and the redacted transcript. Exit 0 when every probe succeeded, 1 when one
 * failed, 2 on a usage or configuration error.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = {"Probe one node or entry point now and print a diagnosis: phase timings, result, TLS and the",
                "transcript with credentials redacted. Exit 0 on success, 1 on failure, 2 on a usage or config error."})
final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "the YAML configuration")
    Path config;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "a node or entry point name")
    String node;

    @Option(names = "--protocol", paramLabel = "P", description = "smtp, submission, imap or pop3 (default: all of the target's)")
    String protocol;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        MailprobeConfig cfg = CheckConfigCommand.loadOrReport(spec, config).orElse(null);
        if (cfg == null) {
            return 2;
        }
        Node n = cfg.node(node).orElse(null);
        EntryPoint ep = cfg.entryPoint(node).orElse(null);
        if (n == null && ep == null) {
            err.println("mailprobe probe: no node or entry point named '" + node + "' in " + config + " (known: "
                    + String.join(", ", names(cfg)) + ")");
            return 2;
        }
        Map<Protocol, Endpoint> endpoints = n != null ? n.protocols() : ep.protocols();
        List<Protocol> protocols = new ArrayList<>();
        if (protocol != null) {
            Protocol p = Protocol.fromLabel(protocol).orElse(null);
            if (p == null || !endpoints.containsKey(p)) {
                err.println("mailprobe probe: '" + node + "' has no protocol '" + protocol + "' (it has: "
                        + String.join(", ", endpoints.keySet().stream().map(Protocol::label).toList()) + ")");
                return 2;
            }
            protocols.add(p);
        } else {
            protocols.addAll(endpoints.keySet());
        }

        Vertx vertx = Vertx.vertx();
        Probers probers = Probers.create(vertx);
        EntryPointProber entryPoints = new EntryPointProber(cfg, probers);
        boolean allOk = true;
        try {
            for (Protocol p : protocols) {
                Future<ProbeResult> f = n != null ? probers.probe(ProbeTarget.of(n, p).withEnvelopeAddress(ProbeTarget.envelopeAddress(cfg))) : entryPoints.probe(ep, p);
                long waitSeconds = endpoints.get(p).settings().timeout().toSeconds() * Math.max(1, ep == null ? 1 : ep.via().size()) + 5;
                ProbeResult result = f.toCompletionStage().toCompletableFuture().get(waitSeconds, TimeUnit.SECONDS);
                out.print(Diagnosis.render(result, endpoints.get(p), n != null ? n.host() : ep.host()));
                out.println();
                allOk &= result.success();
            }
        } catch (Exception e) {
            err.println("mailprobe probe: " + e);
            return 1;
        } finally {
            probers.close().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(t -> null).join();
        }
        out.flush();
        return allOk ? 0 : 1;
    }

    private static List<String> names(MailprobeConfig cfg) {
        List<String> names = new ArrayList<>();
        cfg.nodes().forEach(x -> names.add(x.name()));
        cfg.entryPoints().forEach(x -> names.add(x.name()));
        return names;
    }
}
