package dev.mailprobe.config;

import java.util.Objects;

/**
 * One problem found in a configuration: where ({@code nodes[1].protocols.imap.port}, or
 * {@code line 3, column 5} for YAML syntax errors) and what is wrong. Messages never contain a
 * secret value.
 */
public record ConfigError(String path, String message) {
    public ConfigError {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code path: message}, e.g. {@code nodes[1].protocols.imap.port: 70000 is not a port (1-65535)}. */
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
