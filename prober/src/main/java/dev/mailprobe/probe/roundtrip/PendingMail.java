package dev.mailprobe.probe.roundtrip;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/** One mail the engine is waiting for. Deadline and poll fields are touched by its watcher's thread only. */
final class PendingMail {
    final String id;
    final String sendNode;
    final String fetchNode;
    final Watcher watcher;
    final boolean restored;
    final AtomicBoolean finalized = new AtomicBoolean();

    volatile String servedBySend;
    volatile boolean sent;
    volatile long sentNanos;
    volatile Instant sentAt;
    volatile String sendReply;
    volatile boolean persisted;
    /** When a poll saw the mail before its 250 was read (the server delivered first); -1 if not. */
    volatile long seenEarlyNanos = -1;
    volatile String[] seenEarlyReceived;

    long deliveredDeadlineNanos;
    long lostDeadlineNanos;
    int pollIndex;
    long nextPollNanos;

    PendingMail(String id, String sendNode, String fetchNode, String servedBySend, Watcher watcher, boolean restored) {
        this.id = id;
        this.sendNode = sendNode;
        this.fetchNode = fetchNode;
        this.servedBySend = servedBySend;
        this.watcher = watcher;
        this.restored = restored;
    }
}
