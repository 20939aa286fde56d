package dev.mailprobe.demo;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A fault the demo cluster injects on the wire, per node. {@link #label()} is the value used by
 * the {@code /demo/faults} API ({@code crash|blackhole|slow|lose-mail|reject|none}).
 */
public enum FaultMode {
    /** Connection refused: the node's listeners are closed and its open connections cut. */
    CRASH("crash"),
    /** TCP is accepted but the node never greets and never answers. */
    BLACKHOLE("blackhole"),
    /** Every server reply is delayed (3 s by default, configurable). */
    SLOW("slow"),
    /**
     * SMTP only: the node answers 250 after DATA and the mail never reaches any mailbox. Not
     * available on IMAP/POP3 nodes ({@link FaultInjector#set} and the API refuse it there).
     */
    LOSE_MAIL("lose-mail"),
    /** SMTP: {@code 451 4.3.0} to RCPT TO; IMAP: {@code NO [AUTHENTICATIONFAILED]}; POP3: {@code -ERR}. */
    REJECT("reject"),
    /** Healthy pass-through. */
    NONE("none");

    private final String label;

    FaultMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Optional<FaultMode> fromLabel(String label) {
        return Arrays.stream(values()).filter(m -> m.label.equals(label)).findFirst();
    }

    /** {@code crash|blackhole|slow|lose-mail|reject|none}, for error messages. */
    public static String labels() {
        return Arrays.stream(values()).map(FaultMode::label).collect(Collectors.joining("|"));
    }

    @Override
    public String toString() {
        return label;
    }
}
