package dev.mailprobe.probe.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the probers hold right now: open sockets and armed step timers. Both return to zero when no
 * probe runs; the connection count feeds {@code mailprobe_probe_connections}.
 */
public final class ProbeResources {
    private final AtomicInteger sockets = new AtomicInteger();
    private final AtomicInteger timers = new AtomicInteger();
    private final AtomicInteger probes = new AtomicInteger();

    public int openSockets() {
        return sockets.get();
    }

    public int armedTimers() {
        return timers.get();
    }

    public int runningProbes() {
        return probes.get();
    }

    void socketOpened() {
        sockets.incrementAndGet();
    }

    void socketClosed() {
        sockets.decrementAndGet();
    }

    void timerArmed() {
        timers.incrementAndGet();
    }

    void timerDone() {
        timers.decrementAndGet();
    }

    void probeStarted() {
        probes.incrementAndGet();
    }

    void probeEnded() {
        probes.decrementAndGet();
    }
}
