package dev.mailprobe.probe.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** SASL encodings shared by the protocols, and the registration of their secrets for scrubbing. */
public final class Sasl {
    private Sasl() {}

    /** RFC 4616 PLAIN message {@code \0user\0password}, base64. */
    public static String plain(String user, String password) {
        return base64("\0" + user + "\0" + password);
    }

    public static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Registers the password and every encoding of it we may send, so none can reach the evidence. */
    public static void protect(Transcript transcript, String user, String password) {
        transcript.secret(password);
        transcript.secret(base64(password));
        transcript.secret(plain(user, password));
    }
}
