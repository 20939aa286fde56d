package dev.mailprobe.probe;

/** The fixed set of failure reasons, as the {@code result} metric label (besides {@code success}). */
public enum FailureReason {
    REFUSED("refused"),
    TIMEOUT("timeout"),
    TLS_ERROR("tls_error"),
    AUTH_FAILED("auth_failed"),
    REJECTED("rejected"),
    PROTOCOL_ERROR("protocol_error"),
    DNS_ERROR("dns_error"),
    IO_ERROR("io_error");

    public static final String SUCCESS_LABEL = "success";

    private final String label;

    FailureReason(String label) {
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
