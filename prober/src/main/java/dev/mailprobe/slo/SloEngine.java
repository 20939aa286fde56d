package dev.mailprobe.slo;

import dev.mailprobe.config.SloSpec;
import dev.mailprobe.store.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-process SLO engine: counts SLI events into one-minute slices per (SLO, node), keeps them
 * in memory for the longest window and in the store (table {@value #TABLE}), and computes error
 * ratios, burn rates, remaining budgets and per-node / per-interval attribution.
 *
 * <p><b>Windows.</b> A window of length W at instant t covers the slices whose minute start m
 * satisfies {@code t - W <= m < t}. At a minute boundary that is exactly the last W of completed
 * minutes (the same events as Prometheus' {@code increase(...[W])} of counters sampled on minute
 * boundaries); between boundaries it is the current, partial minute plus the W/1m - 1 minutes
 * before it. A window always holds W/1m slices.
 *
 * <p><b>Persistence.</b> Write-through: every recorded event is upserted into its slice row
 * before {@link #record} returns (a failed write is kept and retried on the next record or
 * {@link #flush}). On construction the slices of the longest window are loaded back, so budgets
 * survive restarts. Rows older than the longest window (plus a day) are pruned hourly.
 *
 * <p><b>Threads.</b> Every public method is synchronized: one verticle feeds it, the HTTP thread
 * and the metrics scrape read snapshots. The store writes block (SQLite, synchronous=FULL):
 * feed the engine from a worker verticle or {@code executeBlocking}, not from an event loop.
 */
public final class SloEngine {
    /** Fewer events than this in a window make its burn rate "not meaningful" (NaN / null). */
    public static final int MIN_EVENTS = 10;
    static final String TABLE = "slo_slices";
    static final String ROOM = "slo";
    private static final Logger LOG = Logger.getLogger(SloEngine.class.getName());
    private static final long MINUTE = 60;
    private static final long PRUNE_EVERY = 3_600;

    private final Store store;
    private final Clock clock;
    private final int minEvents;
    private final Map<String, SloState> slos = new LinkedHashMap<>();
    private final Map<SliceKey, long[]> pendingWrites = new LinkedHashMap<>();
    private final List<Consumer<SliEvent>> listeners = new CopyOnWriteArrayList<>();
    private long lastPrune;

    /**
     * @param store null for an in-memory engine (tests, simulations)
     * @param minEvents the low-traffic threshold, normally {@link #MIN_EVENTS}
     */
    public SloEngine(List<SloSpec> specs, Store store, Clock clock, int minEvents) throws Store.StoreException {
        this.store = store;
        this.clock = Objects.requireNonNull(clock);
        this.minEvents = minEvents;
        for (SloSpec spec : specs) {
            if (slos.put(spec.name(), new SloState(spec)) != null) {
                throw new IllegalArgumentException("SLO " + spec.name() + " configured twice");
            }
        }
        if (store != null) {
            store.migrate(ROOM, 1,
                    "CREATE TABLE IF NOT EXISTS " + TABLE + " (slo TEXT NOT NULL, node TEXT NOT NULL,"
                            + " minute_start INTEGER NOT NULL, good INTEGER NOT NULL DEFAULT 0,"
                            + " bad INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (slo, node, minute_start)) WITHOUT ROWID",
                    "CREATE INDEX IF NOT EXISTS " + TABLE + "_minute ON " + TABLE + " (minute_start)");
            load(clock.instant());
        }
    }

    public SloEngine(List<SloSpec> specs, Store store, Clock clock) throws Store.StoreException {
        this(specs, store, clock, MIN_EVENTS);
    }

    /** An engine without persistence. */
    public static SloEngine inMemory(List<SloSpec> specs, Clock clock) {
        try {
            return new SloEngine(specs, null, clock, MIN_EVENTS);
        } catch (Store.StoreException e) {
            throw new AssertionError(e);
        }
    }

    public List<SloSpec> specs() {
        return slos.values().stream().map(s -> s.spec).toList();
    }

    public int minEvents() {
        return minEvents;
    }

    /** Called (on the recording thread) for every event the engine accepted, e.g. to count it. */
    public void addListener(Consumer<SliEvent> listener) {
        listeners.add(listener);
    }

    /**
     * Counts one event. Events of an SLO that is not configured are ignored (returns false), as
     * are events older than the longest window the engine keeps.
     */
    public boolean record(SliEvent event) {
        boolean accepted;
        synchronized (this) {
            accepted = recordLocked(event);
        }
        if (accepted) {
            for (Consumer<SliEvent> l : listeners) {
                l.accept(event);
            }
        }
        return accepted;
    }

    private boolean recordLocked(SliEvent event) {
        SloState state = slos.get(event.slo());
        if (state == null) {
            return false;
        }
        long minute = minuteStart(event.at());
        long g = event.good() ? 1 : 0;
        long b = event.good() ? 0 : 1;
        if (!state.ring(event.node()).add(minute, g, b)) {
            return false;
        }
        if (store != null) {
            long[] pending = pendingWrites.computeIfAbsent(new SliceKey(event.slo(), event.node(), minute), k -> new long[2]);
            pending[0] += g;
            pending[1] += b;
            flushLocked();
            if (minute - lastPrune >= PRUNE_EVERY) {
                prune(minute);
            }
        }
        return true;
    }

    /** Retries store writes that failed earlier; true when nothing is pending. */
    public synchronized boolean flush() {
        return flushLocked();
    }

    private boolean flushLocked() {
        if (store == null || pendingWrites.isEmpty()) {
            return true;
        }
        synchronized (store) {
            Connection c = store.connection();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + TABLE
                    + " (slo, node, minute_start, good, bad) VALUES (?, ?, ?, ?, ?)"
                    + " ON CONFLICT (slo, node, minute_start) DO UPDATE SET good = good + excluded.good, bad = bad + excluded.bad")) {
                var it = pendingWrites.entrySet().iterator();
                while (it.hasNext()) {
                    var e = it.next();
                    ps.setString(1, e.getKey().slo());
                    ps.setString(2, e.getKey().node());
                    ps.setLong(3, e.getKey().minuteStart());
                    ps.setLong(4, e.getValue()[0]);
                    ps.setLong(5, e.getValue()[1]);
                    ps.executeUpdate();
                    it.remove();
                }
                return true;
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "cannot write SLO slices (" + pendingWrites.size() + " pending, kept in memory): " + e.getMessage());
                return false;
            }
        }
    }

    private void load(Instant now) throws Store.StoreException {
        synchronized (store) {
            Connection c = store.connection();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT node, minute_start, good, bad FROM " + TABLE + " WHERE slo = ? AND minute_start >= ?")) {
                for (SloState state : slos.values()) {
                    ps.setString(1, state.spec.name());
                    ps.setLong(2, lastSliceBefore(now) - (long) (state.capacity - 1) * MINUTE);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            state.ring(rs.getString(1)).add(rs.getLong(2), rs.getLong(3), rs.getLong(4));
                        }
                    }
                }
            } catch (SQLException e) {
                throw new Store.StoreException("cannot load SLO slices from " + store.path() + ": " + e.getMessage(), e);
            }
        }
        prune(minuteStart(now));
    }

    private void prune(long minute) {
        lastPrune = minute;
        long keep = slos.values().stream().mapToLong(s -> s.capacity).max().orElse(0) * MINUTE + 86_400;
        synchronized (store) {
            try (PreparedStatement ps = store.connection().prepareStatement("DELETE FROM " + TABLE + " WHERE minute_start < ?")) {
                ps.setLong(1, minute - keep);
                ps.executeUpdate();
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "cannot prune old SLO slices: " + e.getMessage());
            }
        }
    }

    /** Every SLO at {@code now}; see the class comment for the window edges. */
    public synchronized SloSnapshot snapshot(Instant now) {
        long last = lastSliceBefore(now);
        List<SloSnapshot.SloStatus> out = new ArrayList<>();
        for (SloState state : slos.values()) {
            List<SloWindow> windows = state.windows;
            long[] good = new long[windows.size()];
            long[] bad = new long[windows.size()];
            Map<String, Long> badByNodeInPeriod = new TreeMap<>();
            int periodIndex = indexOfPeriod(windows);
            int longest = windows.get(windows.size() - 1).slices();
            for (var entry : state.rings.entrySet()) {
                Ring ring = entry.getValue();
                long g = 0;
                long b = 0;
                int w = 0;
                for (int k = 1; k <= longest && w < windows.size(); k++) {
                    long m = last - (long) (k - 1) * MINUTE;
                    int i = ring.index(m);
                    if (i >= 0) {
                        g += ring.good[i];
                        b += ring.bad[i];
                    }
                    while (w < windows.size() && windows.get(w).slices() == k) {
                        good[w] += g;
                        bad[w] += b;
                        if (w == periodIndex) {
                            badByNodeInPeriod.put(entry.getKey(), b);
                        }
                        w++;
                    }
                }
            }
            double budget = 1 - state.spec.objective();
            List<SloSnapshot.WindowStats> stats = new ArrayList<>();
            for (int w = 0; w < windows.size(); w++) {
                long total = good[w] + bad[w];
                double ratio = total == 0 ? Double.NaN : (double) bad[w] / total;
                stats.add(new SloSnapshot.WindowStats(windows.get(w), good[w], bad[w], ratio, ratio / budget, total >= minEvents));
            }
            long periodTotal = good[periodIndex] + bad[periodIndex];
            Map<String, Double> byNode = new TreeMap<>();
            badByNodeInPeriod.forEach((node, b) -> byNode.put(node, periodTotal == 0 ? 0.0 : b / (periodTotal * budget)));
            out.add(new SloSnapshot.SloStatus(state.spec, stats, byNode));
        }
        return new SloSnapshot(now, minEvents, out);
    }

    /** Budget of {@code slo} consumed by {@code node} in [from, to), as of the clock's now; see {@link #impactBetween}. */
    public double consumedBetween(String slo, String node, Instant from, Instant to) {
        return impactBetween(slo, node, from, to, clock.instant()).budgetConsumed();
    }

    /**
     * The customer impact of {@code node} in [from, to) for {@code slo}: its bad (and good) events
     * in the minute slices overlapping the interval (minute granularity: a slice is counted whole),
     * and the share of the error budget of the period ending at {@code asOf} they consumed. Only
     * slices inside that period count ({@link BudgetImpact#complete()} says whether that is all of
     * them). 0 bad events = absorbed.
     */
    public synchronized BudgetImpact impactBetween(String slo, String node, Instant from, Instant to, Instant asOf) {
        SloState state = slos.get(slo);
        if (state == null) {
            throw new IllegalArgumentException("no SLO " + slo);
        }
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("interval ends before it starts: " + from + " .. " + to);
        }
        SloWindow period = state.windows.get(indexOfPeriod(state.windows));
        long last = lastSliceBefore(asOf);
        long first = last - (long) (period.slices() - 1) * MINUTE;
        long lo = minuteStart(from);
        long hi = lastSliceBefore(to);
        if (hi < lo) {
            hi = lo; // an empty or sub-minute interval still touches its minute
        }
        Ring ring = state.rings.get(node);
        long g = 0;
        long b = 0;
        for (long m = Math.max(lo, first); m <= Math.min(hi, last); m += MINUTE) {
            int i = ring == null ? -1 : ring.index(m);
            if (i >= 0) {
                g += ring.good[i];
                b += ring.bad[i];
            }
        }
        long total = 0;
        for (Ring r : state.rings.values()) {
            for (long m = first; m <= last; m += MINUTE) {
                int i = r.index(m);
                if (i >= 0) {
                    total += r.good[i] + r.bad[i];
                }
            }
        }
        double consumed = total == 0 ? 0.0 : b / (total * (1 - state.spec.objective()));
        boolean complete = lo >= first && hi <= last;
        return new BudgetImpact(slo, node, from, to, asOf, g, b, consumed, complete);
    }

    private static int indexOfPeriod(List<SloWindow> windows) {
        for (int i = 0; i < windows.size(); i++) {
            if (windows.get(i).period()) {
                return i;
            }
        }
        throw new IllegalStateException("no period window");
    }

    /** Epoch second of the start of the minute containing {@code t}. */
    static long minuteStart(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), MINUTE) * MINUTE;
    }

    /** Epoch second of the start of the newest minute that starts strictly before {@code t}. */
    static long lastSliceBefore(Instant t) {
        long m = minuteStart(t);
        return m == t.getEpochSecond() && t.getNano() == 0 ? m - MINUTE : m;
    }

    private record SliceKey(String slo, String node, long minuteStart) {}

    private static final class SloState {
        final SloSpec spec;
        final List<SloWindow> windows;
        /** Slices kept per node: the longest window plus two (the current minute, late events). */
        final int capacity;
        final Map<String, Ring> rings = new TreeMap<>();

        SloState(SloSpec spec) {
            this.spec = spec;
            this.windows = SloWindow.of(spec);
            this.capacity = windows.get(windows.size() - 1).slices() + 2;
        }

        Ring ring(String node) {
            return rings.computeIfAbsent(node, n -> new Ring(capacity));
        }
    }

    /** Minute slices of one (SLO, node) in a ring indexed by minute number. */
    private static final class Ring {
        final long[] minute;
        final long[] good;
        final long[] bad;

        Ring(int capacity) {
            minute = new long[capacity];
            Arrays.fill(minute, Long.MIN_VALUE);
            good = new long[capacity];
            bad = new long[capacity];
        }

        private int slot(long minuteStart) {
            return (int) Math.floorMod(minuteStart / MINUTE, (long) minute.length);
        }

        /** The slot holding {@code minuteStart}, or -1. */
        int index(long minuteStart) {
            int i = slot(minuteStart);
            return minute[i] == minuteStart ? i : -1;
        }

        /** Adds counts; false when the slot already holds a newer minute (the event is too old to keep). */
        boolean add(long minuteStart, long g, long b) {
            int i = slot(minuteStart);
            if (minute[i] != minuteStart) {
                if (minute[i] > minuteStart) {
                    return false;
                }
                minute[i] = minuteStart;
                good[i] = 0;
                bad[i] = 0;
            }
            good[i] += g;
            bad[i] += b;
            return true;
        }
    }

    /** Used by tests: the ring span in slices for {@code slo}. */
    int capacity(String slo) {
        return slos.get(slo).capacity;
    }

}
