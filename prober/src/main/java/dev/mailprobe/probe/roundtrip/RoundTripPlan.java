package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.RoundTripSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Which round trips exist and which are tried in each interval.
 * <ul>
 *   <li>Send sides: nodes with {@code submission} (preferred: authenticated) or {@code smtp};
 *       fetch sides: nodes with {@code imap} (preferred) or {@code pop3}.</li>
 *   <li>Node paths: every send node x every fetch node. {@link RoundTripSettings.Matrix#FULL} tries
 *       all of them every interval; {@link RoundTripSettings.Matrix#COVER} runs
 *       {@code max(S, F)} slots, slot j in its round k taking send node {@code j mod S} and fetch
 *       node {@code (j + k) mod F}: every node is used at least once per interval and every pair
 *       within F intervals.</li>
 *   <li>Customer paths: every entry point with smtp/submission x every entry point with
 *       imap/pop3, every interval (what the delivery SLO measures).</li>
 * </ul>
 */
public final class RoundTripPlan {
    /** One side of a path: a node, or an entry point, with the protocol it is used with. */
    public record Side(String label, Node node, EntryPoint entryPoint, Protocol protocol) {
        public Side {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(protocol, "protocol");
            if ((node == null) == (entryPoint == null)) {
                throw new IllegalArgumentException("a side is a node or an entry point: " + label);
            }
        }

        public boolean isEntryPoint() {
            return entryPoint != null;
        }
    }

    /** A send side x fetch side pair; its labels are the {@code send_node} and {@code fetch_node} labels. */
    public record Path(Side send, Side fetch) {
        public String key() {
            return send.label() + " -> " + fetch.label();
        }
    }

    /**
     * A scheduled unit of work: one path (FULL and customer paths) or one COVER slot, whose path
     * changes with the round.
     */
    public record Slot(String key, Path fixed, int coverIndex) {
        public boolean isCover() {
            return fixed == null;
        }
    }

    private final List<Side> sendNodes;
    private final List<Side> fetchNodes;
    private final List<Path> customerPaths;
    private final RoundTripSettings.Matrix matrix;

    public RoundTripPlan(MailprobeConfig config) {
        this(config, config.roundTrip() == null ? RoundTripSettings.Matrix.FULL : config.roundTrip().matrix());
    }

    RoundTripPlan(MailprobeConfig config, RoundTripSettings.Matrix matrix) {
        this.matrix = matrix == null ? RoundTripSettings.Matrix.FULL : matrix;
        List<Side> sends = new ArrayList<>();
        List<Side> fetches = new ArrayList<>();
        for (Node n : config.nodes()) {
            Protocol s = sendProtocol(n.protocols());
            if (s != null) {
                sends.add(new Side(n.name(), n, null, s));
            }
            Protocol f = fetchProtocol(n.protocols());
            if (f != null) {
                fetches.add(new Side(n.name(), n, null, f));
            }
        }
        List<Side> epSends = new ArrayList<>();
        List<Side> epFetches = new ArrayList<>();
        for (EntryPoint e : config.entryPoints()) {
            Protocol s = sendProtocol(e.protocols());
            if (s != null) {
                epSends.add(new Side(e.name(), null, e, s));
            }
            Protocol f = fetchProtocol(e.protocols());
            if (f != null) {
                epFetches.add(new Side(e.name(), null, e, f));
            }
        }
        List<Path> customer = new ArrayList<>();
        for (Side s : epSends) {
            for (Side f : epFetches) {
                customer.add(new Path(s, f));
            }
        }
        this.sendNodes = List.copyOf(sends);
        this.fetchNodes = List.copyOf(fetches);
        this.customerPaths = List.copyOf(customer);
    }

    /** Submission (authenticated) when offered, else smtp, else null. */
    static Protocol sendProtocol(Map<Protocol, Endpoint> protocols) {
        if (protocols.containsKey(Protocol.SUBMISSION)) {
            return Protocol.SUBMISSION;
        }
        return protocols.containsKey(Protocol.SMTP) ? Protocol.SMTP : null;
    }

    /** IMAP when offered, else POP3, else null. */
    static Protocol fetchProtocol(Map<Protocol, Endpoint> protocols) {
        if (protocols.containsKey(Protocol.IMAP)) {
            return Protocol.IMAP;
        }
        return protocols.containsKey(Protocol.POP3) ? Protocol.POP3 : null;
    }

    public List<Side> sendNodes() {
        return sendNodes;
    }

    public List<Side> fetchNodes() {
        return fetchNodes;
    }

    public List<Path> customerPaths() {
        return customerPaths;
    }

    /** Every node path (all pairs, whatever the matrix) then the customer paths: the metric series. */
    public List<Path> allPaths() {
        List<Path> all = new ArrayList<>();
        for (Side s : sendNodes) {
            for (Side f : fetchNodes) {
                all.add(new Path(s, f));
            }
        }
        all.addAll(customerPaths);
        return all;
    }

    /** Every fetch side that can be used: fetch nodes and the customer paths' fetch entry points. */
    public List<Side> fetchSides() {
        Set<Side> sides = new LinkedHashSet<>(fetchNodes);
        customerPaths.forEach(p -> sides.add(p.fetch()));
        return List.copyOf(sides);
    }

    /** The scheduled units: per the matrix for node paths, plus one per customer path. */
    public List<Slot> slots() {
        List<Slot> slots = new ArrayList<>();
        if (!sendNodes.isEmpty() && !fetchNodes.isEmpty()) {
            if (matrix == RoundTripSettings.Matrix.COVER) {
                int n = Math.max(sendNodes.size(), fetchNodes.size());
                for (int j = 0; j < n; j++) {
                    slots.add(new Slot("roundtrip/cover-" + j, null, j));
                }
            } else {
                for (Side s : sendNodes) {
                    for (Side f : fetchNodes) {
                        Path p = new Path(s, f);
                        slots.add(new Slot("roundtrip/" + p.key(), p, -1));
                    }
                }
            }
        }
        for (Path p : customerPaths) {
            slots.add(new Slot("roundtrip/" + p.key(), p, -1));
        }
        return slots;
    }

    /** The path a slot takes in its {@code round} (0, 1, 2, ... for each run of that slot). */
    public Path path(Slot slot, long round) {
        if (!slot.isCover()) {
            return slot.fixed();
        }
        int j = slot.coverIndex();
        Side s = sendNodes.get(j % sendNodes.size());
        Side f = fetchNodes.get((int) Math.floorMod(j + round, (long) fetchNodes.size()));
        return new Path(s, f);
    }
}
