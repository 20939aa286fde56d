package dev.mailprobe.demo;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code demo --scenario seed}: the story behind mailprobe, replayed. A hidden periodic job (the
 * monitoring sweep of the story) fires every {@code period} at a fixed phase of the wall clock; each
 * time, only when a hidden condition holds (probability {@code crashProbability}), it crashes one
 * node picked at random for {@code crashLength}. Crashes look random by node and hour; the
 * {@code report} command's periodicity search finds the period once enough of them have happened.
 *
 * <p>The scenario only drives faults; mailprobe observes it like any outage, through its probes.
 */
public final class SeedScenario {
    private static final Logger log = LoggerFactory.getLogger(SeedScenario.class);

    /**
     * @param phase offset of the trigger within each period, from the Unix epoch
     */
    public record Settings(Duration period, Duration phase, double crashProbability, Duration crashLength, long seed) {
        /** A sweep every minute at :17, crashing a node 4 times in 5, for 15 s. */
        public static Settings story() {
            return new Settings(Duration.ofMinutes(1), Duration.ofSeconds(17), 0.8, Duration.ofSeconds(15), System.nanoTime());
        }
    }

    private final Vertx vertx;
    private final FaultInjector faults;
    private final Settings settings;
    private final Random random;
    private final List<Instant> crashes = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;
    private long timerId = -1;

    public SeedScenario(Vertx vertx, FaultInjector faults, Settings settings) {
        this.vertx = vertx;
        this.faults = faults;
        this.settings = settings;
        this.random = new Random(settings.seed());
    }

    public void start() {
        armNext();
    }

    public void stop() {
        stopped = true;
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
    }

    /** When the hidden job crashed a node (wall clock), oldest first. */
    public List<Instant> crashes() {
        return Collections.unmodifiableList(crashes);
    }

    /** The next trigger strictly after {@code now}: epoch + phase + k * period. */
    static Instant nextTrigger(Instant now, Duration period, Duration phase) {
        long p = period.toMillis();
        long k = Math.floorDiv(now.toEpochMilli() - phase.toMillis(), p) + 1;
        return Instant.ofEpochMilli(k * p + phase.toMillis());
    }

    private void armNext() {
        if (stopped) {
            return;
        }
        Instant next = nextTrigger(Instant.now(), settings.period(), settings.phase());
        long delay = Math.max(1, Duration.between(Instant.now(), next).toMillis());
        timerId = vertx.setTimer(delay, id -> {
            sweep();
            armNext();
        });
    }

    private void sweep() {
        if (stopped || random.nextDouble() >= settings.crashProbability()) {
            return;
        }
        List<String> healthy = new ArrayList<>();
        faults.modes().forEach((node, mode) -> {
            if (mode == FaultMode.NONE) {
                healthy.add(node);
            }
        });
        if (healthy.isEmpty()) {
            return;
        }
        String node = healthy.get(random.nextInt(healthy.size()));
        crashes.add(Instant.now());
        log.info("seed scenario: the hidden sweep crashed {}", node);
        faults.apply(node, FaultMode.CRASH, null);
        vertx.setTimer(settings.crashLength().toMillis(), id -> {
            if (!stopped && faults.modes().get(node) == FaultMode.CRASH) {
                faults.apply(node, FaultMode.NONE, null);
            }
        });
    }
}
