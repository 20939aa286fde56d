package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.probe.ServingNode;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.RoundTripSettings;
import dev.mailprobe.probe.ProbeTarget;
import dev.mailprobe.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end round trip: sends one signed probe mail per path and slot run (see
 * {@link RoundTripPlan}), watches each fetch target for it, and hands exactly one
 * {@link RoundTripResult} per mail to the sink. Jakarta Mail blocks, so sends run on a small
 * bounded pool and each fetch target has its own watcher thread (plus an IDLE thread where IMAP
 * offers IDLE); nothing here runs on an event loop. The engine touches no meter and no store table
 * but {@code roundtrip_inflight}.
 *
 * <p>Timing: from the 250 reply after DATA (monotonic time right after {@code Transport.sendMessage}
 * returns) to the poll that shows the mail (monotonic time right after the NOOP or UIDL reply).
 */
public final class RoundTripEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoundTripEngine.class);
    public static final String UNKNOWN = "unknown";

    /** What a watcher should do with a message carrying a token. */
    enum Claim {
        /** No valid token (or Message-ID mismatch): not ours, never touched. */
        FOREIGN,
        /** Our pending mail for this watcher: its result is decided; delete it now. */
        FOUND,
        /** Ours, older than lostAfter and pending nowhere: the sweeper deletes it. */
        OURS_EXPIRED,
        /** Ours, but not to be touched now (pending elsewhere, seen before its 250, or still young). */
        OURS_KEEP
    }

    private final MailprobeConfig config;
    private final RoundTripSettings settings;
    private final RoundTripPlan plan;
    private final ProbeToken token;
    private final MailSessions sessions = new MailSessions();
    private final PollSchedule schedule;
    private final Store store;
    private final Consumer<RoundTripResult> sink;
    private final LongSupplier nanoClock;
    private final Supplier<Instant> wallClock;
    private final MailSender sender;

    private final Map<String, Watcher> watchers = new LinkedHashMap<>();
    private final Map<String, List<Watcher>> watchersByLabel = new LinkedHashMap<>();
    private final Map<String, PendingMail> inFlight = new ConcurrentHashMap<>();
    /** Mail whose result is decided: deleted whenever seen again (see {@link #remember}). */
    private final Map<String, Long> decidedButPresent = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> rounds = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> roundRobin = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> sendLocks = new ConcurrentHashMap<>();
    /**
     * Held while this process removes mail from the round-trip mailbox (POP3: the checked DELEs and
     * the QUIT that applies them; IMAP: STORE \Deleted + EXPUNGE, when POP3 watchers exist). See
     * {@link #lockMailbox}.
     */
    private final ReentrantLock mailboxLock = new ReentrantLock();
    /** Removals by this process from the round-trip mailbox, counted when each one ends. */
    private final AtomicLong mailboxRemovals = new AtomicLong();
    private volatile boolean pop3Watching;
    private ExecutorService sendPool;
    private InFlightTable table;
    private volatile boolean halted;
    /** Tests: told (id, monotonic time of the 250) for every accepted mail. */
    volatile java.util.function.ObjLongConsumer<String> sentListener;
    private volatile boolean closed;

    public RoundTripEngine(MailprobeConfig config, Store store, Consumer<RoundTripResult> sink) {
        this(config, store, sink, System::nanoTime, Instant::now);
    }

    RoundTripEngine(MailprobeConfig config, Store store, Consumer<RoundTripResult> sink,
                    LongSupplier nanoClock, Supplier<Instant> wallClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(config.roundTrip(), "config.roundTrip");
        this.plan = new RoundTripPlan(config);
        this.token = new ProbeToken(settings.tokenKey());
        this.schedule = PollSchedule.forDeliveredWithin(settings.deliveredWithin());
        this.store = Objects.requireNonNull(store, "store");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.sender = new MailSender(sessions, nanoClock, wallClock);
    }

    public RoundTripPlan plan() {
        return plan;
    }

    /** The scheduled units, each to be run once per {@code roundTrip.interval}. */
    public List<RoundTripPlan.Slot> slots() {
        return plan.slots();
    }

    /**
     * Creates the in-flight table, starts one watcher per fetch target and resumes the mail left in
     * flight by an earlier run (looked for until lostAfter from its send, then one final result).
     * Blocking (store I/O); not on an event loop.
     */
    public synchronized void start() throws Store.StoreException {
        table = new InFlightTable(store);
        for (RoundTripPlan.Side side : plan.fetchSides()) {
            for (ProbeTarget target : fetchTargets(side)) {
                String key = side.label() + "@" + (target.servedBy() != null ? target.servedBy() : "host:" + target.host());
                Watcher w = side.protocol() == Protocol.IMAP
                        ? new ImapWatcher(key, side.label(), target, this)
                        : new Pop3Watcher(key, side.label(), target, this);
                watchers.put(key, w);
                watchersByLabel.computeIfAbsent(side.label(), k -> new ArrayList<>()).add(w);
            }
        }
        pop3Watching = watchers.values().stream().anyMatch(w -> w instanceof Pop3Watcher);
        int sendTargets = (int) plan.allPaths().stream().map(p -> p.send().label()).distinct().count();
        AtomicInteger n = new AtomicInteger();
        sendPool = Executors.newFixedThreadPool(Math.max(1, Math.min(4, sendTargets)), r -> {
            Thread t = new Thread(r, "mailprobe-rt-send-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        restore();
        watchers.values().forEach(Watcher::start);
    }

    private void restore() throws Store.StoreException {
        long now = nanoTime();
        Instant wallNow = wallNow();
        long grace = 2 * config.probe().timeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        for (InFlightTable.Row row : table.all()) {
            Watcher w = watchers.get(row.watcher());
            if (w == null) {
                List<Watcher> same = watchersByLabel.get(row.fetchNode());
                w = same == null || same.isEmpty() ? null : same.get(0);
            }
            long elapsed = Math.max(0, Duration.between(row.sentAt(), wallNow).toNanos());
            if (w == null) {
                PendingMail orphan = new PendingMail(row.id(), row.sendNode(), row.fetchNode(), row.servedBySend(), null, true);
                orphan.sentAt = row.sentAt();
                orphan.persisted = true;
                finish(orphan, Outcome.LOST, null, "fetch side " + row.fetchNode() + " is no longer configured", null);
                continue;
            }
            PendingMail p = new PendingMail(row.id(), row.sendNode(), row.fetchNode(), row.servedBySend(), w, true);
            p.sentAt = row.sentAt();
            p.sendReply = row.sendReply();
            p.persisted = true;
            p.sentNanos = now - elapsed;
            p.deliveredDeadlineNanos = p.sentNanos + settings.deliveredWithin().toNanos();
            // one more look even when the deadline passed while we were down
            p.lostDeadlineNanos = Math.max(p.sentNanos + settings.lostAfter().toNanos(), now + grace);
            p.pollIndex = schedule.nextIndexAfter(elapsed, 0);
            p.nextPollNanos = now;
            inFlight.put(p.id, p);
            w.add(p);
            p.sent = true;
        }
        if (!inFlight.isEmpty()) {
            log.info("resuming {} round-trip mail(s) in flight", inFlight.size());
        }
    }

    /** Sends the slot's mail on the send pool; completes with whether the send node accepted it. */
    public CompletableFuture<Boolean> run(RoundTripPlan.Slot slot) {
        if (closed || halted) {
            return CompletableFuture.completedFuture(false);
        }
        long round = rounds.computeIfAbsent(slot.key(), k -> new AtomicLong()).getAndIncrement();
        RoundTripPlan.Path path = plan.path(slot, round);
        try {
            return CompletableFuture.supplyAsync(() -> sendOne(path), sendPool);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.completedFuture(false);
        }
    }

    /** Sends one mail along {@code path} now (blocking) and registers it with its watcher. */
    boolean sendOne(RoundTripPlan.Path path) {
        Watcher w = chooseWatcher(path.fetch());
        List<ProbeTarget> targets = sendTargets(path.send());
        String id = ProbeToken.newId();
        Instant composedAt = wallNow();
        ProbeToken.Claims claims = new ProbeToken.Claims(id, path.send().label(), path.fetch().label(), composedAt);
        String signed = token.sign(claims);
        PendingMail p = new PendingMail(id, path.send().label(), path.fetch().label(),
                targets.get(0).servedBy() != null ? targets.get(0).servedBy() : UNKNOWN, w, false);
        p.sentAt = composedAt;
        inFlight.put(id, p);
        w.add(p);
        MailSender.Outcome out = null;
        List<String> earlier = new ArrayList<>();
        for (ProbeTarget t : targets) {
            ReentrantLock lock = sendLocks.computeIfAbsent(t.host() + ":" + t.endpoint().port(), k -> new ReentrantLock());
            lock.lock();
            try {
                out = sender.send(t, settings.from(), settings.to(), claims, signed, this::attribute);
            } finally {
                lock.unlock();
            }
            if (out.accepted()) {
                break;
            }
            earlier.add(out.servedBy() + ": " + out.reply());
        }
        p.servedBySend = out.servedBy();
        if (!out.accepted()) {
            String evidence = earlier.size() > 1 ? String.join("; ", earlier) : out.reply();
            finish(p, Outcome.SEND_FAILED, null, evidence, null);
            return false;
        }
        p.sentNanos = out.acceptedNanos();
        p.sentAt = out.acceptedAt();
        p.sendReply = out.reply();
        p.deliveredDeadlineNanos = p.sentNanos + settings.deliveredWithin().toNanos();
        p.lostDeadlineNanos = p.sentNanos + settings.lostAfter().toNanos();
        p.pollIndex = 0;
        p.nextPollNanos = p.sentNanos + schedule.offsetNanos(0);
        if (halted) {
            return true;
        }
        try {
            table.insert(new InFlightTable.Row(id, p.sendNode, p.fetchNode, p.servedBySend, w.key, p.sentAt, p.sendReply));
            p.persisted = true;
        } catch (Store.StoreException e) {
            log.warn("round trip {} is watched in memory only: {}", id, e.getMessage());
        }
        p.sent = true; // publishes the fields above to the watcher thread
        w.wake();
        java.util.function.ObjLongConsumer<String> listener = sentListener;
        if (listener != null) {
            listener.accept(id, p.sentNanos);
        }
        return true;
    }

    /** A watcher saw a message with a token; decides whether it is ours and what to do with it. */
    Claim claim(Watcher w, String tokenHeader, String messageId, String[] received, long observedNanos, Instant now) {
        Optional<ProbeToken.Claims> verified = token.verify(tokenHeader, messageId);
        if (verified.isEmpty()) {
            return Claim.FOREIGN;
        }
        ProbeToken.Claims c = verified.get();
        if (decidedButPresent.containsKey(c.id())) {
            return Claim.FOUND; // decided already; its deletion did not stick (or it was seen early)
        }
        PendingMail p = w.pending.get(c.id());
        if (p != null && !p.finalized.get()) {
            if (!p.sent) {
                if (p.seenEarlyNanos < 0) {
                    p.seenEarlyReceived = received;
                    p.seenEarlyNanos = observedNanos;
                }
                return Claim.OURS_KEEP;
            }
            seen(p, observedNanos, received, "seen on " + w.servedBy);
            remember(p.id);
            return Claim.FOUND;
        }
        if (inFlight.containsKey(c.id())) {
            return Claim.OURS_KEEP;
        }
        return c.sentAt().isBefore(now.minus(settings.lostAfter())) ? Claim.OURS_EXPIRED : Claim.OURS_KEEP;
    }

    /** A mail seen before its 250 was read is decided now, at latency 0, and deleted when next seen. */
    void seenEarly(PendingMail p) {
        remember(p.id);
        seen(p, p.sentNanos, p.seenEarlyReceived, "seen on " + p.watcher.servedBy + " before the 250 reply was read");
    }

    /**
     * Remembers a decided mail so that whoever sees it again deletes it (a POP3 QUIT or an IMAP
     * EXPUNGE that failed, a mail seen before its 250). Forgotten after 2 x lostAfter; the
     * sweeper has whatever is left.
     */
    private void remember(String id) {
        long now = nanoTime();
        decidedButPresent.values().removeIf(t -> now - t > 2 * settings.lostAfter().toNanos());
        decidedButPresent.put(id, now);
    }

    /** The mail became visible at {@code observedNanos}: delivered or late. */
    void seen(PendingMail p, long observedNanos, String[] received, String evidence) {
        Duration latency = Duration.ofNanos(Math.max(0, observedNanos - p.sentNanos));
        finish(p, Outcome.ofSeen(latency, settings.deliveredWithin()), latency, evidence,
                ReceivedPath.parse(received, config.nodes()));
    }

    /**
     * Decides the mail's one final result: the in-flight row is deleted first (synchronously), then
     * the result is published. A mail whose row is already gone was decided by someone else.
     */
    void finish(PendingMail p, Outcome outcome, Duration latency, String evidence, List<String> path) {
        if (!p.finalized.compareAndSet(false, true)) {
            return;
        }
        if (p.watcher != null) {
            p.watcher.pending.remove(p.id);
        }
        inFlight.remove(p.id);
        if (halted) {
            return;
        }
        if (p.persisted) {
            try {
                if (!table.delete(p.id)) {
                    return;
                }
            } catch (Store.StoreException e) {
                log.warn("round trip {}: {}", p.id, e.getMessage());
            }
        }
        String servedByFetch = p.watcher != null ? p.watcher.servedBy : UNKNOWN;
        RoundTripResult r = new RoundTripResult(p.id, p.sendNode, p.fetchNode, p.servedBySend, servedByFetch,
                p.sentAt, latency, outcome, evidence == null ? "" : MailSender.oneLine(evidence), path);
        try {
            sink.accept(r);
        } catch (RuntimeException e) {
            log.warn("publishing round-trip result {} failed", p.id, e);
        }
    }

    private List<ProbeTarget> fetchTargets(RoundTripPlan.Side side) {
        if (!side.isEntryPoint()) {
            return List.of(ProbeTarget.of(side.node(), side.protocol()));
        }
        EntryPoint ep = side.entryPoint();
        if (ep.host() != null) {
            return List.of(ProbeTarget.host(ep, side.protocol()));
        }
        return viaNodes(ep).stream().map(n -> via(ep, n, side.protocol())).toList();
    }

    static ProbeTarget via(EntryPoint ep, Node node, Protocol protocol) {
        return ProbeTarget.via(ep, node, protocol);
    }

    private List<ProbeTarget> sendTargets(RoundTripPlan.Side side) {
        if (!side.isEntryPoint()) {
            return List.of(ProbeTarget.of(side.node(), side.protocol()));
        }
        EntryPoint ep = side.entryPoint();
        if (ep.host() != null) {
            return List.of(ProbeTarget.host(ep, side.protocol()));
        }
        List<ProbeTarget> all = viaNodes(ep).stream().map(n -> via(ep, n, side.protocol())).toList();
        if (ep.select() == EntryPoint.Selection.ROUND_ROBIN) {
            long k = roundRobin.computeIfAbsent("send/" + ep.name(), x -> new AtomicLong()).getAndIncrement();
            return List.of(all.get((int) Math.floorMod(k, (long) all.size())));
        }
        return all; // failover: in order until one accepts
    }

    private Watcher chooseWatcher(RoundTripPlan.Side side) {
        List<Watcher> ws = watchersByLabel.get(side.label());
        if (ws == null || ws.isEmpty()) {
            throw new IllegalStateException("no watcher for " + side.label() + " (engine not started?)");
        }
        if (ws.size() == 1) {
            return ws.get(0);
        }
        if (side.entryPoint().select() == EntryPoint.Selection.ROUND_ROBIN) {
            long k = roundRobin.computeIfAbsent("fetch/" + side.label(), x -> new AtomicLong()).getAndIncrement();
            return ws.get((int) Math.floorMod(k, (long) ws.size()));
        }
        return ws.stream().filter(Watcher::usable).findFirst().orElse(ws.get(0));
    }

    private List<Node> viaNodes(EntryPoint ep) {
        return ep.via().stream()
                .map(name -> config.node(name).orElseThrow(() -> new IllegalArgumentException(
                        "entry point " + ep.name() + ": unknown via node " + name)))
                .toList();
    }

    /**
     * Takes the mailbox lock, waiting at most {@code wait}; every removal of mail from the
     * round-trip mailbox by this process happens under it. A POP3 server that does not snapshot the
     * maildrop per session (GreenMail) renumbers the messages of every open session when one session
     * expunges (its QUIT, or an IMAP EXPUNGE), and applies one session's DELE flags at another
     * session's QUIT. So a POP3 watcher checks each message right before its {@code DELE n}, highest
     * number first, and holds this lock from the first check to its QUIT: no expunge by another
     * watcher of this process can come between a check and its DELE, and a QUIT elsewhere that
     * applies our DELEs early only removes messages numbered above the next one we check.
     */
    boolean lockMailbox(Duration wait) {
        try {
            return mailboxLock.tryLock(Math.max(1, wait.toNanos()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void unlockMailbox() {
        mailboxRemovals.incrementAndGet();
        mailboxLock.unlock();
    }

    /**
     * The round-trip mailbox as far as this process changes it: equal values read before and after
     * a POP3 session's reads mean no removal by this process overlapped them (so no renumbering by
     * us shifted a {@code TOP n}); -1 while a removal is under way.
     */
    long mailboxVersion() {
        return mailboxLock.isLocked() ? -1 : mailboxRemovals.get();
    }

    /** Whether POP3 watchers read the round-trip mailbox (IMAP removals then take the mailbox lock too). */
    boolean pop3Watching() {
        return pop3Watching;
    }

    /** The node a greeting names (by greetingName), else the node at {@code host}, else unknown. */
    String attribute(String greeting, String host) {
        return ServingNode.byGreetingName(config.nodes(), greeting)
                .or(() -> ServingNode.byAddress(config.nodes(), host))
                .map(Node::name).orElse(UNKNOWN);
    }

    /** One line naming what failed, without secrets (Jakarta Mail messages carry none). */
    static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
        if (e.getMessage() != null) {
            sb.append(": ").append(e.getMessage());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root != e && (e.getMessage() == null || !e.getMessage().contains(String.valueOf(root.getMessage())))) {
            sb.append(" (").append(root.getClass().getSimpleName());
            if (root.getMessage() != null) {
                sb.append(": ").append(root.getMessage());
            }
            sb.append(')');
        }
        return MailSender.oneLine(sb.toString());
    }

    /** Mail in flight now (sent or being sent, not yet decided). */
    public int inFlight() {
        return inFlight.size();
    }

    RoundTripSettings settings() {
        return settings;
    }

    MailSessions sessions() {
        return sessions;
    }

    PollSchedule schedule() {
        return schedule;
    }

    Map<String, Watcher> watchers() {
        return watchers;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    Instant wallNow() {
        return wallClock.get();
    }

    /** How often each watcher sweeps: lostAfter / 2, within [1 s, 10 min]. */
    long sweepIntervalNanos() {
        long half = settings.lostAfter().toNanos() / 2;
        return Math.max(TimeUnit.SECONDS.toNanos(1), Math.min(TimeUnit.MINUTES.toNanos(10), half));
    }

    /**
     * Stops sending and watching; mail in flight stays in the table and is resumed by the next
     * start. Returns within about two seconds: threads still blocked in a socket call (a
     * black-holed server) are daemons and end with their timeout.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopThreads(false);
    }

    private void stopThreads(boolean now) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        if (sendPool != null) {
            if (now) {
                sendPool.shutdownNow();
            } else {
                sendPool.shutdown();
            }
        }
        watchers.values().forEach(Watcher::signalStop);
        for (Watcher w : watchers.values()) {
            w.awaitStop(Math.max(0, deadline - System.nanoTime()));
        }
        if (sendPool != null && !now) {
            try {
                if (!sendPool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    sendPool.shutdownNow();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                sendPool.shutdownNow();
            }
        }
    }

    /** Tests: as if the process were killed: no more results, no store writes, rows left as they are. */
    void halt() {
        halted = true;
        closed = true;
        stopThreads(true);
    }
}
