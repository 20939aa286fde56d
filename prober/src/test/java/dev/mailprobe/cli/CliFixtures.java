package dev.mailprobe.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

final class CliFixtures {
    private CliFixtures() {}

    /** A valid one-node config whose store lives in {@code dir}; the node's ports are closed. */
    static Path validConfig(Path dir, int httpPort) throws IOException {
        Path secret = Files.writeString(dir.resolve("probe-password"), "pw-not-in-output\n");
        Path file = dir.resolve("mailprobe.yaml");
        Files.writeString(file, """
                http: {bind: 127.0.0.1, port: %d}
                store: {path: %s}
                probe: {interval: 2s, timeout: 1s}
                accounts:
                  probe: {username: probe@example.net, passwordFile: %s}
                nodes:
                  - name: smtp-1
                    host: 127.0.0.1
                    protocols:
                      smtp: {port: %d, tls: none}
                """.formatted(httpPort, dir.resolve("mailprobe.db"), secret, closedPort()));
        return file;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A port nothing listens on (freed right away; good enough for a refused connection). */
    static int closedPort() throws IOException {
        return freePort();
    }
}
