package dev.mailprobe.probe.session;

import dev.mailprobe.probe.FailureReason;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Turns the socket's byte stream into CRLF-terminated lines (a bare LF is tolerated) and, for IMAP
 * literals, exact byte counts. Replies may arrive split across any number of TCP packets or many
 * in one. At most one read is pending; everything runs on the probe's event loop.
 */
public final class LineReader {
    /** Longer "lines" are garbage, not a mail protocol. */
    public static final int MAX_LINE = 16 * 1024;

    private Buffer buffer = Buffer.buffer();
    private int pos;
    private int scanFrom;
    private Promise<Object> pending;
    private int pendingBytes = -1; // -1: a line is wanted
    private Throwable error;
    private boolean closed;
    private boolean delivering;

    /** Bytes from the socket. */
    public void feed(Buffer data) {
        if (closed || error != null) {
            return;
        }
        buffer.appendBuffer(data);
        deliver();
    }

    /** The server (or we) closed the connection. */
    public void closed() {
        closed = true;
        deliver();
    }

    /** The socket reported an error (reset, TLS alert, ...). */
    public void failed(Throwable t) {
        if (error == null) {
            error = t;
        }
        deliver();
    }

    /** The next line, without its line terminator. */
    public Future<String> line() {
        return request(-1).map(o -> (String) o);
    }

    /** Exactly {@code n} bytes (an IMAP literal). */
    public Future<Buffer> bytes(int n) {
        return request(n).map(o -> (Buffer) o);
    }

    /** True when bytes were received that no read has consumed (e.g. after a STARTTLS reply). */
    public boolean hasBufferedData() {
        return buffer.length() > pos;
    }

    private Future<Object> request(int bytes) {
        if (pending != null) {
            return Future.failedFuture(new IllegalStateException("a read is already pending"));
        }
        Promise<Object> p = Promise.promise();
        pending = p;
        pendingBytes = bytes;
        deliver();
        return p.future();
    }

    private void deliver() {
        if (delivering) {
            return;
        }
        delivering = true;
        try {
            while (pending != null) {
                Object value;
                try {
                    value = pendingBytes < 0 ? takeLine() : takeBytes(pendingBytes);
                } catch (ProbeFailure f) {
                    error = f;
                    value = null;
                }
                Promise<Object> p = pending;
                if (value != null) {
                    pending = null;
                    compact();
                    p.complete(value);
                } else if (error != null) {
                    pending = null;
                    p.fail(error);
                } else if (closed) {
                    pending = null;
                    p.fail(FailureClassifier.closed(null));
                } else {
                    return; // wait for more bytes
                }
            }
        } finally {
            delivering = false;
        }
    }

    private String takeLine() {
        int len = buffer.length();
        for (int i = Math.max(scanFrom, pos); i < len; i++) {
            if (buffer.getByte(i) == '\n') {
                int end = i;
                if (end > pos && buffer.getByte(end - 1) == '\r') {
                    end--;
                }
                String line = new String(buffer.getBytes(pos, end), StandardCharsets.UTF_8);
                pos = i + 1;
                scanFrom = pos;
                return line;
            }
        }
        scanFrom = len;
        if (len - pos > MAX_LINE) {
            throw new ProbeFailure(FailureReason.PROTOCOL_ERROR,
                    "server sent more than " + MAX_LINE + " bytes without a line end");
        }
        return null;
    }

    private Buffer takeBytes(int n) {
        if (buffer.length() - pos < n) {
            return null;
        }
        Buffer b = buffer.getBuffer(pos, pos + n);
        pos += n;
        scanFrom = pos;
        return b;
    }

    private void compact() {
        if (pos == buffer.length()) {
            buffer = Buffer.buffer();
            pos = 0;
            scanFrom = 0;
        } else if (pos > 8192) {
            buffer = buffer.getBuffer(pos, buffer.length());
            scanFrom -= pos;
            pos = 0;
        }
    }
}
