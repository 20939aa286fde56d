package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.RoundTripSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Configs with shortened round-trip durations and a result collector. */
final class RoundTripFixtures {
    private RoundTripFixtures() {}

    static MailprobeConfig withRoundTrip(MailprobeConfig base, Duration deliveredWithin, Duration lostAfter) {
        return withRoundTrip(base, deliveredWithin, lostAfter, base.roundTrip().matrix());
    }

    static MailprobeConfig withRoundTrip(MailprobeConfig base, Duration deliveredWithin, Duration lostAfter,
                                         RoundTripSettings.Matrix matrix) {
        RoundTripSettings rt = base.roundTrip();
        RoundTripSettings shorter = new RoundTripSettings(Duration.ofSeconds(1), rt.from(), rt.to(), rt.account(),
                deliveredWithin, lostAfter, rt.tokenKey(), matrix);
        return new MailprobeConfig(base.cluster(), base.vantage(), base.http(), base.store(), base.probe(),
                base.accounts(), base.nodes(), base.entryPoints(), shorter, base.slos(), base.knownJobs());
    }

    /** Collects results published by an engine. */
    static final class Results implements Consumer<RoundTripResult> {
        final BlockingQueue<RoundTripResult> queue = new LinkedBlockingQueue<>();
        final List<RoundTripResult> all = java.util.Collections.synchronizedList(new ArrayList<>());

        @Override
        public void accept(RoundTripResult r) {
            all.add(r);
            queue.add(r);
        }

        /** Waits for {@code n} results in total (across calls), failing after {@code timeout}. */
        List<RoundTripResult> await(int n, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<RoundTripResult> got = new ArrayList<>();
            while (got.size() < n) {
                long left = deadline - System.nanoTime();
                RoundTripResult r = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
                if (r == null) {
                    throw new AssertionError("got " + got.size() + " of " + n + " results within " + timeout + ": " + got);
                }
                got.add(r);
            }
            return got;
        }
    }
}
