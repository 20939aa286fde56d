package dev.mailprobe.schedule;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the prober's open connections per node: at most {@code max} probes of one node hold a
 * permit at a time, the others wait in arrival order. Used from one Vert.x context; the counts
 * are readable from any thread (the metrics scrape).
 */
public final class ConnectionLimiter {
    private final int defaultMax;
    private final Map<String, Integer> maxByNode;
    private final Map<String, Gate> gates = new ConcurrentHashMap<>();

    public ConnectionLimiter(int max) {
        this(max, Map.of());
    }

    /** @param maxByNode a node's own bound where it differs from {@code defaultMax} */
    public ConnectionLimiter(int defaultMax, Map<String, Integer> maxByNode) {
        if (defaultMax < 1 || maxByNode.values().stream().anyMatch(m -> m < 1)) {
            throw new IllegalArgumentException("max must be >= 1, got " + defaultMax + " " + maxByNode);
        }
        this.defaultMax = defaultMax;
        this.maxByNode = Map.copyOf(maxByNode);
    }

    /** Completes when a permit for {@code node} is free; release it exactly once. */
    public Future<Permit> acquire(String node) {
        return gate(node).acquire();
    }

    /** Permits of {@code node} in use now: the prober's open connections to it. */
    public int inUse(String node) {
        return gate(node).inUse.get();
    }

    public int max(String node) {
        return maxByNode.getOrDefault(node, defaultMax);
    }

    private Gate gate(String node) {
        return gates.computeIfAbsent(node, n -> new Gate(max(n)));
    }

    /** A held permit; {@link #release()} is idempotent. */
    public interface Permit {
        void release();
    }

    private final class Gate {
        final int max;
        final AtomicInteger inUse = new AtomicInteger();
        final Queue<Promise<Permit>> waiting = new ArrayDeque<>();

        Gate(int max) {
            this.max = max;
        }

        synchronized Future<Permit> acquire() {
            if (inUse.get() < max) {
                inUse.incrementAndGet();
                return Future.succeededFuture(newPermit());
            }
            Promise<Permit> p = Promise.promise();
            waiting.add(p);
            return p.future();
        }

        private Permit newPermit() {
            return new Permit() {
                private boolean released;

                @Override
                public void release() {
                    Promise<Permit> next;
                    synchronized (Gate.this) {
                        if (released) {
                            return;
                        }
                        released = true;
                        next = waiting.poll();
                        if (next == null) {
                            inUse.decrementAndGet();
                            return;
                        }
                    }
                    next.complete(newPermit());
                }
            };
        }
    }
}
