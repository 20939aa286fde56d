package dev.mailprobe.demo;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.KnownJob;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.SloSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Writes the running demo's configuration as a YAML file (with its secrets in 0600 files beside
 * it), so that {@code mailprobe probe} and {@code mailprobe report} can be pointed at the demo like
 * at any real cluster.
 */
public final class DemoConfigFile {
    private DemoConfigFile() {}

    /** Writes {@code dir/demo.yaml} and {@code dir/secrets/*}; returns the YAML file. */
    public static Path write(MailprobeConfig config, Path dir) throws IOException {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Path password = secret(secrets.resolve("probe-password"), config.accounts().get("probe").password().reveal());
        Path tokenKey = secret(secrets.resolve("token-key"), config.roundTrip().tokenKey().reveal());
        StringBuilder y = new StringBuilder();
        y.append("# The running mailprobe demo, written by `mailprobe demo` for `probe` and `report`.\n");
        y.append("http: {bind: ").append(config.http().bind()).append(", port: ").append(config.http().port()).append("}\n");
        y.append("store: {path: ").append(config.store().path().toAbsolutePath()).append("}\n");
        y.append("probe: {interval: ").append(seconds(config.probe().interval()))
                .append(", timeout: ").append(seconds(config.probe().timeout()))
                .append(", tlsVerify: ").append(config.probe().tlsVerify()).append("}\n");
        y.append("accounts:\n  probe: {username: ").append(config.accounts().get("probe").username())
                .append(", passwordFile: ").append(password).append("}\n");
        y.append("nodes:\n");
        for (Node n : config.nodes()) {
            y.append("  - name: ").append(n.name()).append("\n    host: ").append(n.host()).append('\n');
            if (n.greetingName() != null) {
                y.append("    greetingName: ").append(n.greetingName()).append('\n');
            }
            y.append("    protocols:\n");
            protocols(y, n.protocols(), "      ");
        }
        y.append("entryPoints:\n");
        for (EntryPoint ep : config.entryPoints()) {
            y.append("  - name: ").append(ep.name()).append('\n');
            y.append("    via: [").append(String.join(", ", ep.via())).append("]\n");
            y.append("    select: ").append(ep.select().label()).append('\n');
            y.append("    protocols:\n");
            protocols(y, ep.protocols(), "      ");
        }
        var rt = config.roundTrip();
        y.append("roundTrip: {interval: ").append(seconds(rt.interval())).append(", from: ").append(rt.from())
                .append(", to: ").append(rt.to()).append(", account: probe, deliveredWithin: ").append(seconds(rt.deliveredWithin()))
                .append(", lostAfter: ").append(seconds(rt.lostAfter())).append(", tokenKeyFile: ").append(tokenKey).append("}\n");
        y.append("slos:\n");
        for (SloSpec s : config.slos()) {
            y.append("  - {name: ").append(s.name()).append(", objective: ").append(s.objective())
                    .append(", window: ").append(seconds(s.window())).append("}\n");
        }
        y.append("knownJobs:\n");
        for (KnownJob j : config.knownJobs()) {
            y.append("  - {name: ").append(j.name()).append(", cron: \"").append(j.cron()).append("\"}\n");
        }
        return Files.writeString(dir.resolve("demo.yaml"), y.toString());
    }

    private static void protocols(StringBuilder y, java.util.Map<Protocol, Endpoint> endpoints, String indent) {
        endpoints.forEach((p, e) -> {
            y.append(indent).append(p.label()).append(": {port: ").append(e.port()).append(", tls: ").append(e.tls().label());
            if (e.account() != null) {
                y.append(", account: ").append(e.account().name());
            }
            y.append("}\n");
        });
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static Path secret(Path file, String value) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        return Files.writeString(file, value);
    }
}
