package dev.mailprobe.probe.session;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.security.GeneralSecurityException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/** Maps what the network stack throws to the fixed set of {@link FailureReason}s. */
public final class FailureClassifier {
    private FailureClassifier() {}

    public static ProbeFailure classify(Throwable error, Phase phase) {
        if (error instanceof ProbeFailure f) {
            return f.inPhase(phase);
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProbeFailure f) {
                return f.inPhase(phase);
            }
            if (t instanceof UnknownHostException) {
                return new ProbeFailure(FailureReason.DNS_ERROR, phase, "cannot resolve host: " + oneLine(t));
            }
            if (t instanceof SSLException || t instanceof GeneralSecurityException) {
                return new ProbeFailure(FailureReason.TLS_ERROR, phase, "TLS failure: " + oneLine(t));
            }
            if (t instanceof io.netty.channel.ConnectTimeoutException) {
                return new ProbeFailure(FailureReason.TIMEOUT, phase, "connect timed out: " + oneLine(t));
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
                if (m.contains("refused")) {
                    return new ProbeFailure(FailureReason.REFUSED, phase, "connection refused: " + oneLine(t));
                }
                return new ProbeFailure(FailureReason.IO_ERROR, phase, "cannot connect: " + oneLine(t));
            }
            if (t instanceof ClosedChannelException) {
                return closed(phase);
            }
        }
        if (error instanceof IOException) {
            return new ProbeFailure(FailureReason.IO_ERROR, phase, "I/O error: " + oneLine(error));
        }
        String m = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("connection was closed") || m.contains("closed")) {
            return closed(phase);
        }
        return new ProbeFailure(FailureReason.PROTOCOL_ERROR, phase, "unexpected error: " + oneLine(error));
    }

    static ProbeFailure closed(Phase phase) {
        return new ProbeFailure(FailureReason.PROTOCOL_ERROR, phase, "connection closed by server");
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        String s = t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return s.replace('\r', ' ').replace('\n', ' ');
    }
}
