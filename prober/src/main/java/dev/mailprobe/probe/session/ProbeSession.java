package dev.mailprobe.probe.session;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.ProbeTarget;
import dev.mailprobe.probe.SessionOutcome;
import dev.mailprobe.probe.TlsInfo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The state of one probe: socket, line reader, transcript, phase clock, last reply and deadline.
 * Steps are small classes that use it; {@link #step} gives every step its own timer, bounded by
 * the probe's total timeout. Everything runs on one event-loop context, so no locking.
 */
public final class ProbeSession {
    private final Vertx vertx;
    private final NetClient client;
    private final TlsOptionsCache tlsOptions;
    private final ProbeResources resources;
    private final ProbeTarget target;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    private final PhaseClock clock = new PhaseClock(startNanos);
    private final Transcript transcript = new Transcript();
    private final LineReader reader = new LineReader();

    private NetSocket socket;
    private boolean socketOpen;
    private boolean aborted;
    private int replyCode;
    private String replyText;
    private TlsInfo tls;
    private String greeting;
    private String peerAddress;
    private Phase lastPhase;

    ProbeSession(Vertx vertx, NetClient client, TlsOptionsCache tlsOptions,
                 ProbeResources resources, ProbeTarget target) {
        this.vertx = vertx;
        this.client = client;
        this.tlsOptions = tlsOptions;
        this.resources = resources;
        this.target = target;
        this.deadlineNanos = startNanos + target.settings().timeout().toNanos();
    }

    public ProbeTarget target() {
        return target;
    }

    public Vertx vertx() {
        return vertx;
    }

    NetClient client() {
        return client;
    }

    TlsOptionsCache tlsOptions() {
        return tlsOptions;
    }

    public LineReader reader() {
        return reader;
    }

    public Transcript transcript() {
        return transcript;
    }

    public NetSocket socket() {
        return socket;
    }

    /** Nanoseconds left before the probe's total timeout. */
    public long remainingNanos() {
        return deadlineNanos - System.nanoTime();
    }

    /**
     * Runs one step in {@code phase} under its own deadline (the time left of the total timeout).
     * When the deadline passes first the step fails with {@code timeout} in that phase and the
     * socket is closed; a failure of the body is classified and stamped with the phase.
     */
    public <T> Future<T> step(Phase phase, String name, Supplier<Future<T>> body) {
        if (aborted) {
            return Future.failedFuture(new ProbeFailure(FailureReason.PROTOCOL_ERROR, phase, "probe already aborted"));
        }
        clock.enter(phase);
        lastPhase = phase;
        long remaining = remainingNanos();
        if (remaining <= 0) {
            abort();
            return Future.failedFuture(new ProbeFailure(FailureReason.TIMEOUT, phase,
                    "probe timeout of " + target.settings().timeout().toMillis() + " ms used up before " + name));
        }
        Promise<T> promise = Promise.promise();
        long delayMs = Math.max(1, (remaining + 999_999) / 1_000_000);
        long timer = vertx.setTimer(delayMs, id -> {
            resources.timerDone();
            if (promise.tryFail(new ProbeFailure(FailureReason.TIMEOUT, phase,
                    name + ": no answer within the probe timeout of " + target.settings().timeout().toMillis() + " ms"))) {
                transcript.note("timeout in phase " + phase + " (" + name + ")");
                abort();
            }
        });
        resources.timerArmed();
        Future<T> f;
        try {
            f = body.get();
        } catch (RuntimeException e) {
            f = Future.failedFuture(e);
        }
        f.onComplete(ar -> {
            if (vertx.cancelTimer(timer)) {
                resources.timerDone();
            }
            if (ar.succeeded()) {
                promise.tryComplete(ar.result());
            } else {
                promise.tryFail(FailureClassifier.classify(ar.cause(), phase));
            }
        });
        return promise.future();
    }

    /** Sends {@code line} + CRLF, shown in the transcript as is. Never use for credentials. */
    public void send(String line) {
        send(line, line);
    }

    /** Sends {@code line} + CRLF, shown in the transcript as {@code shown} (the redacted form). */
    public void send(String line, String shown) {
        transcript.client(shown);
        if (socket != null && socketOpen) {
            socket.write(Buffer.buffer(line + "\r\n", StandardCharsets.UTF_8.name()));
        }
    }

    /** A line received from the server, into the transcript. */
    public void received(String line) {
        transcript.server(line);
    }

    /** The last server reply, for the result. */
    public void reply(int code, String text) {
        this.replyCode = code;
        this.replyText = text;
    }

    public void greeting(String text) {
        this.greeting = text;
    }

    /** A failure of the current step (its phase is stamped by {@link #step}). */
    public <T> Future<T> fail(FailureReason reason, String message) {
        return Future.failedFuture(new ProbeFailure(reason, message));
    }

    void attach(NetSocket s) {
        if (aborted) {
            s.close();
            return;
        }
        socket = s;
        socketOpen = true;
        resources.socketOpened();
        peerAddress = s.remoteAddress() != null ? s.remoteAddress().hostAddress() : null;
        s.handler(reader::feed);
        s.exceptionHandler(reader::failed);
        s.closeHandler(v -> {
            if (socketOpen) {
                socketOpen = false;
                resources.socketClosed();
            }
            reader.closed();
        });
    }

    boolean aborted() {
        return aborted;
    }

    void tls(TlsInfo info) {
        this.tls = info;
    }

    private void abort() {
        aborted = true;
        closeSocket();
    }

    private void closeSocket() {
        if (socket != null && socketOpen) {
            socket.close();
        }
    }

    /** Turns the dialogue's outcome into the result; always closes the socket. */
    Future<SessionOutcome> finish(Future<?> dialogue) {
        return dialogue.transform(ar -> {
            clock.stop();
            aborted = true;
            closeSocket();
            ProbeFailure failure = ar.failed() ? FailureClassifier.classify(ar.cause(), lastPhase()) : null;
            if (failure != null) {
                transcript.note("failed in phase " + failure.phase() + ": " + failure.reason() + ": " + failure.getMessage());
            }
            ProbeResult result = new ProbeResult(
                    target.name(),
                    target.entryPoint(),
                    target.protocol(),
                    target.servedBy() != null ? target.servedBy() : "unknown",
                    startedAt,
                    failure == null,
                    failure == null ? null : failure.reason(),
                    failure == null ? null : failure.phase(),
                    clock.durations(),
                    replyCode,
                    replyText == null ? "" : transcript.scrub(replyText),
                    tls,
                    transcript.lines(),
                    failure == null ? null : transcript.scrub(failure.getMessage()));
            return Future.succeededFuture(new SessionOutcome(result, greeting == null ? null : transcript.scrub(greeting), peerAddress));
        });
    }

    private Phase lastPhase() {
        return lastPhase != null ? lastPhase : Phase.CONNECT;
    }
}
