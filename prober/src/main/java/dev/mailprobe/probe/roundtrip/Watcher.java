package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.probe.ProbeTarget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks for the mail pending on one fetch target (a node, or an entry point through one of its
 * nodes) on its own thread: polls on each pending mail's {@link PollSchedule} and whenever woken
 * (a new mail sent, an IDLE notification), decides deadlines, and sweeps old probe mail. All
 * connection state is confined to that thread; other threads only add mail and wake it.
 */
abstract class Watcher {
    private static final Logger log = LoggerFactory.getLogger(Watcher.class);
    private static final long MAX_CONNECT_BACKOFF = TimeUnit.SECONDS.toNanos(5);

    /** Identity, stable across restarts: {@code label@node} or {@code label@host}. */
    final String key;
    /** The {@code fetch_node} label. */
    final String label;
    final ProbeTarget target;
    final RoundTripEngine engine;
    final Map<String, PendingMail> pending = new ConcurrentHashMap<>();

    private final Object lock = new Object();
    private boolean wakeRequested;
    private volatile boolean running;
    private Thread thread;

    /** The node serving this target (known up front for nodes and via entry points, else from the greeting). */
    volatile String servedBy;
    volatile long lastOkObservationNanos = Long.MIN_VALUE;
    volatile boolean lastAttemptFailed;
    volatile String lastError;
    private long connectBackoffNanos;
    private long nextConnectNanos;
    private long nextSweepNanos;

    Watcher(String key, String label, ProbeTarget target, RoundTripEngine engine) {
        this.key = key;
        this.label = label;
        this.target = target;
        this.engine = engine;
        this.servedBy = target.servedBy() != null ? target.servedBy() : RoundTripEngine.UNKNOWN;
    }

    /** Connects if needed, looks at the mailbox, examines what is new; returns when the mailbox state was observed. */
    abstract long poll() throws Exception;

    /** Connects if needed and removes our mail older than lostAfter (token verified, not pending). */
    abstract void sweep() throws Exception;

    /** Whether this target's connection is currently open. */
    abstract boolean connected();

    /** Whether an idle watcher keeps a warm connection (IMAP) or opens one per poll (POP3). */
    boolean keepsConnection() {
        return true;
    }

    /** Closes every connection (from the watcher thread, or after it ended). */
    abstract void disconnect();

    /** Stops helper threads (the IMAP IDLE connection); called from {@link #signalStop}. */
    void stopExtras() {}

    void start() {
        running = true;
        nextSweepNanos = engine.nanoTime(); // the first look sweeps
        thread = new Thread(this::loop, "mailprobe-rt-" + key);
        thread.setDaemon(true);
        thread.start();
    }

    boolean running() {
        return running;
    }

    /** Stops polling (the thread closes its connections on the way out); does not wait. */
    void signalStop() {
        running = false;
        wake();
        stopExtras();
    }

    /** Waits up to {@code nanos} for the watcher thread to end. */
    void awaitStop(long nanos) {
        if (thread == null) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.timedJoin(thread, Math.max(1, nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void add(PendingMail p) {
        pending.put(p.id, p);
    }

    void wake() {
        synchronized (lock) {
            wakeRequested = true;
            lock.notifyAll();
        }
    }

    /** Whether the last attempt to use this target worked (failover picks usable targets first). */
    boolean usable() {
        return !lastAttemptFailed;
    }

    private void loop() {
        try {
            while (running) {
                boolean woke = consumeWake();
                long now = engine.nanoTime();
                boolean due = woke || pending.values().stream().anyMatch(p -> p.sent && p.nextPollNanos <= now);
                boolean hasSent = pending.values().stream().anyMatch(p -> p.sent);
                if (due && hasSent) {
                    attempt(true);
                } else if (keepsConnection() && !connected() && pending.isEmpty() && now >= nextConnectNanos && !lastAttemptFailed) {
                    attempt(true); // keep a warm connection so the first early poll is fast
                }
                if (running && engine.nanoTime() >= nextSweepNanos) {
                    attempt(false);
                    nextSweepNanos = engine.nanoTime() + engine.sweepIntervalNanos();
                }
                if (!running) {
                    break;
                }
                expire(engine.nanoTime());
                waitUntil(nextWake());
            }
        } catch (RuntimeException | Error e) {
            log.error("round-trip watcher {} died", key, e);
        } finally {
            disconnect();
        }
    }

    private void attempt(boolean poll) {
        long now = engine.nanoTime();
        if (!connected() && now < nextConnectNanos) {
            return;
        }
        try {
            if (poll) {
                long observed = poll();
                lastOkObservationNanos = observed;
            } else {
                sweep();
            }
            lastAttemptFailed = false;
            connectBackoffNanos = 0;
        } catch (Exception e) {
            if (!running) {
                return;
            }
            lastAttemptFailed = true;
            lastError = RoundTripEngine.describe(e);
            log.debug("round-trip fetch {} failed: {}", key, lastError);
            disconnect();
            connectBackoffNanos = connectBackoffNanos == 0 ? TimeUnit.MILLISECONDS.toNanos(250)
                    : Math.min(MAX_CONNECT_BACKOFF, connectBackoffNanos * 2);
            nextConnectNanos = engine.nanoTime() + connectBackoffNanos;
        }
        if (poll) {
            long after = engine.nanoTime();
            for (PendingMail p : pending.values()) {
                if (p.sent && p.nextPollNanos <= after) {
                    p.pollIndex = engine.schedule().nextIndexAfter(after - p.sentNanos, p.pollIndex);
                    p.nextPollNanos = Math.min(p.sentNanos + engine.schedule().offsetNanos(p.pollIndex), p.lostDeadlineNanos);
                    if (p.nextPollNanos <= after) {
                        p.nextPollNanos = p.lostDeadlineNanos + 1; // the last look was at the deadline
                    }
                }
            }
        }
    }

    /** Deadlines: seen-before-250 mail, lost, fetch_failed. */
    private void expire(long now) {
        for (PendingMail p : pending.values()) {
            if (!p.sent) {
                continue;
            }
            if (p.seenEarlyNanos >= 0) {
                engine.seenEarly(p);
            } else if (now >= p.lostDeadlineNanos) {
                if (lastAttemptFailed) {
                    engine.finish(p, Outcome.FETCH_FAILED, null, "fetch node unusable: " + lastError, null);
                } else {
                    engine.finish(p, Outcome.LOST, null, "not seen on " + servedBy + " within "
                            + engine.settings().lostAfter().toMillis() + " ms", null);
                }
            } else if (now >= p.deliveredDeadlineNanos && lastAttemptFailed && lastOkObservationNanos < p.sentNanos) {
                engine.finish(p, Outcome.FETCH_FAILED, null, "fetch node unusable: " + lastError, null);
            }
        }
    }

    private long nextWake() {
        long now = engine.nanoTime();
        // while a connection cannot be retried yet, polls (and the sweep) wait; deadlines do not
        long floor = connected() || !keepsConnection() && !lastAttemptFailed ? Long.MIN_VALUE : nextConnectNanos;
        long next = Math.max(nextSweepNanos, floor);
        for (PendingMail p : pending.values()) {
            if (!p.sent) {
                continue;
            }
            next = Math.min(next, Math.max(p.nextPollNanos, floor));
            next = Math.min(next, p.lostDeadlineNanos);
            if (p.deliveredDeadlineNanos > now) {
                next = Math.min(next, p.deliveredDeadlineNanos);
            }
        }
        if (keepsConnection() && !connected() && pending.isEmpty() && !lastAttemptFailed) {
            next = Math.min(next, nextConnectNanos);
        }
        return next;
    }

    private boolean consumeWake() {
        synchronized (lock) {
            boolean w = wakeRequested;
            wakeRequested = false;
            return w;
        }
    }

    private void waitUntil(long deadlineNanos) {
        synchronized (lock) {
            while (!wakeRequested && running) {
                long waitNanos = deadlineNanos - engine.nanoTime();
                if (waitNanos <= 0) {
                    return;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, waitNanos);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                    return;
                }
            }
        }
    }
}
