package dev.mailprobe.demo;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.mailprobe.config.Account;
import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.EntryPoint;
import dev.mailprobe.config.KnownJob;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.Node;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.Protocol;
import dev.mailprobe.config.RoundTripSettings;
import dev.mailprobe.config.Secret;
import dev.mailprobe.config.SloSpec;
import dev.mailprobe.config.TlsMode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The embedded demo mail cluster: one GreenMail (SMTP, IMAP, POP3 on 127.0.0.1, ephemeral ports)
 * is the shared mail store, and each demo node is a set of fault-injecting proxies in front of it:
 * {@code smtp-1}, {@code smtp-2} (smtp + submission, both to GreenMail SMTP) and {@code imap-1},
 * {@code imap-2} (imap + pop3). Plaintext everywhere. All proxy traffic runs on one event loop (the
 * context of a small verticle deployed on the caller's Vert.x); GreenMail runs its own threads.
 * {@link #close()} releases every port and thread it started; the Vert.x instance stays the caller's.
 */
public final class DemoCluster implements AutoCloseable {
    public static final String DOMAIN = "demo.mailprobe.test";
    /** The probe account's address and login. */
    public static final String PROBE_ADDRESS = "probe@" + DOMAIN;
    /**
     * The demo's SLO period: one hour, so a crash moves the budget within minutes (a 30-day budget
     * would say "100 % left" for weeks). The status page says so. Production uses 30d or 28d.
     */
    public static final Duration DEMO_SLO_PERIOD = Duration.ofHours(1);
    /** The demo's objective: 99 %, i.e. 36 s of full outage per hour. */
    public static final double DEMO_OBJECTIVE = 0.99;
    /** A second mailbox, for mail between users. */
    public static final String SECOND_ADDRESS = "alice@" + DOMAIN;
    /** Topology order. */
    public static final List<String> NODES = List.of("smtp-1", "smtp-2", "imap-1", "imap-2");

    private static final List<Protocol> SMTP_PROTOCOLS = List.of(Protocol.SMTP, Protocol.SUBMISSION);
    private static final List<Protocol> MAILBOX_PROTOCOLS = List.of(Protocol.IMAP, Protocol.POP3);

    private final Vertx vertx;
    private final DemoOptions options;
    private final GreenMail greenMail;
    private final Map<String, DemoNode> nodes;
    private final String deploymentId;
    private final FaultInjector faults;
    private final FaultApi api;
    private final Secret probePassword;
    private final Secret secondPassword;
    private final MailprobeConfig config;
    private volatile boolean closed;

    private DemoCluster(Vertx vertx, DemoOptions options, Backend backend, Map<String, DemoNode> nodes,
            String deploymentId, Context context, Path storePath) {
        this.vertx = vertx;
        this.options = options;
        this.greenMail = backend.greenMail;
        this.probePassword = backend.probePassword;
        this.secondPassword = backend.secondPassword;
        this.nodes = nodes;
        this.deploymentId = deploymentId;
        this.faults = new FaultInjector(nodes, context);
        this.api = new FaultApi(faults);
        this.config = buildConfig(storePath);
    }

    /**
     * Starts GreenMail and the node proxies, blocking the calling thread (typically well under a
     * second). Not for event-loop threads: use {@link #startAsync} there.
     */
    public static DemoCluster start(Vertx vertx, DemoOptions options) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("DemoCluster.start blocks; call startAsync on an event loop");
        }
        Backend backend = Backend.start();
        try {
            return await(deploy(vertx, options, backend), "start the demo cluster");
        } catch (RuntimeException e) {
            backend.greenMail.stop();
            throw e;
        }
    }

    /** As {@link #start}, without blocking the caller (GreenMail starts on a worker thread). */
    public static Future<DemoCluster> startAsync(Vertx vertx, DemoOptions options) {
        return vertx.executeBlocking(Backend::start, false)
                .compose(backend -> deploy(vertx, options, backend).onFailure(t -> backend.greenMail.stop()));
    }

    private static Future<DemoCluster> deploy(Vertx vertx, DemoOptions options, Backend backend) {
        Path storePath;
        try {
            storePath = options.storePath() != null ? options.storePath() : tempStore();
        } catch (IOException e) {
            return Future.failedFuture(new UncheckedIOException("cannot create the demo store file", e));
        }
        FaultState initial = new FaultState(FaultMode.NONE, options.slowDelay());
        Map<String, DemoNode> nodes = new LinkedHashMap<>();
        for (String name : NODES) {
            nodes.put(name, new DemoNode(name, name.startsWith("smtp") ? SMTP_PROTOCOLS : MAILBOX_PROTOCOLS, initial));
        }
        ProxyVerticle verticle = new ProxyVerticle(options, backend, nodes);
        return vertx.deployVerticle(verticle)
                .map(id -> new DemoCluster(vertx, options, backend, nodes, id, verticle.context(), storePath));
    }

    private static Path tempStore() throws IOException {
        Path p = Files.createTempFile("mailprobe-demo-", ".db");
        p.toFile().deleteOnExit();
        return p;
    }

    /** The topology for the prober; ports are the proxies' ports, fixed for the cluster's life. */
    public MailprobeConfig config() {
        return config;
    }

    public FaultInjector faults() {
        return faults;
    }

    /** Mounts {@code GET /demo/faults} and {@code POST /demo/faults/:node} on {@code router}. */
    public void mountApi(Router router) {
        api.mount(router);
    }

    /** The address every node proxy listens on. */
    public String bindAddress() {
        return options.bindAddress();
    }

    /** The proxy port of one protocol of one node. */
    public int port(String node, Protocol protocol) {
        DemoNode n = faults.node(node);
        if (!n.protocols.contains(protocol)) {
            throw new IllegalArgumentException("demo node " + node + " does not serve " + protocol);
        }
        return n.proxy(protocol).port();
    }

    /** The shared mail store behind all nodes (tests and scenarios inspect mailboxes through it). */
    public GreenMail backend() {
        return greenMail;
    }

    /** The password of {@link #SECOND_ADDRESS} (the probe's is in {@code config().accounts()}). */
    public Secret secondUserPassword() {
        return secondPassword;
    }

    /** Closes every proxy listener and connection, undeploys the proxy verticle, stops GreenMail. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Future<Void> down = faults.shutdown()
                .transform(ar -> vertx.undeploy(deploymentId))
                .recover(t -> Future.succeededFuture());
        if (!Context.isOnEventLoopThread()) {
            try {
                await(down, "stop the demo proxies");
            } catch (RuntimeException ignored) {
                // best effort: GreenMail is stopped below regardless
            }
        }
        greenMail.stop();
    }

    private MailprobeConfig buildConfig(Path storePath) {
        Duration interval = options.probeInterval();
        Duration timeout = Duration.ofMillis(Math.min(2000, interval.toMillis() * 4 / 5));
        ProbeSettings probe = new ProbeSettings(interval, timeout, 1, false, null);
        Account account = new Account("probe", PROBE_ADDRESS, probePassword);
        List<Node> configNodes = new ArrayList<>();
        for (DemoNode n : nodes.values()) {
            Map<Protocol, Endpoint> eps = new LinkedHashMap<>();
            for (ProtocolProxy p : n.proxies) {
                eps.put(p.protocol, endpoint(p.protocol, p.port(), account, probe));
            }
            configNodes.add(new Node(n.name, options.bindAddress(), n.greetingName, eps));
        }
        DemoNode smtp1 = nodes.get("smtp-1");
        DemoNode imap1 = nodes.get("imap-1");
        EntryPoint mx = new EntryPoint("mx", List.of("smtp-1", "smtp-2"), null, EntryPoint.Selection.FAILOVER,
                Map.of(Protocol.SMTP, endpoint(Protocol.SMTP, smtp1.proxy(Protocol.SMTP).port(), account, probe),
                        Protocol.SUBMISSION, endpoint(Protocol.SUBMISSION, smtp1.proxy(Protocol.SUBMISSION).port(), account, probe)));
        EntryPoint mailbox = new EntryPoint("mailbox", List.of("imap-1", "imap-2"), null, EntryPoint.Selection.ROUND_ROBIN,
                Map.of(Protocol.IMAP, endpoint(Protocol.IMAP, imap1.proxy(Protocol.IMAP).port(), account, probe),
                        Protocol.POP3, endpoint(Protocol.POP3, imap1.proxy(Protocol.POP3).port(), account, probe)));
        RoundTripSettings roundTrip = new RoundTripSettings(Duration.ofSeconds(10), PROBE_ADDRESS, PROBE_ADDRESS,
                account, Duration.ofSeconds(5), Duration.ofSeconds(30),
                Secret.of(randomToken(32), "demo: random in-memory key"), RoundTripSettings.Matrix.FULL);
        return new MailprobeConfig(
                null,
                null,
                new MailprobeConfig.Http(options.httpBind(), options.httpPort()),
                new MailprobeConfig.Store(storePath),
                probe,
                Map.of("probe", account),
                configNodes,
                List.of(mx, mailbox),
                roundTrip,
                List.of(new SloSpec("delivery", DEMO_OBJECTIVE, DEMO_SLO_PERIOD),
                        new SloSpec("access", DEMO_OBJECTIVE, DEMO_SLO_PERIOD),
                        new SloSpec("submission", DEMO_OBJECTIVE, DEMO_SLO_PERIOD)),
                List.of(new KnownJob("ps-sweep", "*/15 * * * *")));
    }

    /** Plain SMTP (port 25 style) has no login; submission, IMAP and POP3 use the probe account. */
    private static Endpoint endpoint(Protocol p, int port, Account account, ProbeSettings probe) {
        return new Endpoint(p, port, TlsMode.NONE, p == Protocol.SMTP ? null : account, probe);
    }

    private static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static <T> T await(Future<T> f, String what) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException("could not " + what + ": " + c, c);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out trying to " + what, e);
        }
    }

    /** GreenMail, the one shared store, on 127.0.0.1 ephemeral ports. */
    private record Backend(GreenMail greenMail, Secret probePassword, Secret secondPassword) {
        static Backend start() {
            Secret probePw = Secret.of(randomToken(18), "demo: generated at start");
            Secret secondPw = Secret.of(randomToken(18), "demo: generated at start");
            ServerSetup[] setups = {
                    new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                    new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
                    new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3),
            };
            GreenMail gm = new GreenMail(setups).withConfiguration(GreenMailConfiguration.aConfig()
                    .withUser(PROBE_ADDRESS, PROBE_ADDRESS, probePw.reveal())
                    .withUser(SECOND_ADDRESS, SECOND_ADDRESS, secondPw.reveal()));
            gm.start();
            return new Backend(gm, probePw, secondPw);
        }

        int port(Protocol p) {
            return switch (p) {
                case SMTP, SUBMISSION -> greenMail.getSmtp().getPort();
                case IMAP -> greenMail.getImap().getPort();
                case POP3 -> greenMail.getPop3().getPort();
            };
        }
    }

    /** Owns the proxy event loop: every listener, connection and timer of the demo lives on its context. */
    private static final class ProxyVerticle extends VerticleBase {
        private final DemoOptions options;
        private final Backend backend;
        private final Map<String, DemoNode> nodes;
        private NetClient backendClient;

        ProxyVerticle(DemoOptions options, Backend backend, Map<String, DemoNode> nodes) {
            this.options = options;
            this.backend = backend;
            this.nodes = nodes;
        }

        Context context() {
            return context;
        }

        @Override
        public Future<?> start() {
            backendClient = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(2000));
            int k = 0;
            for (DemoNode n : nodes.values()) {
                for (Protocol p : n.protocols) {
                    int port = options.basePort() == 0 ? 0 : options.basePort() + k;
                    k++;
                    n.proxies.add(new ProtocolProxy(vertx, n, p, options.bindAddress(), port,
                            backendClient, "127.0.0.1", backend.port(p)));
                }
            }
            return Future.all(nodes.values().stream().map(n -> n.reconcile(false)).toList());
        }

        @Override
        public Future<?> stop() {
            return backendClient == null ? Future.succeededFuture() : backendClient.close();
        }
    }
}
