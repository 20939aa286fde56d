package dev.mailprobe.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Handle on the real mail testbed (testbed/up): two Postfix nodes, two Dovecot nodes on loopback
 * sharing one Maildir store. Node table, CA, accounts, and fault control by shelling out to the
 * {@code testbed/*} scripts. Obtain it through {@link RealTestbed} / {@link TestbedExtension}.
 */
public final class Testbed {

    public static final String DOMAIN = "testbed.mailprobe.test";
    public static final String DEFAULT_STATE_DIR = "/tmp/mailprobe-testbed";

    /** Listener names and their ports, the same on every node of a kind. */
    public static final Map<String, Integer> SMTP_LISTENERS = Map.of("smtp", 2525, "submission", 2587);
    public static final Map<String, Integer> IMAP_LISTENERS =
            Map.of("imap", 2143, "imaps", 2993, "pop3", 2110, "pop3s", 2995);

    /** A testbed node. {@code kind} is {@code postfix} or {@code dovecot}. */
    public record Node(String name, String kind, String host, String greetingName, Map<String, Integer> ports) {
        public Node {
            ports = Map.copyOf(ports);
        }

        /** Port of a listener: smtp, submission (Postfix); imap, imaps, pop3, pop3s (Dovecot). */
        public int port(String listener) {
            Integer p = ports.get(listener);
            if (p == null) {
                throw new IllegalArgumentException(name + " has no listener " + listener + " (has " + ports.keySet() + ")");
            }
            return p;
        }

        public boolean isPostfix() {
            return kind.equals("postfix");
        }
    }

    /** A mailbox account of the testbed. */
    public record Account(String username, String password, Path passwordFile) {
        @Override
        public String toString() {
            return "Account[" + username + ", passwordFile=" + passwordFile + "]"; // never the password
        }
    }

    /** Fault modes of {@code testbed/fault}; {@link #wireName()} is the script's name for it. */
    public enum Fault {
        NONE("none"), STOP("stop"), BLACKHOLE("blackhole"), SLOW("slow"), DEFER("defer"), DISCARD("discard"),
        REJECT("reject"), AUTH_BROKEN("auth-broken"), BAD_CERT("bad-cert"), WRONG_CERT("wrong-cert");

        private final String wireName;

        Fault(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /** Outcome of one script run. */
    public record ScriptResult(int exitCode, String output) {}

    private static final List<Node> NODES = List.of(
            new Node("smtp-1", "postfix", "127.0.0.11", "smtp-1." + DOMAIN, SMTP_LISTENERS),
            new Node("smtp-2", "postfix", "127.0.0.12", "smtp-2." + DOMAIN, SMTP_LISTENERS),
            new Node("imap-1", "dovecot", "127.0.0.21", "imap-1." + DOMAIN, IMAP_LISTENERS),
            new Node("imap-2", "dovecot", "127.0.0.22", "imap-2." + DOMAIN, IMAP_LISTENERS));

    private final Path projectRoot;
    private final Path stateDir;
    private final Path scriptLog;
    private final Set<String> faulted = new LinkedHashSet<>();
    private volatile SSLContext sslContext;

    Testbed(Path projectRoot, Path stateDir, Path scriptLog) {
        this.projectRoot = projectRoot;
        this.stateDir = stateDir;
        this.scriptLog = scriptLog;
    }

    /**
     * Finds the project root (system property {@code mailprobe.projectRoot}, else the first parent of
     * {@code user.dir} holding {@code testbed/up}) and the state dir ({@code MAILPROBE_TESTBED_DIR} or
     * {@value #DEFAULT_STATE_DIR}).
     */
    public static Testbed locate() {
        Path root = null;
        String prop = System.getProperty("mailprobe.projectRoot");
        if (prop != null && !prop.isBlank() && Files.isExecutable(Path.of(prop, "testbed", "up"))) {
            root = Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); root == null && p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("testbed").resolve("up"))) {
                root = p;
            }
        }
        if (root == null) {
            throw new IllegalStateException("cannot find the project root (testbed/up): set -Dmailprobe.projectRoot"
                    + " (user.dir=" + System.getProperty("user.dir") + ", mailprobe.projectRoot=" + prop + ")");
        }
        String env = System.getenv("MAILPROBE_TESTBED_DIR");
        Path state = Path.of(env == null || env.isBlank() ? DEFAULT_STATE_DIR : env);
        Path target = root.resolve("prober").resolve("target");
        Path log = Files.isDirectory(target) ? target.resolve("testbed-scripts.log")
                : Path.of(System.getProperty("java.io.tmpdir"), "mailprobe-testbed-scripts.log");
        return new Testbed(root, state, log);
    }

    // ------------------------------------------------------------------ node table

    public List<Node> nodes() {
        return NODES;
    }

    public Node node(String name) {
        return NODES.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no testbed node " + name));
    }

    public String host(String node) {
        return node(node).host();
    }

    public int port(String node, String listener) {
        return node(node).port(listener);
    }

    // ------------------------------------------------------------------ files and accounts

    public Path projectRoot() {
        return projectRoot;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** Log of every script this JVM ran (stdout + stderr). */
    public Path scriptLog() {
        return scriptLog;
    }

    /** The testbed CA certificate (PEM). */
    public Path caFile() {
        return stateDir.resolve("tls").resolve("ca.pem");
    }

    public Path tokenKeyFile() {
        return stateDir.resolve("secrets").resolve("token-key");
    }

    /** testbed/mailprobe.yaml, the prober config for the testbed. */
    public Path configFile() {
        return projectRoot.resolve("testbed").resolve("mailprobe.yaml");
    }

    /** Directory holding the node's postfix.log / dovecot.log / helper.log. */
    public Path logDir(String node) {
        return stateDir.resolve(node(node).name()).resolve("log");
    }

    public Account probe() {
        return account("probe");
    }

    public Account alice() {
        return account("alice");
    }

    private Account account(String name) {
        Path file = stateDir.resolve("secrets").resolve(name + "-password");
        try {
            return new Account(name + "@" + DOMAIN, Files.readString(file).strip(), file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (is the testbed up?)", e);
        }
    }

    /** Delay the {@code slow} fault adds to every server reply. */
    public Duration slowDelay() {
        String s = System.getenv("MAILPROBE_TESTBED_SLOW_DELAY");
        double secs = s == null || s.isBlank() ? 2.5 : Double.parseDouble(s);
        return Duration.ofMillis(Math.round(secs * 1000));
    }

    /** A TLS context that trusts the testbed CA only. */
    public SSLContext sslContext() {
        SSLContext ctx = sslContext;
        if (ctx == null) {
            try (InputStream in = Files.newInputStream(caFile())) {
                Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                ks.setCertificateEntry("mailprobe-testbed-ca", ca);
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
                ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                sslContext = ctx;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot load testbed CA " + caFile(), e);
            }
        }
        return ctx;
    }

    // ------------------------------------------------------------------ control

    /** testbed/up: idempotent; restores every node to fault-free. Throws with the log tail on failure. */
    public void up() {
        check(run(Duration.ofMinutes(10), "up"), "testbed/up");
        synchronized (faulted) {
            faulted.clear();
        }
    }

    /** testbed/down: stops every process and listener. */
    public void down() {
        check(run(Duration.ofMinutes(1), "down"), "testbed/down");
    }

    /** Runs testbed/status; exit 0 when every node runs fault-free. */
    public ScriptResult status() {
        return run(Duration.ofSeconds(30), "status");
    }

    /** Injects a fault (or {@link Fault#NONE}) into a node; throws if the script fails. */
    public void fault(String node, Fault mode) {
        fault(node, mode.wireName());
    }

    /** Injects a fault by its script name; throws if the script fails. */
    public void fault(String node, String mode) {
        check(tryFault(node, mode), "testbed/fault " + node + " " + mode);
    }

    /** Runs testbed/fault and returns its exit code (2 = mode does not apply) and output. */
    public ScriptResult tryFault(String node, String mode) {
        synchronized (faulted) {
            if (!"none".equals(mode)) {
                faulted.add(node);
            }
        }
        ScriptResult r = run(Duration.ofSeconds(90), "fault", node, mode);
        if ("none".equals(mode) && r.exitCode() == 0) {
            synchronized (faulted) {
                faulted.remove(node);
            }
        }
        return r;
    }

    /** Restores every node faulted through this object (cheap when there is none). */
    public void clearFaults() {
        List<String> nodes;
        synchronized (faulted) {
            nodes = new ArrayList<>(faulted);
        }
        if (!nodes.isEmpty()) {
            fault("all", Fault.NONE);
            synchronized (faulted) {
                faulted.clear();
            }
        }
    }

    /**
     * PIDs of processes that still belong to the testbed: command line naming the state dir or a
     * testbed Dovecot instance, or a Postfix process whose MAIL_CONFIG lies in the state dir.
     */
    public List<Long> processes() {
        String dir = stateDir.toString() + "/";
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == ProcessHandle.current().pid()) {
                    continue;
                }
                String cmd = readProc(p.resolve("cmdline"));
                String env = readProc(p.resolve("environ"));
                String stat = readProc(p.resolve("stat"));
                if (stat.contains(") Z ") || stat.isEmpty()) {
                    continue; // zombie or gone
                }
                if (cmd.contains(dir) || cmd.startsWith("dovecot-mailprobe-testbed-")
                        || ("\0" + env).contains("\0MAIL_CONFIG=" + dir)) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    /** Lines of {@code ss -Hltn} whose local address is a testbed node address (127.0.0.x or 127.0.1.x). */
    public List<String> listeners() {
        ScriptResult r = exec(Duration.ofSeconds(10), List.of("ss", "-Hltn"));
        List<String> out = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            for (Node n : NODES) {
                String back = n.host().replace("127.0.0.", "127.0.1.");
                if (line.contains(" " + n.host() + ":") || line.contains(" " + back + ":")) {
                    out.add(line.strip());
                }
            }
        }
        return out;
    }

    private static String readProc(Path p) {
        try {
            return new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    private ScriptResult run(Duration timeout, String script, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(projectRoot.resolve("testbed").resolve(script).toString());
        cmd.addAll(List.of(args));
        return exec(timeout, cmd);
    }

    /**
     * Runs a command with stdout+stderr going to a fresh temp file (never a pipe: Dovecot and the fault
     * helpers would keep a pipe open and hang the reader), appends it to {@link #scriptLog()}.
     */
    private ScriptResult exec(Duration timeout, List<String> cmd) {
        Path out = null;
        try {
            out = Files.createTempFile("mailprobe-testbed-", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().remove("TB_TRACE");
            Instant start = Instant.now();
            Process proc = pb.start();
            boolean done = proc.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                proc.destroyForcibly();
            }
            String text = Files.readString(out, StandardCharsets.UTF_8);
            int code = done ? proc.exitValue() : -1;
            long ms = Duration.between(start, Instant.now()).toMillis();
            Files.writeString(scriptLog, "=== " + Instant.now() + " " + String.join(" ", cmd) + " -> exit " + code
                    + (done ? "" : " (TIMED OUT after " + timeout + ")") + " in " + ms + " ms\n" + text,
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            return new ScriptResult(code, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + cmd, e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // temp file
                }
            }
        }
    }

    private void check(ScriptResult r, String what) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException(what + " failed with exit " + r.exitCode() + " (full log: " + scriptLog
                    + ")\n--- output tail ---\n" + tail(r.output(), 40));
        }
    }

    private static String tail(String s, int lines) {
        String[] all = s.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }

    @Override
    public String toString() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("projectRoot", projectRoot.toString());
        m.put("stateDir", stateDir.toString());
        return "Testbed" + m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Testbed t && t.stateDir.equals(stateDir) && t.projectRoot.equals(projectRoot);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stateDir, projectRoot);
    }
}
