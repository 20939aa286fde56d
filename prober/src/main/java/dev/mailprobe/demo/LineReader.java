package dev.mailprobe.demo;

import io.vertx.core.buffer.Buffer;

/** Accumulates bytes from a socket and hands them out as CRLF/LF-terminated lines or raw runs. */
final class LineReader {
    /** A peer that sends this much without a line end is misbehaving; the session is cut. */
    static final int MAX_LINE = 64 * 1024;

    private Buffer buf = Buffer.buffer();
    private int pos;

    void append(Buffer data) {
        if (pos > 0 && pos == buf.length()) {
            buf = Buffer.buffer();
            pos = 0;
        }
        buf.appendBuffer(data);
    }

    int available() {
        return buf.length() - pos;
    }

    /** The next complete line including its terminator, or null if none is buffered yet. */
    Buffer nextLine() {
        for (int i = pos; i < buf.length(); i++) {
            if (buf.getByte(i) == '\n') {
                Buffer line = buf.getBuffer(pos, i + 1);
                pos = i + 1;
                compact();
                return line;
            }
        }
        return null;
    }

    /** True when more than {@link #MAX_LINE} bytes wait without a line end. */
    boolean overlong() {
        return available() > MAX_LINE;
    }

    /** Up to {@code max} raw bytes (may be empty). */
    Buffer take(long max) {
        int n = (int) Math.min(max, available());
        Buffer out = buf.getBuffer(pos, pos + n);
        pos += n;
        compact();
        return out;
    }

    /** Everything buffered. */
    Buffer drain() {
        return take(available());
    }

    private void compact() {
        if (pos > 8192 && pos > buf.length() / 2) {
            buf = buf.getBuffer(pos, buf.length());
            pos = 0;
        }
    }

    /** The line without its CRLF/LF, decoded as Latin-1 (protocol keywords are ASCII). */
    static String text(Buffer line) {
        int end = line.length();
        if (end > 0 && line.getByte(end - 1) == '\n') {
            end--;
        }
        if (end > 0 && line.getByte(end - 1) == '\r') {
            end--;
        }
        return line.getString(0, end, "ISO-8859-1");
    }
}
