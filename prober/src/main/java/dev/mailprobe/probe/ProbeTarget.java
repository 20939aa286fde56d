package dev.mailprobe.probe;

import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import java.util.Objects;

/**
 * What one session probe talks to.
 *
 * @param name       the configured node or entry point name (the {@code node} label)
 * @param entryPoint true when {@code name} is an entry point
 * @param host       the address to connect to (and to verify the certificate against)
 * @param endpoint   protocol, port, TLS mode, account and resolved settings
 * @param servedBy   the node this target resolves to when known (a node's own name, or the node an
 *                   entry point picked), else null
 * @param envelopeAddress a mailbox the cluster hosts, used as MAIL FROM / RCPT TO by the SMTP
 *                   transaction check when the endpoint has no account (the round trip's {@code to});
 *                   null to fall back to postmaster
 */
public record ProbeTarget(String name, boolean entryPoint, String host, Endpoint endpoint, String servedBy,
                          String envelopeAddress) {

    /** A target without an envelope address. */
    public ProbeTarget(String name, boolean entryPoint, String host, Endpoint endpoint, String servedBy) {
        this(name, entryPoint, host, endpoint, servedBy, null);
    }

    public ProbeTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(endpoint.protocol(), "endpoint.protocol");
        Objects.requireNonNull(endpoint.tls(), "endpoint.tls");
    }

    /** The mailbox SMTP transaction checks use when no account is set: the round trip's {@code to}, or null. */
    public static String envelopeAddress(dev.mailprobe.config.MailprobeConfig config) {
        return config.roundTrip() != null ? config.roundTrip().to() : null;
    }

    /** The same target with {@code address} as the SMTP envelope address. */
    public ProbeTarget withEnvelopeAddress(String address) {
        return new ProbeTarget(name, entryPoint, host, endpoint, servedBy, address);
    }

    public Protocol protocol() {
        return endpoint.protocol();
    }

    /** The endpoint's settings, or {@link ProbeSettings#DEFAULTS} when none are set. */
    public ProbeSettings settings() {
        return endpoint.settings() != null ? endpoint.settings() : ProbeSettings.DEFAULTS;
    }

    /** A node probe: {@code node}'s {@code protocol} listener, served by the node itself. */
    public static ProbeTarget of(Node node, Protocol protocol) {
        Endpoint endpoint = node.protocols().get(protocol);
        if (endpoint == null) {
            throw new IllegalArgumentException("node " + node.name() + " has no " + protocol + " endpoint");
        }
        return new ProbeTarget(node.name(), false, node.host(), endpoint, node.name());
    }

    /** An entry point reached through one of its {@code via} nodes, with the entry point's endpoint. */
    public static ProbeTarget via(EntryPoint entryPoint, Node node, Protocol protocol) {
        Endpoint ep = entryPointEndpoint(entryPoint, protocol);
        // A via node is reached where it listens for what the entry point speaks: when the node
        // declares the protocol with the same TLS mode, on the node's own port (in production the
        // two agree; in the demo every node listens on its own port of one address). A node that
        // declares another TLS mode (imap+STARTTLS on 143 behind an imaps-on-993 entry point) has
        // the entry point's listener too: the entry point's port is kept.
        Endpoint own = node.protocols().get(protocol);
        if (own != null && own.tls() == ep.tls() && own.port() != ep.port()) {
            ep = new Endpoint(ep.protocol(), own.port(), ep.tls(), ep.account(), ep.settings());
        }
        return new ProbeTarget(entryPoint.name(), true, node.host(), ep, node.name());
    }

    /** An entry point with its own {@code host} (VIP or DNS name); the serving node is not known yet. */
    public static ProbeTarget host(EntryPoint entryPoint, Protocol protocol) {
        if (entryPoint.host() == null) {
            throw new IllegalArgumentException("entry point " + entryPoint.name() + " has no host");
        }
        return new ProbeTarget(entryPoint.name(), true, entryPoint.host(), entryPointEndpoint(entryPoint, protocol), null);
    }

    private static Endpoint entryPointEndpoint(EntryPoint entryPoint, Protocol protocol) {
        Endpoint endpoint = entryPoint.protocols().get(protocol);
        if (endpoint == null) {
            throw new IllegalArgumentException("entry point " + entryPoint.name() + " has no " + protocol + " endpoint");
        }
        return endpoint;
    }
}
