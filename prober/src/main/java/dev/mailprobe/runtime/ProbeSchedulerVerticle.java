package dev.mailprobe.runtime;

import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.metrics.ScheduleMetrics;
import dev.mailprobe.probe.EntryPointProber;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.ProbeTarget;
import dev.mailprobe.probe.Probers;
import dev.mailprobe.schedule.ConnectionLimiter;
import dev.mailprobe.schedule.FixedRateScheduler;
import dev.mailprobe.shard.ShardPlan;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.function.Supplier;

/**
 * Schedules a session probe for every node x protocol and entry point x protocol of this shard
 * ({@link ShardPlan}), bounded per node by the {@link ConnectionLimiter}, and publishes each
 * result on the {@link ResultBus}. The probes themselves never see the bus or a meter.
 */
public final class ProbeSchedulerVerticle extends VerticleBase {
    private final MailprobeConfig config;
    private final ConnectionLimiter limiter;
    private final ScheduleMetrics scheduleMetrics;
    private final ShardPlan shard;
    private FixedRateScheduler scheduler;
    private Probers probers;

    public ProbeSchedulerVerticle(MailprobeConfig config, ShardPlan shard, ConnectionLimiter limiter,
                                  ScheduleMetrics scheduleMetrics) {
        this.config = config;
        this.shard = shard;
        this.limiter = limiter;
        this.scheduleMetrics = scheduleMetrics;
    }

    @Override
    public Future<?> start() {
        probers = Probers.create(vertx);
        scheduler = new FixedRateScheduler(vertx);
        for (Node node : shard.nodes()) {
            for (Protocol protocol : node.protocols().keySet()) {
                ProbeTarget target = ProbeTarget.of(node, protocol).withEnvelopeAddress(ProbeTarget.envelopeAddress(config));
                schedule(node.name(), protocol, target.settings().interval(), () -> probers.probe(target));
            }
        }
        EntryPointProber entryPoints = new EntryPointProber(config, probers);
        for (EntryPoint ep : shard.entryPoints()) {
            for (Protocol protocol : ep.protocols().keySet()) {
                schedule(ep.name(), protocol, ep.protocols().get(protocol).settings().interval(),
                        () -> entryPoints.probe(ep, protocol));
            }
        }
        return Future.succeededFuture();
    }

    private void schedule(String name, Protocol protocol, java.time.Duration interval, Supplier<Future<ProbeResult>> probe) {
        FixedRateScheduler.JobStats stats = scheduler.schedule(name + "/" + protocol.label(), interval,
                () -> limiter.acquire(name).compose(permit -> probe.get()
                        .onComplete(ar -> permit.release())
                        .map(result -> {
                            vertx.eventBus().publish(ResultBus.PROBE_RESULTS, result);
                            return result.success();
                        })));
        scheduleMetrics.register(name, protocol, stats);
    }

    /** Stops scheduling and closes the probe client, cutting any connection still open. */
    @Override
    public Future<?> stop() {
        scheduler.stop();
        return probers.close();
    }
}
