package dev.mailprobe.runtime;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.probe.roundtrip.RoundTripEngine;
import dev.mailprobe.probe.roundtrip.RoundTripPlan;
import dev.mailprobe.schedule.FixedRateScheduler;
import dev.mailprobe.shard.ShardPlan;
import dev.mailprobe.store.Store;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Runs the {@link RoundTripEngine}: schedules every slot of this shard (those whose send side it
 * owns, {@link ShardPlan#owns(RoundTripPlan.Path)}) at {@code roundTrip.interval} (fixed rate,
 * stable phase) and publishes each final result on {@link ResultBus#ROUNDTRIP_RESULTS}. The engine
 * blocks on its own bounded threads; this verticle's event loop only schedules.
 */
public final class RoundTripVerticle extends VerticleBase {
    private final MailprobeConfig config;
    private final Store store;
    private final ShardPlan shard;
    private RoundTripEngine engine;
    private FixedRateScheduler scheduler;

    public RoundTripVerticle(MailprobeConfig config, Store store, ShardPlan shard) {
        this.config = config;
        this.store = store;
        this.shard = shard;
    }

    /** The slots of {@code plan} this shard runs; a slot's send side is the same in every round. */
    public static java.util.List<RoundTripPlan.Slot> ownedSlots(RoundTripPlan plan, ShardPlan shard) {
        return plan.slots().stream().filter(slot -> shard.owns(plan.path(slot, 0))).toList();
    }

    @Override
    public Future<?> start() {
        engine = new RoundTripEngine(config, store, result -> vertx.eventBus().publish(ResultBus.ROUNDTRIP_RESULTS, result));
        return vertx.executeBlocking(() -> {
            engine.start();
            return null;
        }, false).onSuccess(v -> {
            scheduler = new FixedRateScheduler(vertx);
            for (RoundTripPlan.Slot slot : ownedSlots(engine.plan(), shard)) {
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
