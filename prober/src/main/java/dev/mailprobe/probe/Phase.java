package dev.mailprobe.probe;

/**
 * The steps of a session probe, as the {@code phase} metric label. EHLO/CAPABILITY/CAPA belong to
 * {@code greeting}; MAIL/RCPT/RSET, SELECT and STAT to {@code transaction}.
 */
public enum Phase {
    CONNECT("connect"),
    TLS("tls"),
    GREETING("greeting"),
    AUTH("auth"),
    TRANSACTION("transaction"),
    QUIT("quit"),
    TOTAL("total");

    private final String label;

    Phase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
