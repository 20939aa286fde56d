package dev.mailprobe.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's semantics on a real Vert.x event loop. Bounds are deliberately loose: they
 * separate fixed-rate from fixed-delay and skipping from queueing, not milliseconds.
 */
class FixedRateSchedulerTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void phaseOffsetIsStableAndInsideTheInterval() {
        long interval = Duration.ofSeconds(30).toNanos();
        long a = FixedRateScheduler.phaseOffset("smtp-1/smtp", interval);
        assertThat(FixedRateScheduler.phaseOffset("smtp-1/smtp", interval)).isEqualTo(a);
        assertThat(a).isBetween(0L, interval - 1);
        assertThat(FixedRateScheduler.phaseOffset("smtp-2/smtp", interval)).isNotEqualTo(a);
    }

    @Test
    void jitterIsAtMostATenthOfTheIntervalAndAtMostOneSecond() {
        assertThat(FixedRateScheduler.maxJitterNanos(Duration.ofMillis(500).toNanos()))
                .isEqualTo(Duration.ofMillis(50).toNanos());
        assertThat(FixedRateScheduler.maxJitterNanos(Duration.ofMinutes(5).toNanos()))
                .isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void slotsAreAnchoredToTheRateNotToWhenTheLastRunEnded() throws Exception {
        // each run takes 60 ms of a 100 ms interval: fixed rate gives ~20 runs in 2 s,
        // fixed delay (next run 100 ms after the last ended) would give ~12
        List<Long> starts = new CopyOnWriteArrayList<>();
        FixedRateScheduler.JobStats stats = onContext(s -> s.schedule("job", Duration.ofMillis(100), () -> {
            starts.add(System.nanoTime());
            return after(60, true);
        }));
        Thread.sleep(2_000);
        assertThat(stats.runs()).isGreaterThanOrEqualTo(16);
        assertThat(stats.overruns()).isZero();
    }

    @Test
    void aRunStillGoingAtItsNextSlotIsCountedAsAnOverrunAndNotQueued() throws Exception {
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        FixedRateScheduler.JobStats stats = onContext(s -> s.schedule("slow", Duration.ofMillis(100), () -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            return after(250, true).onComplete(ar -> concurrent.decrementAndGet());
        }));
        Thread.sleep(1_300);
        assertThat(maxConcurrent.get()).isEqualTo(1);
        assertThat(stats.overruns()).isGreaterThanOrEqualTo(4);
        // queued runs would have caught up: one run per slot. Skipped ones do not.
        assertThat(stats.runs()).isLessThanOrEqualTo(5);
    }

    @Test
    void aFailingJobBacksOffToFourTimesItsIntervalAndRecoversOnSuccess() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        var healthy = new java.util.concurrent.atomic.AtomicBoolean(false);
        FixedRateScheduler.JobStats stats = onContext(s -> s.schedule("sick", Duration.ofMillis(50), () -> {
            calls.incrementAndGet();
            return Future.succeededFuture(healthy.get());
        }));
        waitUntil(() -> stats.backoffFactor() == 4, 3_000);
        assertThat(stats.backoffFactor()).isEqualTo(4);
        healthy.set(true);
        waitUntil(() -> stats.backoffFactor() == 1, 3_000);
        assertThat(stats.backoffFactor()).isEqualTo(1);
    }

    @Test
    void theFirstSuccessAfterBackoffBringsTheNextRunBackToTheNormalRate() throws Exception {
        // interval 200 ms; failing, it slows to 800 ms. After the first success the next run must
        // come one interval later, not one slowed-down interval later.
        var healthy = new java.util.concurrent.atomic.AtomicBoolean(false);
        List<Long> starts = new CopyOnWriteArrayList<>();
        FixedRateScheduler.JobStats stats = onContext(s -> s.schedule("recovering", Duration.ofMillis(200), () -> {
            starts.add(System.nanoTime());
            return Future.succeededFuture(healthy.get());
        }));
        waitUntil(() -> stats.backoffFactor() == 4, 5_000);
        int before = starts.size();
        healthy.set(true);
        waitUntil(() -> starts.size() >= before + 3, 10_000);
        // runs before+1 (first success, still at the slow rate's slot) and before+2 (replanned)
        long gap = TimeUnit.NANOSECONDS.toMillis(starts.get(before + 1) - starts.get(before));
        assertThat(gap).as("gap after the first success").isLessThan(600);
    }

    @Test
    void aJobThatThrowsCountsAsAFailedRunAndKeepsItsSchedule() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        onContext(s -> s.schedule("throws", Duration.ofMillis(50), () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        }));
        waitUntil(() -> calls.get() >= 3, 5_000);
        assertThat(calls.get()).isGreaterThanOrEqualTo(3);
    }

    private Future<Boolean> after(long millis, boolean healthy) {
        Promise<Boolean> p = Promise.promise();
        vertx.setTimer(millis, id -> p.complete(healthy));
        return p.future();
    }

    /** Creates the scheduler and schedules on one Vert.x context, as a verticle would. */
    private FixedRateScheduler.JobStats onContext(java.util.function.Function<FixedRateScheduler, FixedRateScheduler.JobStats> setup)
            throws Exception {
        CompletableFuture<FixedRateScheduler.JobStats> result = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> result.complete(setup.apply(new FixedRateScheduler(vertx))));
        return result.get(5, TimeUnit.SECONDS);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
