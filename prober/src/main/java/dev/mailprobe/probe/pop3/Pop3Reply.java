package dev.mailprobe.probe.pop3;

import java.util.List;

/**
 * A POP3 status reply, with the body lines of a multiline reply (dot-unstuffed).
 *
 * @param text the text after {@code +OK}/{@code -ERR}
 */
record Pop3Reply(boolean ok, String text, List<String> body) {
    Pop3Reply {
        body = List.copyOf(body);
    }

    String summary() {
        return (ok ? "+OK" : "-ERR") + (text.isEmpty() ? "" : " " + text);
    }
}
