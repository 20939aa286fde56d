package dev.mailprobe.config;

import java.util.Arrays;
import java.util.Optional;

/** How a protocol endpoint uses TLS: plaintext, upgraded in-band, or TLS from the first byte. */
public enum TlsMode {
    NONE("none"),
    STARTTLS("starttls"),
    IMPLICIT("implicit");

    private final String label;

    TlsMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<TlsMode> fromLabel(String label) {
        return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst();
    }

    @Override
    public String toString() {
        return label;
    }
}
