package dev.mailprobe.probe;

import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Probes an entry point the way a customer's client reaches it, and says which node served it.
 * <ul>
 *   <li>{@code via} + FAILOVER (MX semantics): nodes in order until one succeeds; served by the node
 *       that answered; a failure only when all fail, with the last failure's evidence and the
 *       earlier attempts noted in the transcript. Each attempt has the endpoint's full timeout;
 *       {@code total} is the time across all attempts.</li>
 *   <li>{@code via} + ROUND_ROBIN (DNS round robin): each probe takes the next node, no retry.</li>
 *   <li>{@code host}: one connection to that address; served by the node whose
 *       {@code greetingName} appears in the greeting, else whose {@code host} is the address
 *       connected to, else {@code unknown}.</li>
 * </ul>
 */
public final class EntryPointProber {
    public static final String UNKNOWN = "unknown";

    private final MailprobeConfig config;
    private final Map<Protocol, SessionProber> probers;
    private final Map<String, AtomicLong> roundRobin = new ConcurrentHashMap<>();
    private final String envelope;

    public EntryPointProber(MailprobeConfig config, Map<Protocol, SessionProber> probers) {
        this.config = Objects.requireNonNull(config);
        this.probers = Map.copyOf(probers);
        this.envelope = ProbeTarget.envelopeAddress(config);
    }

    public EntryPointProber(MailprobeConfig config, Probers probers) {
        this(config, probers.asMap());
    }

    /** Probes {@code entryPoint} over {@code protocol}. Never fails. */
    public Future<ProbeResult> probe(EntryPoint entryPoint, Protocol protocol) {
        SessionProber prober = Objects.requireNonNull(probers.get(protocol), () -> "no prober for " + protocol);
        if (entryPoint.host() != null) {
            return prober.probeDetailed(ProbeTarget.host(entryPoint, protocol).withEnvelopeAddress(envelope)).map(this::attribute);
        }
        List<Node> nodes = entryPoint.via().stream()
                .map(name -> config.node(name).orElseThrow(() -> new IllegalArgumentException(
                        "entry point " + entryPoint.name() + ": unknown via node " + name)))
                .toList();
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("entry point " + entryPoint.name() + " has neither host nor via");
        }
        if (entryPoint.select() == EntryPoint.Selection.ROUND_ROBIN) {
            long n = roundRobin.computeIfAbsent(entryPoint.name() + "/" + protocol.label(), k -> new AtomicLong()).getAndIncrement();
            Node node = nodes.get((int) Math.floorMod(n, (long) nodes.size()));
            return prober.probe(ProbeTarget.via(entryPoint, node, protocol).withEnvelopeAddress(envelope));
        }
        return failover(prober, entryPoint, protocol, nodes, 0, System.nanoTime(), new ArrayList<>());
    }

    private Future<ProbeResult> failover(SessionProber prober, EntryPoint ep, Protocol protocol, List<Node> nodes,
                                         int i, long startNanos, List<ProbeResult> failed) {
        Node node = nodes.get(i);
        return prober.probe(ProbeTarget.via(ep, node, protocol).withEnvelopeAddress(envelope)).compose(r -> {
            if (r.success() || i == nodes.size() - 1) {
                return Future.succeededFuture(failed.isEmpty() ? r : withAttempts(r, failed, startNanos));
            }
            failed.add(r);
            return failover(prober, ep, protocol, nodes, i + 1, startNanos, failed);
        });
    }

    /** The final attempt's result, with the earlier failed attempts noted and total covering them all. */
    private static ProbeResult withAttempts(ProbeResult last, List<ProbeResult> failed, long startNanos) {
        List<String> transcript = new ArrayList<>();
        for (ProbeResult f : failed) {
            transcript.add("* failover: " + f.servedBy() + " failed: " + f.reason() + " in " + f.failedPhase()
                    + (f.error() != null ? " (" + f.error() + ")" : ""));
        }
        transcript.add("* failover: trying " + last.servedBy());
        transcript.addAll(last.transcript());
        Map<Phase, Duration> phases = new EnumMap<>(Phase.class);
        phases.putAll(last.phases());
        phases.put(Phase.TOTAL, Duration.ofNanos(System.nanoTime() - startNanos));
        return new ProbeResult(last.target(), last.entryPoint(), last.protocol(), last.servedBy(), failed.get(0).startedAt(),
                last.success(), last.reason(), last.failedPhase(), phases, last.replyCode(), last.replyText(), last.tls(),
                transcript, last.error());
    }

    private ProbeResult attribute(SessionOutcome o) {
        ProbeResult r = o.result();
        String servedBy = UNKNOWN;
        String why = "neither greeting name nor address matches a node";
        Node byName = ServingNode.byGreetingName(config.nodes(), o.greeting()).orElse(null);
        Node byAddress = ServingNode.byAddress(config.nodes(), o.peerAddress()).orElse(null);
        if (byName != null) {
            servedBy = byName.name();
            why = "greeting names " + byName.greetingName();
        } else if (byAddress != null) {
            servedBy = byAddress.name();
            why = "connected to " + o.peerAddress();
        } else if (o.peerAddress() == null) {
            why = "no connection";
        }
        List<String> transcript = new ArrayList<>(r.transcript());
        transcript.add("* served by " + servedBy + " (" + why + ")");
        return new ProbeResult(r.target(), r.entryPoint(), r.protocol(), servedBy, r.startedAt(), r.success(), r.reason(),
                r.failedPhase(), r.phases(), r.replyCode(), r.replyText(), r.tls(), transcript, r.error());
    }
}
