package dev.mailprobe.probe;

import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.imap.ImapProber;
import dev.mailprobe.probe.pop3.Pop3Prober;
import dev.mailprobe.probe.session.ProbeResources;
import dev.mailprobe.probe.session.TlsOptionsCache;
import dev.mailprobe.probe.smtp.SmtpProber;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The session probers by protocol (a blackbox_exporter-style module registry), sharing one
 * {@link NetClient} and one TLS options cache. SMTP and submission share {@link SmtpProber}.
 */
public final class Probers {
    private final NetClient client;
    private final ProbeResources resources;
    private final Map<Protocol, SessionProber> byProtocol;

    private Probers(NetClient client, ProbeResources resources, Map<Protocol, SessionProber> byProtocol) {
        this.client = client;
        this.resources = resources;
        this.byProtocol = Map.copyOf(byProtocol);
    }

    public static Probers create(Vertx vertx) {
        NetClient client = vertx.createNetClient(new NetClientOptions()
                .setTcpNoDelay(true)
                .setReuseAddress(true));
        ProbeResources resources = new ProbeResources();
        TlsOptionsCache tls = new TlsOptionsCache();
        SmtpProber smtp = new SmtpProber(vertx, client, tls, resources);
        Map<Protocol, SessionProber> map = new EnumMap<>(Protocol.class);
        map.put(Protocol.SMTP, smtp);
        map.put(Protocol.SUBMISSION, smtp);
        map.put(Protocol.IMAP, new ImapProber(vertx, client, tls, resources));
        map.put(Protocol.POP3, new Pop3Prober(vertx, client, tls, resources));
        return new Probers(client, resources, map);
    }

    public SessionProber get(Protocol protocol) {
        return Objects.requireNonNull(byProtocol.get(protocol), () -> "no prober for " + protocol);
    }

    public Map<Protocol, SessionProber> asMap() {
        return byProtocol;
    }

    /** Probes {@code target} with the prober for its protocol. Never fails. */
    public Future<ProbeResult> probe(ProbeTarget target) {
        return get(target.protocol()).probe(target);
    }

    /** Open probe sockets, armed timers and running probes: all zero when idle. */
    public ProbeResources resources() {
        return resources;
    }

    public Future<Void> close() {
        return client.close();
    }
}
