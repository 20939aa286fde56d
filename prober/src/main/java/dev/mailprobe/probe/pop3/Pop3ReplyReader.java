package dev.mailprobe.probe.pop3;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.session.ProbeFailure;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code +OK}/{@code -ERR} status lines and, for multiline replies, the body up to {@code .}. */
final class Pop3ReplyReader {
    static final int MAX_BODY_LINES = 1000;

    private Pop3ReplyReader() {}

    static Future<Pop3Reply> status(ProbeSession s) {
        return s.reader().line().map(line -> {
            s.received(line);
            Pop3Reply r;
            if (line.equals("+OK") || line.startsWith("+OK ")) {
                r = new Pop3Reply(true, line.length() > 4 ? line.substring(4) : "", List.of());
            } else if (line.equals("-ERR") || line.startsWith("-ERR ")) {
                r = new Pop3Reply(false, line.length() > 5 ? line.substring(5) : "", List.of());
            } else {
                throw new ProbeFailure(FailureReason.PROTOCOL_ERROR, "not a POP3 reply: " + abbreviate(line));
            }
            s.reply(0, line);
            return r;
        });
    }

    /** A status line, and when it is +OK, the multiline body. */
    static Future<Pop3Reply> multiline(ProbeSession s) {
        return status(s).compose(r -> r.ok() ? body(s, r, new ArrayList<>()) : Future.succeededFuture(r));
    }

    private static Future<Pop3Reply> body(ProbeSession s, Pop3Reply status, List<String> lines) {
        return s.reader().line().compose(line -> {
            s.received(line);
            if (line.equals(".")) {
                return Future.succeededFuture(new Pop3Reply(true, status.text(), lines));
            }
            if (lines.size() >= MAX_BODY_LINES) {
                throw new ProbeFailure(FailureReason.PROTOCOL_ERROR, "multiline reply longer than " + MAX_BODY_LINES + " lines");
            }
            lines.add(line.startsWith(".") ? line.substring(1) : line);
            return body(s, status, lines);
        });
    }

    static String abbreviate(String line) {
        String printable = line.replaceAll("[\\p{Cntrl}&&[^\t]]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
