package dev.mailprobe.probe.session;

import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.ProbeTarget;
import dev.mailprobe.probe.SessionOutcome;
import dev.mailprobe.probe.SessionProber;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.util.Objects;

/**
 * Runs a protocol's dialogue (its steps joined with futures) in a {@link ProbeSession} on one
 * event-loop context, and turns whatever happens into a {@link ProbeResult}. The future returned
 * never fails.
 */
public abstract class AbstractSessionProber implements SessionProber {
    protected final Vertx vertx;
    private final NetClient client;
    private final TlsOptionsCache tlsOptions;
    private final ProbeResources resources;

    protected AbstractSessionProber(Vertx vertx, NetClient client, TlsOptionsCache tlsOptions, ProbeResources resources) {
        this.vertx = Objects.requireNonNull(vertx);
        this.client = Objects.requireNonNull(client);
        this.tlsOptions = Objects.requireNonNull(tlsOptions);
        this.resources = Objects.requireNonNull(resources);
    }

    /** The protocol's steps, from connect to quit. */
    protected abstract Future<?> dialogue(ProbeSession session);

    @Override
    public Future<ProbeResult> probe(ProbeTarget target) {
        return probeDetailed(target).map(SessionOutcome::result);
    }

    @Override
    public Future<SessionOutcome> probeDetailed(ProbeTarget target) {
        Context context = vertx.getOrCreateContext();
        Promise<SessionOutcome> promise = Promise.promise();
        resources.probeStarted();
        context.runOnContext(v -> {
            ProbeSession session = new ProbeSession(vertx, client, tlsOptions, resources, target);
            Future<?> dialogue;
            try {
                dialogue = dialogue(session);
            } catch (RuntimeException e) {
                dialogue = Future.failedFuture(e);
            }
            session.finish(dialogue).onComplete(ar -> {
                resources.probeEnded();
                promise.handle(ar);
            });
        });
        return promise.future();
    }
}
