package dev.mailprobe.demo;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * One proxied client connection: the accepted client socket and (unless black-holed) the socket to
 * the GreenMail backend. Confined to the demo's proxy context (one event loop).
 */
final class ProxyConnection {
    private final Vertx vertx;
    final NetSocket client;
    NetSocket backend;
    private boolean closed;
    private final Set<Long> timers = new HashSet<>();
    private Runnable onClosed = () -> {};

    ProxyConnection(Vertx vertx, NetSocket client) {
        this.vertx = vertx;
        this.client = client;
    }

    void onClosed(Runnable r) {
        this.onClosed = r;
    }

    boolean closed() {
        return closed;
    }

    /** Cuts both sides at once (crash, close, a side failing). */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        timers.forEach(vertx::cancelTimer);
        timers.clear();
        client.close();
        if (backend != null) {
            backend.close();
        }
        onClosed.run();
    }

    /** The backend hung up: flush what the client still has to get, then close. */
    void endClient() {
        if (closed) {
            return;
        }
        client.end().onComplete(ar -> close());
    }

    /** Runs {@code r} after {@code delayMs} unless the connection is closed first. */
    void later(long delayMs, Runnable r) {
        if (closed) {
            return;
        }
        long[] id = new long[1];
        id[0] = vertx.setTimer(Math.max(1, delayMs), t -> {
            timers.remove(id[0]);
            if (!closed) {
                r.run();
            }
        });
        timers.add(id[0]);
    }

    void toClient(Buffer b) {
        if (!closed) {
            client.write(b);
        }
    }

    void toClient(String s) {
        toClient(Buffer.buffer(s, "ISO-8859-1"));
    }

    void toBackend(Buffer b) {
        if (!closed) {
            backend.write(b);
        }
    }

    void toBackend(String s) {
        toBackend(Buffer.buffer(s, "ISO-8859-1"));
    }

    /** Plain byte pipe {@code from -> to} with back-pressure. */
    static void pipe(NetSocket from, NetSocket to) {
        from.handler(b -> {
            to.write(b);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> from.resume());
            }
        });
    }
}
