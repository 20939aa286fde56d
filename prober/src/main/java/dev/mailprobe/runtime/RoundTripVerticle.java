package dev.mailprobe.runtime;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.probe.roundtrip.RoundTripEngine;
import dev.mailprobe.probe.roundtrip.RoundTripPlan;
import dev.mailprobe.schedule.FixedRateScheduler;
import dev.mailprobe.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Runs the {@link RoundTripEngine}: schedules every slot at {@code roundTrip.interval} (fixed rate,
 * stable phase) and publishes each final result on {@link ResultBus#ROUNDTRIP_RESULTS}. The engine
 * blocks on its own bounded threads; this verticle's event loop only schedules.
 */
public final class RoundTripVerticle extends VerticleBase {
    private final MailprobeConfig config;
    private final Store store;
    private RoundTripEngine engine;
    private FixedRateScheduler scheduler;

    public RoundTripVerticle(MailprobeConfig config, Store store) {
        this.config = config;
        this.store = store;
    }

    @Override
    public Future<?> start() {
        engine = new RoundTripEngine(config, store, result -> vertx.eventBus().publish(ResultBus.ROUNDTRIP_RESULTS, result));
        return vertx.executeBlocking(() -> {
            engine.start();
            return null;
        }, false).onSuccess(v -> {
            scheduler = new FixedRateScheduler(vertx);
            for (RoundTripPlan.Slot slot : engine.slots()) {
                scheduler.schedule(slot.key(), config.roundTrip().interval(),
                        () -> Future.fromCompletionStage(engine.run(slot), context));
            }
        });
    }

    /** Stops scheduling and the engine; mail in flight stays in the store for the next start. */
    @Override
    public Future<?> stop() {
        if (scheduler != null) {
            scheduler.stop();
        }
        RoundTripEngine e = engine;
        return e == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            e.close();
            return null;
        }, false);
    }
}
