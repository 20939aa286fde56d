package dev.mailprobe.config;

/**
 * One protocol listener of a node or entry point, with its settings already resolved.
 *
 * @param account the account to log in with, or null for no authentication
 */
public record Endpoint(
        Protocol protocol,
        int port,
        TlsMode tls,
        Account account,
        ProbeSettings settings) {}
