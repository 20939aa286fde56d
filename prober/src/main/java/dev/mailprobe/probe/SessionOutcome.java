package dev.mailprobe.probe;

/**
 * A probe result plus what the session saw of the server, for entry-point attribution.
 *
 * @param greeting    the server's greeting text (SMTP: without the code), or null if none was read
 * @param peerAddress the IP address connected to, or null if the connection failed
 */
public record SessionOutcome(ProbeResult result, String greeting, String peerAddress) {}
