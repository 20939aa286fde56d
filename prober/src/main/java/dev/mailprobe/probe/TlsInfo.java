package dev.mailprobe.probe;

import java.time.Instant;

/**
 * What a TLS handshake established.
 *
 * @param verified false when the endpoint is configured with {@code tlsVerify: false}
 * @param certificateNotAfter expiry of the server's leaf certificate, or null if none was seen
 */
public record TlsInfo(String version, String cipher, Instant certificateNotAfter, boolean verified) {}
