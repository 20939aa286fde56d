package dev.mailprobe.demo;

import dev.mailprobe.config.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The fault-injecting TCP proxy of one protocol of one demo node, forwarding to GreenMail.
 * Confined to the demo's proxy context. The first {@link #listen()} picks the port (ephemeral
 * unless given); later ones (after a crash) reuse it.
 */
final class ProtocolProxy {
    private final Vertx vertx;
    private final DemoNode node;
    final Protocol protocol;
    private final String bindAddress;
    private final NetClient backendClient;
    private final String backendHost;
    private final int backendPort;
    private int port;
    private NetServer server;
    private final Set<ProxyConnection> connections = new LinkedHashSet<>();

    ProtocolProxy(Vertx vertx, DemoNode node, Protocol protocol, String bindAddress, int port,
            NetClient backendClient, String backendHost, int backendPort) {
        this.vertx = vertx;
        this.node = node;
        this.protocol = protocol;
        this.bindAddress = bindAddress;
        this.port = port;
        this.backendClient = backendClient;
        this.backendHost = backendHost;
        this.backendPort = backendPort;
    }

    int port() {
        return port;
    }

    boolean listening() {
        return server != null;
    }

    int openConnections() {
        return connections.size();
    }

    Future<Void> listen() {
        if (server != null) {
            return Future.succeededFuture();
        }
        NetServerOptions opts = new NetServerOptions().setTcpNoDelay(true).setReuseAddress(true);
        return vertx.createNetServer(opts)
                .connectHandler(this::accept)
                .listen(port, bindAddress)
                .map(s -> {
                    server = s;
                    port = s.actualPort();
                    return (Void) null;
                })
                .recover(t -> Future.failedFuture(new IllegalStateException(
                        "demo node " + node.name + " cannot listen for " + protocol + " on "
                                + bindAddress + ":" + port + ": " + t.getMessage(), t)));
    }

    /**
     * Closes the listener and completes once the port really refuses connections: Vert.x completes
     * a server's close before the kernel has always dropped the listening socket, and a crash must
     * be a refused connection from the moment it is reported (one accepted in between is cut).
     */
    Future<Void> stopListening() {
        NetServer s = server;
        server = null;
        if (s == null) {
            return Future.succeededFuture();
        }
        int closedPort = port;
        String host = "0.0.0.0".equals(bindAddress) || "::".equals(bindAddress) ? "127.0.0.1" : bindAddress;
        return s.close().compose(v -> awaitRefused(host, closedPort, System.nanoTime() + TimeUnit.SECONDS.toNanos(2)));
    }

    /** Non-blocking: connects until the port refuses (or two seconds pass); a connect that gets through is closed. */
    private Future<Void> awaitRefused(String host, int closedPort, long deadlineNanos) {
        return backendClient.connect(closedPort, host).transform(ar -> {
            if (ar.failed() || System.nanoTime() > deadlineNanos) {
                return Future.succeededFuture();
            }
            ar.result().close();
            Promise<Void> later = Promise.promise();
            vertx.setTimer(5, id -> awaitRefused(host, closedPort, deadlineNanos).onComplete(later));
            return later.future();
        });
    }

    void cutConnections() {
        for (ProxyConnection c : new ArrayList<>(connections)) {
            c.close();
        }
    }

    private void accept(NetSocket client) {
        FaultState state = node.state();
        ProxyConnection c = new ProxyConnection(vertx, client);
        connections.add(c);
        c.onClosed(() -> connections.remove(c));
        client.closeHandler(v -> c.close());
        client.exceptionHandler(t -> c.close());
        switch (state.mode()) {
            case CRASH -> c.close(); // accepted in the instant before the listener closed
            case BLACKHOLE -> client.handler(b -> { }); // read and ignore, say nothing, ever
            default -> {
                client.pause();
                backendClient.connect(backendPort, backendHost).onComplete(ar -> {
                    if (ar.failed()) {
                        c.close();
                        return;
                    }
                    NetSocket backend = ar.result();
                    if (c.closed()) {
                        backend.close();
                        return;
                    }
                    c.backend = backend;
                    backend.exceptionHandler(t -> c.close());
                    wire(c, state);
                    client.resume();
                });
            }
        }
    }

    private void wire(ProxyConnection c, FaultState state) {
        switch (state.mode()) {
            case SLOW -> {
                long delay = state.slowDelay().toMillis();
                ProxyConnection.pipe(c.client, c.backend);
                c.backend.handler(b -> c.later(delay, () -> c.toClient(b)));
                c.backend.closeHandler(v -> c.later(delay, c::endClient));
            }
            case REJECT -> {
                c.backend.closeHandler(v -> c.endClient());
                if (protocol.speaksSmtp()) {
                    new SmtpFaultSession(c, FaultMode.REJECT).start();
                } else {
                    new LoginRejectSession(c, protocol).start();
                }
            }
            case LOSE_MAIL -> {
                c.backend.closeHandler(v -> c.endClient());
                if (protocol.speaksSmtp()) {
                    new SmtpFaultSession(c, FaultMode.LOSE_MAIL).start();
                } else {
                    plain(c); // never set on mailbox nodes (refused by FaultInjector); pass through
                }
            }
            default -> plain(c);
        }
    }

    private static void plain(ProxyConnection c) {
        c.backend.closeHandler(v -> c.endClient());
        ProxyConnection.pipe(c.client, c.backend);
        ProxyConnection.pipe(c.backend, c.client);
    }
}
