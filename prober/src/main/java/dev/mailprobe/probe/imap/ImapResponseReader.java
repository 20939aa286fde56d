package dev.mailprobe.probe.imap;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.session.ProbeFailure;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one IMAP response: a line, and when it ends with a literal announcement {@code {n}} (or
 * {@code {n+}}), the n bytes of the literal and the rest of the response after it, repeatedly.
 */
final class ImapResponseReader {
    static final int MAX_LITERAL = 1 << 20;
    static final int MAX_LITERALS = 100;
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d{1,10})\\+?}$");

    private ImapResponseReader() {}

    static Future<ImapResponse> read(ProbeSession s) {
        return readPart(s, new StringBuilder(), 0);
    }

    private static Future<ImapResponse> readPart(ProbeSession s, StringBuilder sb, int literals) {
        return s.reader().line().compose(line -> {
            s.received(line);
            sb.append(line);
            Matcher m = LITERAL.matcher(line);
            if (!m.find()) {
                return Future.succeededFuture(check(sb.toString()));
            }
            long n = Long.parseLong(m.group(1));
            if (n > MAX_LITERAL || literals >= MAX_LITERALS) {
                throw new ProbeFailure(FailureReason.PROTOCOL_ERROR, "IMAP literal too large or too many: {" + n + "}");
            }
            return s.reader().bytes((int) n).compose(bytes -> {
                s.transcript().note("(" + n + "-byte literal)");
                sb.append("<literal>");
                return readPart(s, sb, literals + 1);
            });
        });
    }

    private static ImapResponse check(String line) {
        if (line.isEmpty() || line.charAt(0) == ' ') {
            throw new ProbeFailure(FailureReason.PROTOCOL_ERROR, "not an IMAP response: " + abbreviate(line));
        }
        ImapResponse r = ImapResponse.parse(line);
        if (!r.untagged() && !r.continuation()) {
            // a tagged response must carry a status
            if (!r.kind().equals("OK") && !r.kind().equals("NO") && !r.kind().equals("BAD")) {
                throw new ProbeFailure(FailureReason.PROTOCOL_ERROR, "not an IMAP response: " + abbreviate(line));
            }
        }
        return r;
    }

    static String abbreviate(String line) {
        String printable = line.replaceAll("[\\p{Cntrl}&&[^\t]]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
