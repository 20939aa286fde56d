package dev.mailprobe.report;

import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.MailprobeConfig;
import java.nio.file.Files;
import java.nio.file.Path;

final class ReportFixtures {
    private ReportFixtures() {}

    /** Four nodes, the default SLOs and the ps-sweep known job; the store in {@code dir}. */
    static MailprobeConfig config(Path dir) throws Exception {
        return ConfigLoader.load(file(dir, dir.resolve("s.db")));
    }

    static Path file(Path dir, Path store) throws Exception {
        Files.writeString(dir.resolve("pw"), "secret-password");
        return Files.writeString(dir.resolve("report.yaml"), """
                store: {path: %s}
                accounts:
                  probe: {username: probe@example.net, passwordFile: %s}
                nodes:
                  - {name: smtp-1, host: 10.0.0.11, protocols: {smtp: {port: 25}}}
                  - {name: smtp-2, host: 10.0.0.12, protocols: {smtp: {port: 25}}}
                  - {name: imap-1, host: 10.0.0.21, protocols: {imap: {port: 993, tls: implicit, account: probe}}}
                  - {name: imap-2, host: 10.0.0.22, protocols: {imap: {port: 993, tls: implicit, account: probe}}}
                knownJobs:
                  - {name: ps-sweep, cron: "*/15 * * * *"}
                """.formatted(store, dir.resolve("pw")));
    }
}
