package dev.mailprobe.health;

import dev.mailprobe.probe.roundtrip.RoundTripResult;
import dev.mailprobe.config.HealthSettings;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.ProbeResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node health: one {@link HealthStateMachine} per node/protocol (and per node-level check), rolled
 * up per node, and the durable DOWN events they produce.
 *
 * <p><b>Node state.</b> A node is DOWN when any of its protocols is DOWN (a node whose IMAP is down
 * is broken for every IMAP customer, however well its POP3 answers); SUSPECT when none is DOWN and
 * any is SUSPECT; else UP. One DOWN event per node covers the whole time any protocol is DOWN: it
 * opens when the first protocol goes DOWN and closes when the last one comes back; its
 * {@code protocols} lists every protocol that was DOWN meanwhile.
 *
 * <p><b>Times.</b> An event starts at its first failed probe (the earliest onset of its protocols)
 * and ends at the first successful probe of the run that brought the last DOWN protocol back.
 *
 * <p><b>Durability.</b> The event is inserted when the node goes DOWN and rewritten when it changes
 * (a protocol joins, a failure is seen, it closes), each write synchronous. A write that fails is
 * logged and retried with the next observation. On construction every open event in the store is
 * resumed: its node starts DOWN with that event, so a restart (or kill -9) neither loses nor
 * duplicates it. If no failure is seen after the restart before the node recovers, the end is
 * marked estimated: the node came back at some time between the last failure before the restart
 * and the first success after it. Closed events within the flap-damping period are read back too,
 * so a flapping node stays damped across restarts.
 *
 * <p><b>Threads.</b> Every public method is synchronized. {@link #observe} writes to the store and
 * blocks on fsync: feed it from a worker thread, not an event loop.
 */
public final class HealthEngine {
    /** The check name of node-level observations (protocol null), e.g. round trips. */
    public static final String NODE_CHECK = "node";
    /** Reason label of a failure that came without one. */
    public static final String UNKNOWN_REASON = "unknown";

    private static final Logger log = LoggerFactory.getLogger(HealthEngine.class);

    /** Told about every event as it opens, changes and closes (metrics; later the SLO engine). */
    public interface Listener {
        default void opened(DownEvent event) {}

        default void changed(DownEvent event) {}

        default void closed(DownEvent event) {}
    }

    private final HealthSettings settings;
    private final HealthEvents events;
    private final Clock clock;
    private final Map<String, NodeHealth> nodes = new LinkedHashMap<>();
    private final List<DownEvent> unsaved = new ArrayList<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    /**
     * @param checksByNode every configured node and its checks (protocol labels, {@link #NODE_CHECK});
     *                     observations of other nodes are ignored, and a resumed event keeps only
     *                     the checks still configured
     */
    public HealthEngine(HealthSettings settings, Map<String, Set<String>> checksByNode, HealthEvents events, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        checksByNode.forEach((node, checks) -> nodes.put(node, new NodeHealth(node, Set.copyOf(checks))));
        resume();
    }

    /** The configured nodes and their protocols; {@link #NODE_CHECK} too when round trips are configured. */
    public static Map<String, Set<String>> checksOf(MailprobeConfig config) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (Node n : config.nodes()) {
            Set<String> checks = new LinkedHashSet<>();
            n.protocols().keySet().forEach(p -> checks.add(p.label()));
            if (config.roundTrip() != null) {
                checks.add(NODE_CHECK);
            }
            out.put(n.name(), checks);
        }
        return out;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    /** Feeds a session-probe result; entry points (which have no up/down) and unknown nodes are ignored. */
    public void observe(ProbeResult r) {
        if (r.entryPoint()) {
            return;
        }
        observe(r.target(), r.protocol(), r.startedAt(), r.success(), r.success() ? null : Evidence.of(r));
    }

    /**
     * Feeds one observation of {@code node}: of one protocol, or node-level when {@code protocol}
     * is null (e.g. a round trip blamed on this node). {@code evidence} is required for a failure.
     */
    public synchronized void observe(String node, Protocol protocol, Instant at, boolean ok, Evidence evidence) {
        NodeHealth n = nodes.get(node);
        if (n == null) {
            return;
        }
        at = at.truncatedTo(ChronoUnit.MILLIS); // the store keeps milliseconds
        String check = protocol == null ? NODE_CHECK : protocol.label();
        HealthStateMachine machine = n.machine(check);
        HealthStateMachine.Transition t = machine.observe(at, ok, evidence);
        if (t.wentDown()) {
            wentDown(n, check, t.onset(), at);
        } else if (!ok && machine.state() == HealthState.DOWN && n.event != null) {
            n.sawFailure(at);
        } else if (t.recovered()) {
            recovered(n, t.recoveredAt());
        }
        flush(n);
    }

    private void wentDown(NodeHealth n, String check, HealthStateMachine.Onset onset, Instant at) {
        Instant start = onset.at().truncatedTo(ChronoUnit.MILLIS);
        String reason = onset.evidence().reason() != null ? onset.evidence().reason() : UNKNOWN_REASON;
        if (n.event == null) {
            n.event = new DownEvent(0, n.name, List.of(check), start, null, reason, onset.evidence(), at, at,
                    false, null, null);
            n.countFrom = start;
            n.endCandidate = null;
            n.resumedAt = null;
            n.dirty = true;
            n.justOpened = true;
            return;
        }
        DownEvent e = n.event;
        List<String> protocols = new ArrayList<>(e.protocols());
        if (!protocols.contains(check)) {
            protocols.add(check);
        }
        boolean earlier = start.isBefore(e.start());
        n.event = new DownEvent(e.id(), e.node(), protocols, earlier ? start : e.start(), null,
                earlier ? reason : e.reason(), earlier ? onset.evidence() : e.evidence(), e.detectedAt(),
                later(e.lastFailureAt(), at), e.endEstimated(), e.note(), e.impact());
        if (earlier && n.resumedAt == null) {
            n.countFrom = start;
        }
        if (n.resumedAt != null) {
            n.failureSinceResume = true;
        }
        n.dirty = true;
        n.justChanged = true;
    }

    private void recovered(NodeHealth n, Instant recoveredAt) {
        n.endCandidate = later(n.endCandidate, recoveredAt);
        if (n.anyDown() || n.event == null) {
            return;
        }
        DownEvent e = n.event;
        Instant end = n.endCandidate.isBefore(e.start()) ? e.start() : n.endCandidate;
        boolean estimated = false;
        String note = e.note();
        if (n.resumedAt != null) {
            estimated = !n.failureSinceResume;
            note = estimated
                    ? "end estimated: the prober restarted at " + n.resumedAt + " during this event; the node came back"
                            + " between the last failed probe before the restart (" + e.lastFailureAt()
                            + ") and the first successful probe after it (" + end + ")"
                    : "the prober restarted at " + n.resumedAt + " during this event; failures seen after the"
                            + " restart, so the end is measured";
        }
        DownEvent closed = new DownEvent(e.id(), e.node(), e.protocols(), e.start(), end, e.reason(), e.evidence(),
                e.detectedAt(), e.lastFailureAt(), estimated, note, e.impact());
        n.closedDowntime = n.closedDowntime.plus(nonNegative(Duration.between(n.countFrom, end)));
        n.event = null;
        n.endCandidate = null;
        n.resumedAt = null;
        n.failureSinceResume = false;
        n.dirty = false;
        n.justOpened = false;
        n.justChanged = false;
        save(closed);
        listeners.forEach(l -> l.closed(closed));
    }

    private void flush(NodeHealth n) {
        retryUnsaved();
        if (n.event != null && n.dirty) {
            DownEvent saved = save(n.event);
            if (saved != null) {
                n.event = saved;
                n.dirty = false;
            }
        }
        if (n.event != null && n.justOpened) {
            n.justOpened = false;
            n.justChanged = false;
            DownEvent opened = n.event;
            listeners.forEach(l -> l.opened(opened));
        } else if (n.event != null && n.justChanged) {
            n.justChanged = false;
            DownEvent changed = n.event;
            listeners.forEach(l -> l.changed(changed));
        }
    }

    /** Writes {@code e} (insert when it has no id yet); null and queued for retry when the store fails. */
    private DownEvent save(DownEvent e) {
        try {
            if (e.id() == 0) {
                return events.insert(e);
            }
            events.update(e);
            return e;
        } catch (HealthEvents.HealthStoreException ex) {
            log.error("DOWN event of {} not saved yet (retrying with the next probe): {}", e.node(), ex.getMessage());
            if (e.end() != null) {
                unsaved.add(e);
            }
            return null;
        }
    }

    private void retryUnsaved() {
        if (unsaved.isEmpty()) {
            return;
        }
        List<DownEvent> again = new ArrayList<>(unsaved);
        unsaved.clear();
        for (DownEvent e : again) {
            save(e);
        }
    }

    private void resume() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        rememberRecentDowns(now);
        for (DownEvent e : events.open()) {
            NodeHealth n = nodes.get(e.node());
            List<String> checks = n == null ? List.of()
                    : e.protocols().stream().filter(n.checks::contains).toList();
            if (checks.isEmpty()) {
                String why = n == null ? "node " + e.node() + " is no longer configured"
                        : "none of its protocols " + e.protocols() + " is still configured";
                Instant end = e.lastFailureAt().isBefore(e.start()) ? e.start() : e.lastFailureAt();
                DownEvent closed = new DownEvent(e.id(), e.node(), e.protocols(), e.start(), end, e.reason(),
                        e.evidence(), e.detectedAt(), e.lastFailureAt(), true,
                        "closed at the restart of " + now + ": " + why + "; end = the last failed probe seen",
                        e.impact());
                log.warn("closing the open DOWN event {} of {}: {}", e.id(), e.node(), why);
                save(closed);
                continue;
            }
            HealthStateMachine.Onset onset = new HealthStateMachine.Onset(e.start(), e.evidence());
            for (String check : checks) {
                n.machine(check).resumeDown(onset);
            }
            n.event = e;
            n.resumedAt = now;
            n.countFrom = now.isBefore(e.start()) ? e.start() : now;
            log.info("resumed the open DOWN event {} of {} (since {}, {})", e.id(), e.node(), e.start(), e.protocols());
        }
    }

    /** Flap damping survives a restart: closed events that started within its period count as downs. */
    private void rememberRecentDowns(Instant now) {
        HealthSettings.FlapDamping damping = settings.flapDamping();
        if (damping == null) {
            return;
        }
        Instant horizon = now.minus(damping.within());
        List<DownEvent> recent = new ArrayList<>(events.events(Optional.empty(), horizon, Optional.of(false)));
        Collections.reverse(recent); // oldest first
        for (DownEvent e : recent) {
            NodeHealth n = nodes.get(e.node());
            if (n == null || e.start().isBefore(horizon)) {
                continue;
            }
            e.protocols().stream().filter(n.checks::contains).forEach(c -> n.machine(c).rememberDown(e.start()));
        }
    }

    // ---------------------------------------------------------------- reads

    public synchronized Set<String> nodes() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(nodes.keySet()));
    }

    /** The node's state: DOWN if any check is DOWN, SUSPECT if any is SUSPECT, else UP. */
    public synchronized HealthState state(String node) {
        NodeHealth n = nodes.get(node);
        if (n == null) {
            throw new IllegalArgumentException("unknown node " + node);
        }
        HealthState s = HealthState.UP;
        for (HealthStateMachine m : n.machines.values()) {
            if (m.state() == HealthState.DOWN) {
                return HealthState.DOWN;
            }
            if (m.state() == HealthState.SUSPECT) {
                s = HealthState.SUSPECT;
            }
        }
        return s;
    }

    /**
     * Feeds a round trip between two nodes into their node-level check: mail a node accepted and
     * never delivered is what session probes cannot see, so a {@code lost} mail counts against the
     * send node; a delivered one is a healthy sample for both. Other outcomes are left to the
     * session probes, which name the failing protocol and phase precisely; entry-point paths are
     * ignored (entry points have no up/down). Each side counts only where its node is tracked: a
     * shard tracks its own nodes, and a path's fetch node may belong to another shard.
     */
    public synchronized void observe(RoundTripResult r) {
        if (!nodes.containsKey(r.sendNode()) && !nodes.containsKey(r.fetchNode())) {
            return;
        }
        Instant at = r.sentAt() != null ? r.sentAt() : clock.instant();
        switch (r.result()) {
            case LOST -> observe(r.sendNode(), null, at, false,
                    Evidence.minimal(at, r.sendNode(), "roundtrip", "lost", "mail " + r.id() + " to " + r.fetchNode()
                            + " accepted and never seen: " + r.evidence()));
            case DELIVERED -> {
                observe(r.sendNode(), null, at, true, null);
                observe(r.fetchNode(), null, at, true, null);
            }
            default -> { }
        }
    }

    /** The state of one check ({@code protocol} label or {@link #NODE_CHECK}); UP before any observation. */
    public synchronized HealthState state(String node, String check) {
        NodeHealth n = nodes.get(node);
        if (n == null) {
            throw new IllegalArgumentException("unknown node " + node);
        }
        HealthStateMachine m = n.machines.get(check);
        return m == null ? HealthState.UP : m.state();
    }

    /** 1 when the node is UP or SUSPECT, 0 when DOWN. */
    public double up(String node) {
        return state(node) == HealthState.DOWN ? 0 : 1;
    }

    public synchronized Optional<DownEvent> openEvent(String node) {
        NodeHealth n = nodes.get(node);
        return n == null ? Optional.empty() : Optional.ofNullable(n.event);
    }

    /**
     * Seconds this node has been DOWN while this process ran: closed events plus the open one so
     * far. Monotonic: while a recovering node shows successes, the open part stops at the first of
     * them (where the event will end if they hold). A resumed event counts from the restart only,
     * as the previous process already exported the time before.
     */
    public synchronized double downtimeSeconds(String node) {
        NodeHealth n = nodes.get(node);
        if (n == null) {
            return 0;
        }
        Duration total = n.closedDowntime;
        if (n.event != null) {
            Instant to = n.tentativeEnd(clock.instant());
            total = total.plus(nonNegative(Duration.between(n.countFrom, to)));
        }
        double seconds = total.toNanos() / 1e9;
        n.reportedDowntime = Math.max(n.reportedDowntime, seconds);
        return n.reportedDowntime;
    }

    public HealthEvents events() {
        return events;
    }

    private static Instant later(Instant a, Instant b) {
        return a == null ? b : b == null ? a : (a.isAfter(b) ? a : b);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private final class NodeHealth {
        final String name;
        final Set<String> checks;
        final Map<String, HealthStateMachine> machines = new LinkedHashMap<>();
        DownEvent event;
        boolean dirty;
        boolean justOpened;
        boolean justChanged;
        Instant endCandidate;
        Instant countFrom;
        Instant resumedAt;
        boolean failureSinceResume;
        Duration closedDowntime = Duration.ZERO;
        double reportedDowntime;

        NodeHealth(String name, Set<String> checks) {
            this.name = name;
            this.checks = checks;
        }

        HealthStateMachine machine(String check) {
            return machines.computeIfAbsent(check, c -> new HealthStateMachine(settings));
        }

        boolean anyDown() {
            return machines.values().stream().anyMatch(m -> m.state() == HealthState.DOWN);
        }

        void sawFailure(Instant at) {
            DownEvent e = event;
            event = new DownEvent(e.id(), e.node(), e.protocols(), e.start(), null, e.reason(), e.evidence(),
                    e.detectedAt(), later(e.lastFailureAt(), at), e.endEstimated(), e.note(), e.impact());
            if (resumedAt != null) {
                failureSinceResume = true;
            }
            dirty = true;
        }

        /** Where the open event would end if every DOWN check's current run of successes holds; else now. */
        Instant tentativeEnd(Instant now) {
            Instant end = endCandidate;
            for (HealthStateMachine m : machines.values()) {
                if (m.state() != HealthState.DOWN) {
                    continue;
                }
                if (m.successRunStart() == null) {
                    return now;
                }
                end = later(end, m.successRunStart());
            }
            return end == null ? now : end;
        }
    }
}
