package dev.mailprobe.probe;

import io.vertx.core.Future;

/**
 * Probes one target with one protocol session. The returned future always succeeds: a failed probe
 * is a {@link ProbeResult} with {@code success == false}, never a failed future. A probe closes its
 * socket and cancels its timers before the future completes.
 */
public interface SessionProber {

    Future<ProbeResult> probe(ProbeTarget target);

    /**
     * Like {@link #probe} with what an entry point needs to find its serving node: the greeting
     * text and the address actually connected to. The default knows neither.
     */
    default Future<SessionOutcome> probeDetailed(ProbeTarget target) {
        return probe(target).map(r -> new SessionOutcome(r, null, null));
    }
}
