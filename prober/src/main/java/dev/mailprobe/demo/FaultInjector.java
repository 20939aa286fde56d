package dev.mailprobe.demo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Sets the fault mode of each demo node. A new mode applies to new connections at once; existing
 * connections keep the mode they were accepted with, except that {@link FaultMode#CRASH} cuts
 * them and closes the node's listeners (connection refused) until another mode reopens them on
 * the same ports. {@link FaultMode#LOSE_MAIL} exists on SMTP nodes only. Thread-safe.
 */
public final class FaultInjector {
    private final Map<String, DemoNode> nodes;
    private final Context context;
    private volatile boolean closed;

    FaultInjector(Map<String, DemoNode> nodes, Context context) {
        this.nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
        this.context = context;
    }

    /** Node names in topology order: smtp-1, smtp-2, imap-1, imap-2. */
    public List<String> nodes() {
        return List.copyOf(nodes.keySet());
    }

    /** The current mode of every node, in topology order. */
    public Map<String, FaultMode> modes() {
        Map<String, FaultMode> m = new LinkedHashMap<>();
        nodes.forEach((name, n) -> m.put(name, n.state().mode()));
        return Collections.unmodifiableMap(m);
    }

    /** The current state (mode + slow delay) of every node, in topology order. */
    public Map<String, FaultState> states() {
        Map<String, FaultState> m = new LinkedHashMap<>();
        nodes.forEach((name, n) -> m.put(name, n.state()));
        return Collections.unmodifiableMap(m);
    }

    /** @throws IllegalArgumentException for an unknown node */
    public FaultState state(String node) {
        return node(node).state();
    }

    /** The modes a node accepts: all on SMTP nodes, all but lose-mail on IMAP/POP3 nodes. */
    public Set<FaultMode> supportedModes(String node) {
        return node(node).supported;
    }

    /**
     * Sets a node's mode (slow keeps the node's current delay). Off the event loop this returns
     * once listeners are closed or reopened; on an event-loop thread it returns at once and the
     * listener change completes shortly after (new connections see the mode immediately either way).
     *
     * @throws IllegalArgumentException unknown node, or a mode the node does not support
     */
    public void set(String node, FaultMode mode) {
        set(node, mode, null);
    }

    /** As {@link #set(String, FaultMode)}; {@code slowDelay} (null = unchanged) is the node's new slow delay. */
    public void set(String node, FaultMode mode, Duration slowDelay) {
        Future<FaultState> f = apply(node, mode, slowDelay);
        if (Context.isOnEventLoopThread()) {
            return;
        }
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while setting " + node + " to " + mode, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IllegalStateException("could not set " + node + " to " + mode + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * Validates and records the new state at once (synchronously throwing {@link
     * IllegalArgumentException} when invalid; nothing changes then) and completes with the node's
     * new state once listeners are closed or reopened.
     */
    public Future<FaultState> apply(String node, FaultMode mode, Duration slowDelay) {
        DemoNode n = node(node);
        Objects.requireNonNull(mode, "mode");
        if (!n.supported.contains(mode)) {
            throw new IllegalArgumentException("mode " + mode.label() + " is not supported on node " + node
                    + " (it serves " + n.protocols.stream().map(Object::toString).collect(Collectors.joining(", "))
                    + "; lose-mail applies to SMTP nodes only)");
        }
        if (slowDelay != null && slowDelay.isNegative()) {
            throw new IllegalArgumentException("slow delay must not be negative: " + slowDelay);
        }
        if (closed) {
            throw new IllegalStateException("the demo cluster is closed");
        }
        FaultState next;
        synchronized (n) {
            next = new FaultState(mode, slowDelay != null ? slowDelay : n.state().slowDelay());
            n.state(next);
        }
        Promise<FaultState> done = Promise.promise();
        context.runOnContext(v -> {
            if (closed) {
                done.complete(n.state());
                return;
            }
            n.reconcile(false).onComplete(ar -> {
                if (ar.succeeded()) {
                    done.complete(n.state());
                } else {
                    done.fail(ar.cause());
                }
            });
        });
        return done.future();
    }

    /** Cuts every connection and closes every listener (on the proxy context). */
    Future<Void> shutdown() {
        closed = true;
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> Future.join(nodes.values().stream().map(n -> n.reconcile(true)).toList())
                .<Void>mapEmpty()
                .onComplete(done));
        return done.future();
    }

    DemoNode node(String name) {
        DemoNode n = name == null ? null : nodes.get(name);
        if (n == null) {
            throw new IllegalArgumentException("unknown demo node '" + name + "'; known nodes: "
                    + String.join(", ", nodes.keySet()));
        }
        return n;
    }
}
