package dev.mailprobe.probe.smtp;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.session.ProbeFailure;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one full SMTP reply: {@code ddd-text} lines up to the {@code ddd text} one (RFC 5321
 * 4.2.1), however the lines arrive in TCP packets. Anything else is a protocol error.
 */
final class SmtpReplyReader {
    static final int MAX_LINES = 200;

    private SmtpReplyReader() {}

    static Future<SmtpReply> read(ProbeSession s) {
        return readLine(s, new ArrayList<>(), -1);
    }

    private static Future<SmtpReply> readLine(ProbeSession s, List<String> lines, int code) {
        return s.reader().line().compose(line -> {
            s.received(line);
            if (line.length() < 3 || !digits(line) || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new ProbeFailure(FailureReason.PROTOCOL_ERROR, "not an SMTP reply line: " + abbreviate(line));
            }
            int c = Integer.parseInt(line.substring(0, 3));
            if (code >= 0 && c != code) {
                throw new ProbeFailure(FailureReason.PROTOCOL_ERROR, "reply code changed within a multiline reply: " + code + " then " + c);
            }
            if (c < 200 || c > 599) {
                throw new ProbeFailure(FailureReason.PROTOCOL_ERROR, "invalid SMTP reply code " + c);
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            boolean last = line.length() == 3 || line.charAt(3) == ' ';
            if (last) {
                SmtpReply reply = new SmtpReply(c, lines);
                s.reply(reply.code(), reply.text());
                return Future.succeededFuture(reply);
            }
            if (lines.size() >= MAX_LINES) {
                throw new ProbeFailure(FailureReason.PROTOCOL_ERROR, "multiline reply longer than " + MAX_LINES + " lines");
            }
            return readLine(s, lines, c);
        });
    }

    private static boolean digits(String line) {
        return Character.isDigit(line.charAt(0)) && Character.isDigit(line.charAt(1)) && Character.isDigit(line.charAt(2));
    }

    static String abbreviate(String line) {
        String printable = line.replaceAll("[\\p{Cntrl}&&[^\t]]", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
