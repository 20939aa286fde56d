package dev.mailprobe.runtime;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.function.Consumer;

/** A verticle that hands every message of one bus address to a consumer room (metrics, health...). */
public final class ResultConsumerVerticle<T> extends VerticleBase {
    private final String address;
    private final Consumer<T> sink;
    private MessageConsumer<T> consumer;

    public ResultConsumerVerticle(String address, Consumer<T> sink) {
        this.address = address;
        this.sink = sink;
    }

    @Override
    public Future<?> start() {
        consumer = vertx.eventBus().localConsumer(address, message -> sink.accept(message.body()));
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        return consumer.unregister();
    }
}
