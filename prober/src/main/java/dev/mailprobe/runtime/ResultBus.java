package dev.mailprobe.runtime;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Addresses and codecs of the event bus that carries probe results one way, from the probes to
 * their consumers (metrics, health, SLO, store). Results are immutable records passed by reference:
 * the bus is local to the process, nothing is serialised.
 */
public final class ResultBus {
    /** {@link dev.mailprobe.probe.ProbeResult}s of session probes, nodes and entry points alike. */
    public static final String PROBE_RESULTS = "mailprobe.results.probe";
    /** {@link dev.mailprobe.probe.roundtrip.RoundTripResult}s: one final result per round-trip mail. */
    public static final String ROUNDTRIP_RESULTS = "mailprobe.results.roundtrip";

    private ResultBus() {}

    /** Registers a pass-by-reference codec as the default for {@code type} (idempotent per Vertx). */
    public static <T> void registerLocalCodec(Vertx vertx, Class<T> type) {
        try {
            vertx.eventBus().registerDefaultCodec(type, new LocalCodec<>(type));
        } catch (IllegalStateException alreadyRegistered) {
            // a second runtime on the same Vertx (tests) registers the same codec again
        }
    }

    private record LocalCodec<T>(Class<T> type) implements MessageCodec<T, T> {
        @Override
        public void encodeToWire(Buffer buffer, T t) {
            throw new UnsupportedOperationException(type.getSimpleName() + " never leaves this process");
        }

        @Override
        public T decodeFromWire(int pos, Buffer buffer) {
            throw new UnsupportedOperationException(type.getSimpleName() + " never leaves this process");
        }

        @Override
        public T transform(T t) {
            return t;
        }

        @Override
        public String name() {
            return "local-" + type.getName();
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }
}
