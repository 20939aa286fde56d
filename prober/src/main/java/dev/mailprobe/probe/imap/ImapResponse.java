package dev.mailprobe.probe.imap;

import java.util.Locale;

/**
 * One IMAP server response (RFC 9051 section 7), with literals already read.
 *
 * @param tag    {@code *} untagged, {@code +} continuation, else the command tag
 * @param kind   upper-cased first word after the tag (OK, NO, BAD, BYE, PREAUTH, CAPABILITY, or a
 *               number for {@code * 3 EXISTS}); empty for a continuation
 * @param text   everything after the tag, as received (literal contents replaced by a marker)
 */
record ImapResponse(String tag, String kind, String text) {

    static ImapResponse parse(String line) {
        int sp = line.indexOf(' ');
        String tag = sp < 0 ? line : line.substring(0, sp);
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        if (tag.equals("+")) {
            return new ImapResponse(tag, "", rest);
        }
        int sp2 = rest.indexOf(' ');
        String kind = (sp2 < 0 ? rest : rest.substring(0, sp2)).toUpperCase(Locale.ROOT);
        return new ImapResponse(tag, kind, rest);
    }

    boolean untagged() {
        return tag.equals("*");
    }

    boolean continuation() {
        return tag.equals("+");
    }

    /** The text after the status word, e.g. {@code [AUTHENTICATIONFAILED] Invalid credentials}. */
    String statusText() {
        int sp = text.indexOf(' ');
        return sp < 0 ? "" : text.substring(sp + 1);
    }

    /** The response code in brackets after the status, e.g. {@code CAPABILITY IMAP4rev1 ...}, or null. */
    String responseCode() {
        String t = statusText();
        if (!t.startsWith("[")) {
            return null;
        }
        int end = t.indexOf(']');
        return end < 0 ? null : t.substring(1, end);
    }
}
