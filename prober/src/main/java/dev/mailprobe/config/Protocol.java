package dev.mailprobe.config;

import java.util.Arrays;
import java.util.Optional;

/** The mail protocols mailprobe speaks; {@link #label()} is the config key and the metric label. */
public enum Protocol {
    SMTP("smtp"),
    SUBMISSION("submission"),
    IMAP("imap"),
    POP3("pop3");

    private final String label;

    Protocol(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** SMTP and submission both speak SMTP on the wire. */
    public boolean speaksSmtp() {
        return this == SMTP || this == SUBMISSION;
    }

    /** Protocols that read a mailbox (round-trip fetch side). */
    public boolean readsMailbox() {
        return this == IMAP || this == POP3;
    }

    public static Optional<Protocol> fromLabel(String label) {
        return Arrays.stream(values()).filter(p -> p.label.equals(label)).findFirst();
    }

    @Override
    public String toString() {
        return label;
    }
}
