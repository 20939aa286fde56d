package dev.mailprobe.probe.smtp;

import java.util.List;

/**
 * One complete (possibly multiline) SMTP reply.
 *
 * @param lines the text of each line, without the code and separator
 */
record SmtpReply(int code, List<String> lines) {
    SmtpReply {
        lines = List.copyOf(lines);
    }

    boolean is(int c) {
        return code == c;
    }

    boolean positive() {
        return code >= 200 && code < 300;
    }

    boolean transientNegative() {
        return code >= 400 && code < 500;
    }

    boolean permanentNegative() {
        return code >= 500 && code < 600;
    }

    String text() {
        return String.join("\n", lines);
    }

    /** For error messages: {@code 554 5.7.1 go away}. */
    String summary() {
        return code + " " + (lines.isEmpty() ? "" : lines.get(0));
    }
}
