package dev.mailprobe.schedule;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs jobs at a fixed rate on the monotonic clock. Each job's slots are
 * {@code start + offset + k * interval}, where the offset is a stable hash of the job key, so
 * targets spread over the interval and keep their place across restarts. Each run fires a small
 * random jitter after its slot; jitter never shifts later slots. A job still running at its next
 * slot is counted as an overrun and that slot is skipped, never queued (no coordinated omission:
 * the missed sample is visible, not silently delayed). A failing job backs off (see {@link Backoff}).
 *
 * <p>Must be used from one Vert.x context (a verticle): timers fire on the context that set them.
 */
public final class FixedRateScheduler {
    private final Vertx vertx;
    private final LongSupplier nanoClock;
    private final Random random;
    private final List<Job> jobs = new ArrayList<>();
    private volatile boolean stopped;

    public FixedRateScheduler(Vertx vertx) {
        this(vertx, System::nanoTime, new Random());
    }

    FixedRateScheduler(Vertx vertx, LongSupplier nanoClock, Random random) {
        this.vertx = vertx;
        this.nanoClock = nanoClock;
        this.random = random;
    }

    /**
     * Schedules {@code run}; its future's value says whether the run was healthy (drives backoff).
     *
     * @return the job's live statistics
     */
    public JobStats schedule(String key, Duration interval, Supplier<Future<Boolean>> run) {
        long intervalNanos = interval.toNanos();
        if (intervalNanos <= 0) {
            throw new IllegalArgumentException("interval must be positive: " + key);
        }
        Job job = new Job(key, intervalNanos, run);
        job.context = vertx.getOrCreateContext();
        jobs.add(job);
        job.nextSlot = nanoClock.getAsLong() + phaseOffset(key, intervalNanos);
        job.arm();
        return job.stats;
    }

    /** Stops firing; runs in flight finish on their own. */
    public void stop() {
        stopped = true;
        for (Job job : jobs) {
            if (job.timerId >= 0) {
                vertx.cancelTimer(job.timerId);
            }
        }
    }

    /** A stable offset in [0, interval) from the key (FNV-1a), the same on every start. */
    static long phaseOffset(String key, long intervalNanos) {
        long hash = 0xcbf29ce484222325L;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return Math.floorMod(hash, intervalNanos);
    }

    /** Up to a tenth of the interval, at most one second. */
    static long maxJitterNanos(long intervalNanos) {
        return Math.min(intervalNanos / 10, TimeUnit.SECONDS.toNanos(1));
    }

    /** Live per-job numbers, readable from any thread. */
    public static final class JobStats {
        private final String key;
        private final AtomicLong runs = new AtomicLong();
        private final AtomicLong overruns = new AtomicLong();
        private volatile int backoffFactor = 1;

        JobStats(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        public long runs() {
            return runs.get();
        }

        public long overruns() {
            return overruns.get();
        }

        public int backoffFactor() {
            return backoffFactor;
        }
    }

    private final class Job {
        final String key;
        final long intervalNanos;
        final Supplier<Future<Boolean>> run;
        final JobStats stats;
        final Backoff backoff = new Backoff();
        long nextSlot;
        long timerId = -1;
        boolean inFlight;
        io.vertx.core.Context context;

        Job(String key, long intervalNanos, Supplier<Future<Boolean>> run) {
            this.key = key;
            this.intervalNanos = intervalNanos;
            this.run = run;
            this.stats = new JobStats(key);
        }

        /**
         * The target recovered: its next slot was planned at the slowed-down rate. Bring it back to
         * the normal grid (one interval after the slot that succeeded), so recovery is confirmed
         * at the normal rate and a node's UP is not declared several intervals late.
         */
        void replanAfterRecovery(long succeededSlot) {
            long normal = succeededSlot + intervalNanos;
            long now = nanoClock.getAsLong();
            while (normal <= now) {
                normal += intervalNanos;
            }
            if (normal < nextSlot && !stopped) {
                if (timerId >= 0) {
                    vertx.cancelTimer(timerId);
                }
                nextSlot = normal;
                arm();
            }
        }

        void arm() {
            if (stopped) {
                return;
            }
            long jitter = maxJitterNanos(intervalNanos) == 0 ? 0 : (long) (random.nextDouble() * maxJitterNanos(intervalNanos));
            long delayNanos = Math.max(0, nextSlot + jitter - nanoClock.getAsLong());
            timerId = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(delayNanos)), id -> fire());
        }

        void fire() {
            timerId = -1;
            if (stopped) {
                return;
            }
            long slot = nextSlot;
            // the next slot is fixed now, from the slot (not from when the run ends)
            nextSlot += intervalNanos * backoff.factor();
            long now = nanoClock.getAsLong();
            while (nextSlot <= now) {
                // slots missed while the process stalled (GC, suspended VM) are counted, not replayed
                stats.overruns.incrementAndGet();
                nextSlot += intervalNanos;
            }
            if (inFlight) {
                stats.overruns.incrementAndGet();
            } else {
                start(slot);
            }
            arm();
        }

        void start(long slot) {
            inFlight = true;
            stats.runs.incrementAndGet();
            Future<Boolean> f;
            try {
                f = run.get();
            } catch (RuntimeException e) {
                f = Future.failedFuture(e);
            }
            f.onComplete(ar -> context.runOnContext(v -> {
                inFlight = false;
                int before = backoff.factor();
                backoff.record(ar.succeeded() && Boolean.TRUE.equals(ar.result()));
                stats.backoffFactor = backoff.factor();
                if (backoff.factor() < before) {
                    replanAfterRecovery(slot);
                }
            }));
        }
    }
}
