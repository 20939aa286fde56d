package dev.mailprobe.health;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.TlsInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Results, evidence and a settable clock for the health tests. */
public final class HealthFixtures {
    public static final Instant T0 = Instant.parse("2024-05-04T06:00:00Z");

    private HealthFixtures() {}

    /** smtp-1 (smtp, submission) and imap-1 (imap, pop3), like {@code ConfigFixtures.small}. */
    public static Map<String, Set<String>> checks() {
        Map<String, Set<String>> m = new LinkedHashMap<>();
        m.put("smtp-1", Set.of("smtp", "submission"));
        m.put("imap-1", Set.of("imap", "pop3"));
        return m;
    }

    public static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    public static ProbeResult ok(String node, Protocol p, Instant at) {
        return new ProbeResult(node, false, p, node, at, true, null, null,
                Map.of(Phase.CONNECT, Duration.ofMillis(2), Phase.TOTAL, Duration.ofMillis(20)), 221, "bye", null,
                List.of("S: 220 hello", "C: QUIT", "S: 221 bye"), null);
    }

    public static ProbeResult refused(String node, Protocol p, Instant at) {
        return new ProbeResult(node, false, p, node, at, false, FailureReason.REFUSED, Phase.CONNECT,
                Map.of(Phase.CONNECT, Duration.ofMillis(1), Phase.TOTAL, Duration.ofMillis(1)), 0, null, null,
                List.of(), "connection refused by 127.0.0.1:" + (p == Protocol.SMTP ? 25 : 143));
    }

    public static ProbeResult timeout(String node, Protocol p, Instant at) {
        return new ProbeResult(node, false, p, node, at, false, FailureReason.TIMEOUT, Phase.GREETING,
                Map.of(Phase.CONNECT, Duration.ofMillis(1), Phase.GREETING, Duration.ofSeconds(2),
                        Phase.TOTAL, Duration.ofSeconds(2)), 0, null, null, List.of(), "no greeting within 2s");
    }

    /** An IMAP login failure whose transcript is redacted as the IMAP prober redacts it. */
    public static ProbeResult authFailed(String node, Instant at) {
        return new ProbeResult(node, false, Protocol.IMAP, node, at, false, FailureReason.AUTH_FAILED, Phase.AUTH,
                Map.of(Phase.CONNECT, Duration.ofMillis(1), Phase.TLS, Duration.ofMillis(9), Phase.GREETING,
                        Duration.ofMillis(3), Phase.AUTH, Duration.ofMillis(40), Phase.TOTAL, Duration.ofMillis(55)),
                0, "a1 NO [AUTHENTICATIONFAILED] Authentication failed.",
                new TlsInfo("TLSv1.3", "TLS_AES_256_GCM_SHA384", Instant.parse("2025-01-01T00:00:00Z"), true),
                List.of("S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready", "C: a1 LOGIN probe@example.net ****",
                        "S: a1 NO [AUTHENTICATIONFAILED] Authentication failed."),
                "login rejected: NO [AUTHENTICATIONFAILED] Authentication failed.");
    }

    public static Evidence failure(Instant at, String reason) {
        return Evidence.minimal(at, "n", "smtp", reason, reason + " at " + at);
    }

    /**
     * {@code c} with every probe interval and timeout replaced, the store at {@code store} and HTTP
     * at {@code http}; entry points kept (with the same probe settings) or dropped.
     */
    public static MailprobeConfig fastProbes(MailprobeConfig c, Duration interval, Duration timeout, Path store,
                                             MailprobeConfig.Http http, boolean keepEntryPoints) {
        ProbeSettings s = new ProbeSettings(interval, timeout, c.probe().maxConnectionsPerNode(),
                c.probe().tlsVerify(), c.probe().caFile());
        List<Node> nodes = c.nodes().stream()
                .map(n -> new Node(n.name(), n.host(), n.greetingName(), fast(n.protocols(), s))).toList();
        List<EntryPoint> eps = !keepEntryPoints ? List.of() : c.entryPoints().stream()
                .map(e -> new EntryPoint(e.name(), e.via(), e.host(), e.select(), fast(e.protocols(), s))).toList();
        return new MailprobeConfig(c.cluster(), c.vantage(), http, new MailprobeConfig.Store(store), s, c.accounts(),
                nodes, eps, c.roundTrip(), c.slos(), c.knownJobs(), c.health());
    }

    private static Map<Protocol, Endpoint> fast(Map<Protocol, Endpoint> endpoints, ProbeSettings s) {
        Map<Protocol, Endpoint> out = new LinkedHashMap<>();
        endpoints.forEach((p, e) -> out.put(p, new Endpoint(p, e.port(), e.tls(), e.account(),
                new ProbeSettings(s.interval(), s.timeout(), s.maxConnectionsPerNode(),
                        e.settings() != null ? e.settings().tlsVerify() : s.tlsVerify(),
                        e.settings() != null ? e.settings().caFile() : s.caFile()))));
        return out;
    }

    /** A clock the test moves. */
    public static final class MutableClock extends Clock {
        private Instant now;

        public MutableClock(Instant now) {
            this.now = now;
        }

        public void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
