package dev.mailprobe.config;

import java.util.Objects;

/**
 * A credential read from a file or an environment variable. It never prints its value:
 * {@link #toString()} names only where it came from, so a secret cannot leak through a log line,
 * an exception message or a record's toString.
 */
public final class Secret {
    private final String value;
    private final String source;

    private Secret(String value, String source) {
        this.value = Objects.requireNonNull(value, "value");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** @param source where the value came from, e.g. {@code file /run/secrets/x} or {@code env PW} */
    public static Secret of(String value, String source) {
        return new Secret(value, source);
    }

    /** The secret itself. Call only where it goes on the wire or into a MAC. */
    public String reveal() {
        return value;
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return "Secret[" + source + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value) && s.source.equals(source);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, source);
    }
}
