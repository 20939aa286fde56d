package dev.mailprobe.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates a mailprobe YAML config (DESIGN.md "Config (contract)", docs/CONFIG.md).
 *
 * <p>The YAML is parsed into a tree (duplicate keys are errors) and walked by hand; every problem
 * found is collected, so one run reports all of them. Relative file paths ({@code passwordFile},
 * {@code tokenKeyFile}, {@code caFile}, {@code store.path}) are resolved against the directory of
 * the config file. Secrets are read here and never appear in a message.
 */
public final class ConfigLoader {
    /** Node and entry point names end up in the {@code node} label. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]*");
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final String NAME_RULE = "use a-z, 0-9, _ . -, starting with a letter or digit";
    private static final int MIN_TOKEN_KEY_LENGTH = 16;
    /** The value of every secret of a config loaded with syntax only: never a usable credential. */
    private static final String NOT_READ = "\u0000not-read";

    private static final List<String> TOP_KEYS = List.of(
            "cluster", "vantage", "http", "store", "probe", "accounts", "nodes", "entryPoints",
            "roundTrip", "slos", "knownJobs", "health", "shard", "alerting");
    private static final List<String> HTTP_KEYS = List.of("port", "bind");
    private static final List<String> STORE_KEYS = List.of("path");
    private static final List<String> SETTINGS_KEYS =
            List.of("interval", "timeout", "maxConnectionsPerNode", "tlsVerify", "caFile");
    private static final List<String> ACCOUNT_KEYS = List.of("username", "passwordFile", "passwordEnv");
    private static final List<String> NODE_KEYS = concat(
            List.of("name", "host", "greetingName", "protocols"), SETTINGS_KEYS);
    private static final List<String> ENTRY_POINT_KEYS = concat(
            List.of("name", "via", "select", "host", "protocols"), SETTINGS_KEYS);
    private static final List<String> ENDPOINT_KEYS = List.of(
            "port", "tls", "account", "interval", "timeout", "tlsVerify", "caFile");
    private static final List<String> ROUND_TRIP_KEYS = List.of(
            "interval", "from", "to", "account", "deliveredWithin", "lostAfter", "tokenKeyFile",
            "tokenKeyEnv", "matrix");
    private static final List<String> SLO_KEYS = List.of("name", "objective", "window", "minEvents");
    private static final List<String> ALERTING_KEYS = List.of("runbookUrl", "dashboardUrl", "minEvents");
    private static final List<String> KNOWN_JOB_KEYS = List.of("name", "cron", "timezone");
    private static final List<String> SLIS = List.of("delivery", "access", "submission");
    private static final List<String> HEALTH_KEYS = List.of(
            "failuresToSuspect", "failuresToDown", "window", "successesToUp", "flapDamping");
    private static final List<String> WINDOW_KEYS = List.of("failures", "of");
    private static final List<String> FLAP_KEYS = List.of("downs", "within", "successesToUp");
    private static final List<String> SHARD_KEYS = List.of("count", "index");
    private static final int MAX_WINDOW = 1000;

    static final Duration DEFAULT_ROUND_TRIP_INTERVAL = Duration.ofSeconds(60);
    static final Duration DEFAULT_DELIVERED_WITHIN = Duration.ofSeconds(30);
    static final Duration DEFAULT_LOST_AFTER = Duration.ofMinutes(10);
    static final Duration DEFAULT_SLO_WINDOW = Duration.ofDays(30);
    /** The shortest SLO period accepted: the page alert's long window (1h). */
    static final Duration MIN_SLO_WINDOW = Duration.ofHours(1);
    static final double DEFAULT_OBJECTIVE = 0.999;

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {}

    /** Reads, parses and validates {@code file}; relative paths in it are relative to its directory. */
    public static MailprobeConfig load(Path file) throws ConfigException {
        return load(file, false);
    }

    /**
     * As {@link #load(Path)}; with {@code syntaxOnly} the file is checked without reading what it
     * points at: secret files and environment variables ({@code passwordFile}/{@code passwordEnv},
     * {@code tokenKeyFile}/{@code tokenKeyEnv}) and CA files need not exist. Their keys are still
     * checked (one of file/env, a string, not empty); the secrets in the result are placeholders
     * that must never be used to log in ({@code check-config --syntax-only}, {@code rules}).
     */
    public static MailprobeConfig load(Path file, boolean syntaxOnly) throws ConfigException {
        String yaml;
        try {
            yaml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(new ConfigError(file.toString(), "cannot read: " + reason(e, file)));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(yaml, dir, System::getenv, syntaxOnly);
    }

    /**
     * Parses and validates config text; relative paths are resolved against {@code baseDir}
     * (the current directory when null), {@code passwordEnv} against the process environment.
     */
    public static MailprobeConfig parse(String yaml, Path baseDir) throws ConfigException {
        return parse(yaml, baseDir, System::getenv);
    }

    /**
     * As {@link #parse(String, Path)}, reading environment variables through {@code env}
     * (name to value, null when unset) instead of the process environment.
     */
    public static MailprobeConfig parse(String yaml, Path baseDir, Function<String, String> env)
            throws ConfigException {
        return parse(yaml, baseDir, env, false);
    }

    /** As {@link #parse(String, Path, Function)}; {@code syntaxOnly} as in {@link #load(Path, boolean)}. */
    public static MailprobeConfig parse(String yaml, Path baseDir, Function<String, String> env, boolean syntaxOnly)
            throws ConfigException {
        Objects.requireNonNull(yaml, "yaml");
        Objects.requireNonNull(env, "env");
        Path dir = (baseDir == null ? Path.of("") : baseDir).toAbsolutePath().normalize();
        JsonNode root = readTree(yaml);
        Walk walk = new Walk(dir, env, syntaxOnly);
        MailprobeConfig config = walk.config(root);
        if (!walk.errors.isEmpty()) {
            throw new ConfigException(walk.errors);
        }
        return config;
    }

    // ---------------------------------------------------------------- YAML

    private static JsonNode readTree(String yaml) throws ConfigException {
        rejectAliases(yaml);
        JsonNode root;
        try (JsonParser parser = MAPPER.createParser(yaml)) {
            root = MAPPER.readTree(parser);
            if (root != null && parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw new ConfigException(new ConfigError(lineColumn(at),
                        "a second YAML document; put the whole config in one document"));
            }
        } catch (StreamReadException e) {
            throw new ConfigException(syntaxError(e));
        } catch (IOException e) {
            throw new ConfigException(new ConfigError("(root)", "cannot parse YAML: " + e.getClass().getSimpleName()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(new ConfigError("(root)", "the config is empty"));
        }
        if (!root.isObject()) {
            throw new ConfigException(new ConfigError("(root)", "expected a mapping of keys, got " + kind(root)));
        }
        return root;
    }

    /** Jackson's tree model turns an alias into the anchor's name as a string; say so instead. */
    private static void rejectAliases(String yaml) throws ConfigException {
        List<ConfigError> aliases = new ArrayList<>();
        try (YAMLParser parser = (YAMLParser) MAPPER.createParser(yaml)) {
            while (parser.nextToken() != null) {
                if (parser.isCurrentAlias()) {
                    aliases.add(new ConfigError(lineColumn(parser.currentTokenLocation()),
                            "YAML aliases (*" + parser.getText() + ") are not supported; write the value out"));
                }
            }
        } catch (StreamReadException e) {
            throw new ConfigException(syntaxError(e));
        } catch (IOException e) {
            throw new ConfigException(new ConfigError("(root)", "cannot parse YAML: " + e.getClass().getSimpleName()));
        }
        if (!aliases.isEmpty()) {
            throw new ConfigException(aliases);
        }
    }

    private static ConfigError syntaxError(StreamReadException e) {
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field '")) {
            String key = message.substring("Duplicate field '".length(), message.lastIndexOf('\''));
            JsonParser p = e.getProcessor();
            String path = p != null ? dotted(p.getParsingContext()) : key;
            JsonLocation at = p != null ? p.currentTokenLocation() : e.getLocation();
            return new ConfigError(path, "duplicate key (" + lineColumn(at) + ")");
        }
        String problem = message;
        Throwable cause = e.getCause();
        if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null) {
            problem = m.getProblem();
            if (m.getContext() != null) {
                problem = m.getContext() + ": " + problem;
            }
            if (problem.contains("alias") || problem.contains("'@'") || problem.contains("'`'")) {
                problem += " (quote values that start with *, & or @)";
            }
            if (m.getProblemMark() != null) {
                return new ConfigError("line " + (m.getProblemMark().getLine() + 1)
                        + ", column " + (m.getProblemMark().getColumn() + 1), problem);
            }
        }
        if (problem == null) {
            problem = "not valid YAML";
        }
        int nl = problem.indexOf('\n');
        if (nl >= 0) {
            problem = problem.substring(0, nl); // drop the quoted source
        }
        return new ConfigError(lineColumn(e.getLocation()), problem);
    }

    private static String lineColumn(JsonLocation at) {
        if (at == null || at.getLineNr() < 1) {
            return "(root)";
        }
        return "line " + at.getLineNr() + ", column " + at.getColumnNr();
    }

    /** {@code nodes[0].protocols.imap.port} from a parser context. */
    private static String dotted(JsonStreamContext ctx) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add(0, "[" + c.getCurrentIndex() + "]");
            } else if (c.getCurrentName() != null) {
                parts.add(0, "." + c.getCurrentName());
            }
        }
        String s = String.join("", parts);
        return s.startsWith(".") ? s.substring(1) : s;
    }

    // ---------------------------------------------------------------- the walk

    /** One validation pass: builds the config and collects every error on the way. */
    private static final class Walk {
        final Path baseDir;
        final Function<String, String> env;
        /** Check keys and values only; read no secret and no CA file. */
        final boolean syntaxOnly;
        final List<ConfigError> errors = new ArrayList<>();
        final Map<String, Account> accounts = new LinkedHashMap<>();
        /** Node and entry point names to the path that defined them (they share the node label). */
        final Map<String, String> targetNames = new HashMap<>();
        final Map<String, Node> nodesByName = new LinkedHashMap<>();

        Walk(Path baseDir, Function<String, String> env, boolean syntaxOnly) {
            this.baseDir = baseDir;
            this.env = env;
            this.syntaxOnly = syntaxOnly;
        }

        void error(String path, String message) {
            errors.add(new ConfigError(path, message));
        }

        MailprobeConfig config(JsonNode rootNode) {
            Obj root = new Obj(this, "", rootNode);
            root.checkKeys(TOP_KEYS);
            String cluster = string(root, "cluster", false);
            String vantage = string(root, "vantage", false);
            MailprobeConfig.Http http = http(root);
            MailprobeConfig.Store store = store(root);

            Resolved defaults = new Resolved(ProbeSettings.DEFAULTS, "default", "default");
            Resolved top = defaults;
            Obj probe = root.child("probe");
            if (probe != null) {
                probe.checkKeys(SETTINGS_KEYS);
                top = resolve(defaults, settings(probe, true));
            }

            accounts(root);
            List<Node> nodes = nodes(root, top);
            List<EntryPoint> entryPoints = entryPoints(root, top);
            RoundTripSettings roundTrip = roundTrip(root);
            List<SloSpec> slos = slos(root);
            List<KnownJob> knownJobs = knownJobs(root);
            HealthSettings health = health(root);
            ShardSettings shard = shard(root);
            AlertingSettings alerting = alerting(root);
            if (!errors.isEmpty()) {
                return null;
            }
            return new MailprobeConfig(cluster, vantage, http, store, top.settings(), accounts, nodes,
                    entryPoints, roundTrip, slos, knownJobs, health, shard, alerting);
        }

        /** {@code shard:}: {@code count} (1..1000, default 1) and an optional {@code index} below it. */
        ShardSettings shard(Obj root) {
            Obj o = root.child("shard");
            if (o == null) {
                return ShardSettings.NONE;
            }
            o.checkKeys(SHARD_KEYS);
            Integer count = integer(o, "count", 1);
            if (count != null && count > ShardSettings.MAX_COUNT) {
                error(o.at("count"), "must be at most " + ShardSettings.MAX_COUNT + ", got " + count);
                return ShardSettings.NONE;
            }
            Integer index = integer(o, "index", 0);
            int n = count != null ? count : 1;
            if (index != null && index >= n) {
                error(o.at("index"), index + " is not below shard.count (" + n + (count == null ? ", default" : "")
                        + "); shards are numbered 0.." + (n - 1));
                return ShardSettings.NONE;
            }
            return count == null && o.has("count") ? ShardSettings.NONE : new ShardSettings(n, index);
        }

        /** {@code alerting:}: runbook and dashboard links, the minimum-events guard; every key optional. */
        AlertingSettings alerting(Obj root) {
            Obj o = root.child("alerting");
            AlertingSettings d = AlertingSettings.DEFAULTS;
            if (o == null) {
                return d;
            }
            o.checkKeys(ALERTING_KEYS);
            String runbook = link(o, "runbookUrl");
            String dashboard = link(o, "dashboardUrl");
            Map<String, Integer> minEvents = minEvents(o);
            return new AlertingSettings(runbook == null ? d.runbookUrl() : runbook,
                    dashboard == null ? d.dashboardUrl() : dashboard, minEvents);
        }

        /**
         * A URL (or path) that ends up in alert annotations: no spaces, no template braces (the
         * annotation is a Prometheus template). A trailing slash is dropped.
         */
        String link(Obj o, String key) {
            String v = string(o, key, false);
            if (v == null) {
                return null;
            }
            if (v.isBlank()) {
                error(o.at(key), "must not be empty");
                return null;
            }
            if (v.contains("{{") || v.contains("}}")) {
                error(o.at(key), quote(v) + " contains {{ or }}: it is put into an alert template as text, not run as one");
                return null;
            }
            if (v.chars().anyMatch(Character::isWhitespace)) {
                error(o.at(key), quote(v) + " contains white space; percent-encode it (%20)");
                return null;
            }
            while (v.endsWith("/") && v.length() > 1) {
                v = v.substring(0, v.length() - 1);
            }
            return v;
        }

        /**
         * {@code minEvents}: a whole number for every burn-rate tier, or a mapping from tier name
         * ({@link AlertingSettings#TIERS}) to a whole number; 0 turns the guard off. Empty when absent.
         */
        Map<String, Integer> minEvents(Obj o) {
            JsonNode v = o.get("minEvents");
            Map<String, Integer> result = new LinkedHashMap<>();
            if (v == null) {
                return result;
            }
            if (v.isNumber()) {
                Integer n = integer(o, "minEvents", 0);
                if (n != null) {
                    AlertingSettings.TIERS.forEach(t -> result.put(t, n));
                }
                return result;
            }
            if (!v.isObject()) {
                error(o.at("minEvents"), "expected a whole number or a mapping like {page-1h: 100}, got " + kind(v));
                return result;
            }
            Obj m = o.child("minEvents");
            m.checkKeys(AlertingSettings.TIERS);
            for (String tier : AlertingSettings.TIERS) {
                if (m.has(tier)) {
                    Integer n = integer(m, tier, 0);
                    if (n != null) {
                        result.put(tier, n);
                    }
                }
            }
            return result;
        }

        /** {@code health:}: the node state machine's thresholds; every key optional. */
        HealthSettings health(Obj root) {
            Obj o = root.child("health");
            HealthSettings d = HealthSettings.DEFAULTS;
            if (o == null) {
                return d;
            }
            o.checkKeys(HEALTH_KEYS);
            Integer suspect = integer(o, "failuresToSuspect", 1);
            Integer down = integer(o, "failuresToDown", 1);
            Integer up = integer(o, "successesToUp", 1);
            int s = suspect != null ? suspect : d.failuresToSuspect();
            int f = down != null ? down : d.failuresToDown();
            int u = up != null ? up : d.successesToUp();
            boolean ok = suspect != null || !o.has("failuresToSuspect");
            ok &= down != null || !o.has("failuresToDown");
            ok &= up != null || !o.has("successesToUp");
            if (s > f) {
                error(o.at("failuresToSuspect"), s + " is more than failuresToDown (" + f
                        + (down == null ? ", default" : "") + ")");
                ok = false;
            }
            HealthSettings.Window window = d.window();
            if (o.has("window")) {
                window = null;
                Obj w = offOrMapping(o, "window", "{failures: 3, of: 5}");
                if (w != null) {
                    w.checkKeys(WINDOW_KEYS);
                    Integer k = required(w, "failures", integer(w, "failures", 1));
                    Integer m = required(w, "of", integer(w, "of", 1));
                    if (m != null && m > MAX_WINDOW) {
                        error(w.at("of"), "must be at most " + MAX_WINDOW + ", got " + m);
                    } else if (k != null && m != null && m < k) {
                        error(w.at("of"), m + " is less than failures (" + k + ")");
                    } else if (k != null && m != null) {
                        window = new HealthSettings.Window(k, m);
                    }
                }
            }
            HealthSettings.FlapDamping flap = d.flapDamping();
            if (o.has("flapDamping")) {
                flap = null;
                Obj fd = offOrMapping(o, "flapDamping", "{downs: 3, within: 1h, successesToUp: 6}");
                if (fd != null) {
                    fd.checkKeys(FLAP_KEYS);
                    Integer downs = required(fd, "downs", integer(fd, "downs", 2));
                    Duration within = required(fd, "within", duration(fd, "within"));
                    Integer damped = required(fd, "successesToUp", integer(fd, "successesToUp", 1));
                    if (damped != null && damped < u) {
                        error(fd.at("successesToUp"), damped + " is less than successesToUp (" + u
                                + (up == null ? ", default" : "") + "): damping would shorten the recovery");
                    } else if (downs != null && within != null && damped != null) {
                        flap = new HealthSettings.FlapDamping(downs, within, damped);
                    }
                }
            }
            return ok ? new HealthSettings(s, f, window, u, flap) : d;
        }

        /** A mapping, or null for {@code off}/{@code false} (and for a wrong value: error recorded). */
        Obj offOrMapping(Obj o, String key, String example) {
            JsonNode v = o.get(key);
            if (v.isObject()) {
                return o.child(key);
            }
            if ((v.isBoolean() && !v.asBoolean()) || (v.isTextual() && v.asText().equals("off"))) {
                return null;
            }
            error(o.at(key), "expected a mapping like " + example + ", or off; got " + kind(v));
            return null;
        }

        /** {@code value}, recording "is required" when {@code key} is absent. */
        <T> T required(Obj o, String key, T value) {
            if (!o.has(key)) {
                error(o.at(key), "is required");
            }
            return value;
        }

        // ---- sections

        MailprobeConfig.Http http(Obj root) {
            Obj o = root.child("http");
            if (o == null) {
                return MailprobeConfig.Http.DEFAULTS;
            }
            o.checkKeys(HTTP_KEYS);
            Integer port = port(o, "port");
            String bind = string(o, "bind", false);
            if (bind != null && bind.isBlank()) {
                error(o.at("bind"), "must not be empty");
            }
            return new MailprobeConfig.Http(
                    bind == null ? MailprobeConfig.Http.DEFAULTS.bind() : bind,
                    port == null ? MailprobeConfig.Http.DEFAULTS.port() : port);
        }

        MailprobeConfig.Store store(Obj root) {
            Obj o = root.child("store");
            Path path = null;
            if (o != null) {
                o.checkKeys(STORE_KEYS);
                String p = string(o, "path", false);
                if (p != null && p.isBlank()) {
                    error(o.at("path"), "must not be empty");
                } else if (p != null) {
                    path = resolvePath(p, o.at("path"));
                }
            }
            return new MailprobeConfig.Store(path != null ? path : baseDir.resolve(MailprobeConfig.Store.DEFAULTS.path()));
        }

        void accounts(Obj root) {
            Obj o = root.child("accounts");
            if (o == null) {
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = o.at(e.getKey());
                Obj a = Obj.of(this, path, e.getValue());
                if (a == null) {
                    continue;
                }
                a.checkKeys(ACCOUNT_KEYS);
                String username = string(a, "username", true);
                if (username != null && username.isBlank()) {
                    error(a.at("username"), "must not be empty");
                }
                Secret password = secret(a, "passwordFile", "passwordEnv", false);
                accounts.put(e.getKey(), new Account(e.getKey(), username, password));
            }
        }

        List<Node> nodes(Obj root, Resolved top) {
            List<JsonNode> items = root.list("nodes", "node");
            if (items == null) {
                return List.of();
            }
            if (items.isEmpty()) {
                error(root.at("nodes"), "must list at least one node");
            }
            for (int i = 0; i < items.size(); i++) {
                String path = "nodes[" + i + "]";
                Obj o = Obj.of(this, path, items.get(i));
                if (o == null) {
                    continue;
                }
                o.checkKeys(NODE_KEYS);
                String name = targetName(o, "nodes");
                String host = string(o, "host", true);
                if (host != null && host.isBlank()) {
                    error(o.at("host"), "must not be empty");
                }
                String greetingName = string(o, "greetingName", false);
                Resolved resolved = resolve(top, settings(o, true));
                Map<Protocol, Endpoint> protocols = protocols(o, resolved, false);
                if (name != null && !nodesByName.containsKey(name)) {
                    nodesByName.put(name, new Node(name, host, greetingName, protocols));
                }
            }
            return List.copyOf(nodesByName.values());
        }

        List<EntryPoint> entryPoints(Obj root, Resolved top) {
            List<JsonNode> items = root.list("entryPoints", "entry point");
            List<EntryPoint> result = new ArrayList<>();
            if (items == null) {
                return result;
            }
            for (int i = 0; i < items.size(); i++) {
                String path = "entryPoints[" + i + "]";
                Obj o = Obj.of(this, path, items.get(i));
                if (o == null) {
                    continue;
                }
                o.checkKeys(ENTRY_POINT_KEYS);
                String name = targetName(o, "entryPoints");
                List<String> via = via(o);
                String host = string(o, "host", false);
                if (host != null && host.isBlank()) {
                    error(o.at("host"), "must not be empty");
                }
                boolean hasVia = o.has("via");
                boolean hasHost = o.has("host");
                if (hasVia && hasHost) {
                    error(path, "set either via or host, not both");
                } else if (!hasVia && !hasHost) {
                    error(path, "set via (node names) or host (an address customers use)");
                }
                EntryPoint.Selection select = EntryPoint.Selection.FAILOVER;
                if (o.has("select")) {
                    if (hasHost && !hasVia) {
                        error(o.at("select"), "only applies with via");
                    }
                    select = choice(o, "select", Map.of(
                            "failover", EntryPoint.Selection.FAILOVER,
                            "round-robin", EntryPoint.Selection.ROUND_ROBIN), List.of("failover", "round-robin"));
                }
                Resolved resolved = resolve(top, settings(o, true));
                Map<Protocol, Endpoint> protocols = protocols(o, resolved, true);
                result.add(new EntryPoint(name, via == null ? List.of() : via, host, select, protocols));
            }
            return result;
        }

        List<String> via(Obj o) {
            List<JsonNode> items = o.list("via", "node name");
            if (items == null) {
                return null;
            }
            if (items.isEmpty()) {
                error(o.at("via"), "must list at least one node");
            }
            List<String> via = new ArrayList<>();
            for (int j = 0; j < items.size(); j++) {
                String p = o.at("via") + "[" + j + "]";
                JsonNode v = items.get(j);
                if (!v.isTextual()) {
                    error(p, "expected a node name, got " + kind(v));
                    continue;
                }
                String node = v.asText();
                if (!nodesByName.containsKey(node)) {
                    error(p, "unknown node " + node + didYouMean(node, nodesByName.keySet()));
                } else if (via.contains(node)) {
                    error(p, node + " is listed twice");
                } else {
                    via.add(node);
                }
            }
            return via;
        }

        /** Checks name syntax and uniqueness across nodes and entry points. */
        String targetName(Obj o, String section) {
            String name = string(o, "name", true);
            if (name == null) {
                return null;
            }
            if (!NAME.matcher(name).matches()) {
                error(o.at("name"), quote(name) + " is not a valid name (" + NAME_RULE + ")");
                return null;
            }
            String previous = targetNames.putIfAbsent(name, o.path);
            if (previous != null) {
                String shared = previous.startsWith(section) ? ""
                        : " (nodes and entry points share the node label)";
                error(o.at("name"), name + " is already used by " + previous + shared);
                return null;
            }
            return name;
        }

        /**
         * @param entryPoint an entry point's imap/pop3 measures the access SLI (login + select), so it
         *                   needs an account; a node's may go without (greeting, capabilities, TLS only)
         */
        Map<Protocol, Endpoint> protocols(Obj owner, Resolved ownerSettings, boolean entryPoint) {
            Obj o = owner.child("protocols");
            Map<Protocol, Endpoint> result = new LinkedHashMap<>();
            if (o == null) {
                if (!owner.has("protocols")) {
                    error(owner.at("protocols"), "is required (one or more of smtp, submission, imap, pop3)");
                }
                return result;
            }
            if (o.node.isEmpty()) {
                error(o.path, "must name at least one of smtp, submission, imap, pop3");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = o.node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = o.at(e.getKey());
                Protocol protocol = Protocol.fromLabel(e.getKey()).orElse(null);
                if (protocol == null) {
                    error(path, "unknown protocol (one of smtp, submission, imap, pop3)"
                            + didYouMean(e.getKey(), List.of("smtp", "submission", "imap", "pop3")));
                    continue;
                }
                Obj p = e.getValue().isNull() ? new Obj(this, path, MAPPER.createObjectNode()) : Obj.of(this, path, e.getValue());
                if (p == null) {
                    continue;
                }
                if (p.node.has("maxConnectionsPerNode")) {
                    error(p.at("maxConnectionsPerNode"), "can only be set in probe or per node, not per protocol");
                }
                p.checkKeys(ENDPOINT_KEYS, "maxConnectionsPerNode");
                TlsMode tls = defaultTls(protocol);
                if (p.has("tls")) {
                    TlsMode t = choice(p, "tls", Map.of(
                            "none", TlsMode.NONE, "starttls", TlsMode.STARTTLS, "implicit", TlsMode.IMPLICIT),
                            List.of("none", "starttls", "implicit"));
                    tls = t == null ? tls : t;
                }
                Integer port = port(p, "port");
                Account account = null;
                if (p.has("account")) {
                    account = accountRef(p, "account");
                } else if (protocol.readsMailbox() && entryPoint) {
                    error(p.at("account"), "is required for " + protocol.label()
                            + " on an entry point (the access SLI is login + select)");
                }
                Resolved resolved = resolve(ownerSettings, settings(p, false));
                result.put(protocol, new Endpoint(protocol, port == null ? defaultPort(protocol, tls) : port,
                        tls, account, resolved.settings()));
            }
            return result;
        }

        RoundTripSettings roundTrip(Obj root) {
            Obj o = root.child("roundTrip");
            if (o == null) {
                return null;
            }
            o.checkKeys(ROUND_TRIP_KEYS);
            Duration interval = duration(o, "interval");
            Account account = null;
            if (o.has("account")) {
                account = accountRef(o, "account");
            } else {
                error(o.at("account"), "is required (the mailbox round-trip mail is fetched from)");
            }
            String to = address(o, "to");
            if (to == null && account != null && account.username() != null
                    && ADDRESS.matcher(account.username()).matches() && !o.has("to")) {
                to = account.username();
            }
            String from = address(o, "from");
            if (from == null && !o.has("from")) {
                from = to;
            }
            Duration deliveredWithin = duration(o, "deliveredWithin");
            Duration lostAfter = duration(o, "lostAfter");
            Duration dw = deliveredWithin == null ? DEFAULT_DELIVERED_WITHIN : deliveredWithin;
            Duration la = lostAfter == null ? DEFAULT_LOST_AFTER : lostAfter;
            if (dw.compareTo(la) >= 0 && (deliveredWithin != null || lostAfter != null)) {
                if (deliveredWithin != null) {
                    error(o.at("deliveredWithin"), Durations.format(dw) + " is not shorter than lostAfter ("
                            + Durations.format(la) + (lostAfter == null ? ", default)" : ")"));
                } else {
                    error(o.at("lostAfter"), Durations.format(la) + " is not longer than deliveredWithin ("
                            + Durations.format(dw) + ", default)");
                }
            }
            Secret tokenKey = secret(o, "tokenKeyFile", "tokenKeyEnv", true);
            RoundTripSettings.Matrix matrix = RoundTripSettings.Matrix.FULL;
            if (o.has("matrix")) {
                RoundTripSettings.Matrix m = choice(o, "matrix", Map.of(
                        "full", RoundTripSettings.Matrix.FULL, "cover", RoundTripSettings.Matrix.COVER),
                        List.of("full", "cover"));
                matrix = m == null ? matrix : m;
            }
            return new RoundTripSettings(interval == null ? DEFAULT_ROUND_TRIP_INTERVAL : interval,
                    from, to, account, dw, la, tokenKey, matrix);
        }

        String address(Obj o, String key) {
            String a = string(o, key, false);
            if (a != null && !ADDRESS.matcher(a).matches()) {
                error(o.at(key), quote(a) + " is not a mail address (like probe@example.net)");
                return null;
            }
            return a;
        }

        List<SloSpec> slos(Obj root) {
            if (!root.has("slos")) {
                List<SloSpec> defaults = new ArrayList<>();
                for (String sli : SLIS) {
                    defaults.add(new SloSpec(sli, DEFAULT_OBJECTIVE, DEFAULT_SLO_WINDOW));
                }
                return defaults;
            }
            List<JsonNode> items = root.list("slos", "SLO");
            List<SloSpec> result = new ArrayList<>();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; items != null && i < items.size(); i++) {
                String path = "slos[" + i + "]";
                Obj o = Obj.of(this, path, items.get(i));
                if (o == null) {
                    continue;
                }
                o.checkKeys(SLO_KEYS);
                String name = string(o, "name", true);
                if (name != null && !SLIS.contains(name)) {
                    error(o.at("name"), quote(name) + " is not an SLI (one of delivery, access, submission)"
                            + didYouMean(name, SLIS));
                    name = null;
                } else if (name != null && seen.containsKey(name)) {
                    error(o.at("name"), name + " is already used by " + seen.get(name));
                    name = null;
                } else if (name != null) {
                    seen.put(name, path);
                }
                Double objective = objective(o, "objective");
                Duration window = duration(o, "window");
                if (window != null && (window.toSeconds() % 60 != 0 || window.getNano() != 0)) {
                    error(o.at("window"), Durations.format(window) + " is not a whole number of minutes (SLO windows count"
                            + " one-minute slices; e.g. 1h, 28d, 30d)");
                    window = null;
                } else if (window != null && window.compareTo(MIN_SLO_WINDOW) < 0) {
                    error(o.at("window"), Durations.format(window) + " is shorter than " + Durations.format(MIN_SLO_WINDOW)
                            + " (the shortest page alert pairs 1h with 5m; e.g. 1h for a demo, 30d in production)");
                    window = null;
                }
                result.add(new SloSpec(name, objective == null ? DEFAULT_OBJECTIVE : objective,
                        window == null ? DEFAULT_SLO_WINDOW : window, minEvents(o)));
            }
            return result;
        }

        Double objective(Obj o, String key) {
            JsonNode v = o.get(key);
            if (v == null) {
                error(o.at(key), "is required (e.g. 0.999)");
                return null;
            }
            if (!v.isNumber()) {
                error(o.at(key), "expected a number like 0.999, got " + kind(v));
                return null;
            }
            double d = v.asDouble();
            if (!(d > 0 && d < 1)) {
                error(o.at(key), v.asText() + " is not an objective (strictly between 0 and 1, e.g. 0.999)");
                return null;
            }
            return d;
        }

        List<KnownJob> knownJobs(Obj root) {
            List<JsonNode> items = root.list("knownJobs", "job");
            List<KnownJob> result = new ArrayList<>();
            Map<String, String> seen = new HashMap<>();
            for (int i = 0; items != null && i < items.size(); i++) {
                String path = "knownJobs[" + i + "]";
                Obj o = Obj.of(this, path, items.get(i));
                if (o == null) {
                    continue;
                }
                o.checkKeys(KNOWN_JOB_KEYS);
                String name = string(o, "name", true);
                if (name != null && name.isBlank()) {
                    error(o.at("name"), "must not be empty");
                } else if (name != null && seen.containsKey(name)) {
                    error(o.at("name"), name + " is already used by " + seen.get(name));
                } else if (name != null) {
                    seen.put(name, path);
                }
                String cron = string(o, "cron", true);
                if (cron != null) {
                    try {
                        CronSchedule.parse(cron);
                    } catch (IllegalArgumentException e) {
                        error(o.at("cron"), quote(cron) + " is not a cron expression (" + e.getMessage() + ")");
                    }
                }
                ZoneId zone = ZoneOffset.UTC;
                String tz = string(o, "timezone", false);
                if (tz != null) {
                    try {
                        zone = ZoneId.of(tz);
                    } catch (DateTimeException e) {
                        error(o.at("timezone"), quote(tz) + " is not a time zone (use a name like UTC or Europe/Berlin)");
                    }
                }
                result.add(new KnownJob(name, cron, zone));
            }
            return result;
        }

        // ---- probe settings and their inheritance

        /** The probe settings set at one level (null where not set or invalid). */
        Level settings(Obj o, boolean perNode) {
            Duration interval = duration(o, "interval");
            Duration timeout = duration(o, "timeout");
            Boolean tlsVerify = bool(o, "tlsVerify");
            Path caFile = null;
            String ca = string(o, "caFile", false);
            if (ca != null) {
                caFile = resolvePath(ca, o.at("caFile"));
                if (caFile != null && !checkPem(caFile, o.at("caFile"))) {
                    caFile = null;
                }
            }
            Integer maxConnections = null;
            if (perNode) {
                maxConnections = integer(o, "maxConnectionsPerNode", 1);
            }
            return new Level(o.path, interval, timeout, tlsVerify, caFile, maxConnections);
        }

        /** Applies one level over its parent and checks timeout &lt; interval where this level changed either. */
        Resolved resolve(Resolved parent, Level level) {
            ProbeSettings p = parent.settings();
            ProbeSettings s = new ProbeSettings(
                    level.interval() != null ? level.interval() : p.interval(),
                    level.timeout() != null ? level.timeout() : p.timeout(),
                    level.maxConnections() != null ? level.maxConnections() : p.maxConnectionsPerNode(),
                    level.tlsVerify() != null ? level.tlsVerify() : p.tlsVerify(),
                    level.caFile() != null ? level.caFile() : p.caFile());
            String intervalFrom = level.interval() != null ? join(level.path(), "interval") : parent.intervalFrom();
            String timeoutFrom = level.timeout() != null ? join(level.path(), "timeout") : parent.timeoutFrom();
            if (s.timeout().compareTo(s.interval()) >= 0) {
                if (level.timeout() != null) {
                    error(timeoutFrom, Durations.format(s.timeout()) + " is not shorter than the interval ("
                            + Durations.format(s.interval()) + ", " + from(intervalFrom) + ")");
                } else if (level.interval() != null) {
                    error(intervalFrom, Durations.format(s.interval()) + " is not longer than the timeout ("
                            + Durations.format(s.timeout()) + ", " + from(timeoutFrom) + ")");
                }
            }
            return new Resolved(s, intervalFrom, timeoutFrom);
        }

        private static String from(String source) {
            return source.equals("default") ? "default" : "from " + source;
        }

        // ---- scalar readers: each returns null when absent or invalid (the error is recorded)

        String string(Obj o, String key, boolean required) {
            JsonNode v = o.get(key);
            if (v == null) {
                if (required) {
                    error(o.at(key), "is required");
                }
                return null;
            }
            if (!v.isTextual()) {
                error(o.at(key), "expected a string, got " + kind(v) + (v.isValueNode() ? " (quote it)" : ""));
                return null;
            }
            return v.asText();
        }

        Integer port(Obj o, String key) {
            JsonNode v = o.get(key);
            if (v == null) {
                return null;
            }
            if (!v.isNumber()) {
                error(o.at(key), "expected a port number, got " + kind(v));
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 1 || v.asInt() > 65535) {
                error(o.at(key), v.asText() + " is not a port (1-65535)");
                return null;
            }
            return v.asInt();
        }

        Integer integer(Obj o, String key, int min) {
            JsonNode v = o.get(key);
            if (v == null) {
                return null;
            }
            if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                error(o.at(key), "expected a whole number, got " + (v.isNumber() ? v.asText() : kind(v)));
                return null;
            }
            if (v.asInt() < min) {
                error(o.at(key), "must be at least " + min + ", got " + v.asInt());
                return null;
            }
            return v.asInt();
        }

        Boolean bool(Obj o, String key) {
            JsonNode v = o.get(key);
            if (v == null) {
                return null;
            }
            if (!v.isBoolean()) {
                error(o.at(key), "expected true or false, got " + kind(v));
                return null;
            }
            return v.asBoolean();
        }

        /** A positive duration. */
        Duration duration(Obj o, String key) {
            JsonNode v = o.get(key);
            if (v == null) {
                return null;
            }
            if (v.isNumber()) {
                error(o.at(key), v.asText() + " is not a duration (" + Durations.HINT + ")");
                return null;
            }
            if (!v.isTextual()) {
                error(o.at(key), "expected a duration like 30s, got " + kind(v));
                return null;
            }
            Duration d = Durations.tryParse(v.asText()).orElse(null);
            if (d == null) {
                error(o.at(key), Durations.notADuration(v.asText()));
                return null;
            }
            if (d.isZero()) {
                error(o.at(key), v.asText() + " is not a positive duration");
                return null;
            }
            return d;
        }

        <E> E choice(Obj o, String key, Map<String, E> options, List<String> order) {
            JsonNode v = o.get(key);
            if (v == null) {
                return null;
            }
            if (!v.isTextual()) {
                error(o.at(key), "expected one of " + String.join(", ", order) + ", got " + kind(v));
                return null;
            }
            E e = options.get(v.asText());
            if (e == null) {
                error(o.at(key), quote(v.asText()) + " is not one of " + String.join(", ", order)
                        + didYouMean(v.asText(), order));
            }
            return e;
        }

        Account accountRef(Obj o, String key) {
            String name = string(o, key, true);
            if (name == null) {
                return null;
            }
            Account a = accounts.get(name);
            if (a == null) {
                error(o.at(key), "unknown account " + name + didYouMean(name, accounts.keySet()));
            }
            return a;
        }

        // ---- files and secrets

        Path resolvePath(String text, String path) {
            try {
                return baseDir.resolve(text).normalize();
            } catch (java.nio.file.InvalidPathException e) {
                error(path, quote(text) + " is not a valid file path");
                return null;
            }
        }

        /**
         * Exactly one of {@code fileKey} / {@code envKey}. Reads the secret; errors name the file or
         * variable and why it failed, never the content.
         */
        Secret secret(Obj o, String fileKey, String envKey, boolean hmacKey) {
            if (o.node.has("password") && !hmacKey) {
                error(o.at("password"), "inline passwords are not allowed; use passwordFile or passwordEnv");
            }
            boolean hasFile = o.has(fileKey);
            boolean hasEnv = o.has(envKey);
            if (hasFile && hasEnv) {
                error(o.path, "set " + fileKey + " or " + envKey + ", not both");
                return null;
            }
            if (!hasFile && !hasEnv) {
                if (!o.node.has("password") || hmacKey) {
                    error(o.path, "set " + fileKey + " or " + envKey);
                }
                return null;
            }
            String value;
            String source;
            String errorPath;
            if (hasFile) {
                String text = string(o, fileKey, true);
                Path file = text == null ? null : resolvePath(text, o.at(fileKey));
                if (file == null) {
                    return null;
                }
                errorPath = o.at(fileKey);
                source = "file " + file;
                if (syntaxOnly) {
                    if (text.isBlank()) {
                        error(errorPath, "must name a file");
                        return null;
                    }
                    return Secret.of(NOT_READ, source + " (not read: syntax only)");
                }
                try {
                    byte[] bytes = Files.readAllBytes(file);
                    value = StandardCharsets.UTF_8.newDecoder()
                            .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                } catch (CharacterCodingException e) {
                    error(errorPath, file + " is not UTF-8 text");
                    return null;
                } catch (IOException e) {
                    error(errorPath, "cannot read " + file + ": " + reason(e, file));
                    return null;
                }
                value = stripLineEnd(value);
                if (value.isEmpty()) {
                    error(errorPath, file + " is empty");
                    return null;
                }
            } else {
                String var = string(o, envKey, true);
                if (var == null) {
                    return null;
                }
                errorPath = o.at(envKey);
                source = "env " + var;
                if (var.isBlank()) {
                    error(errorPath, "must name an environment variable");
                    return null;
                }
                if (syntaxOnly) {
                    return Secret.of(NOT_READ, source + " (not read: syntax only)");
                }
                value = env.apply(var);
                if (value == null) {
                    error(errorPath, "environment variable " + var + " is not set");
                    return null;
                }
                if (value.isEmpty()) {
                    error(errorPath, "environment variable " + var + " is empty");
                    return null;
                }
            }
            if (hmacKey && value.length() < MIN_TOKEN_KEY_LENGTH) {
                error(errorPath, "the key in " + source.substring(source.indexOf(' ') + 1)
                        + " is too short (at least " + MIN_TOKEN_KEY_LENGTH + " characters)");
                return null;
            }
            return Secret.of(value, source);
        }

        /** True when {@code file} holds at least one PEM certificate; records why not otherwise. */
        boolean checkPem(Path file, String path) {
            if (syntaxOnly) {
                return true;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                error(path, "cannot read " + file + ": " + reason(e, file));
                return false;
            }
            String text = new String(bytes, StandardCharsets.US_ASCII);
            if (!text.contains("-----BEGIN CERTIFICATE-----")) {
                error(path, file + " is not a PEM certificate file (no BEGIN CERTIFICATE)");
                return false;
            }
            try {
                Collection<?> certs = CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(bytes));
                if (certs.isEmpty()) {
                    error(path, file + " holds no certificate");
                    return false;
                }
            } catch (CertificateException e) {
                error(path, file + " holds a certificate that cannot be parsed");
                return false;
            }
            return true;
        }
    }

    // ---------------------------------------------------------------- helpers

    /** A mapping in the tree, with its path. */
    private static final class Obj {
        final Walk walk;
        final String path;
        final JsonNode node;

        Obj(Walk walk, String path, JsonNode node) {
            this.walk = walk;
            this.path = path;
            this.node = node;
        }

        /** The mapping at {@code path}, or null (error recorded) when {@code node} is not a mapping. */
        static Obj of(Walk walk, String path, JsonNode node) {
            if (!node.isObject()) {
                walk.error(path, "expected a mapping, got " + kind(node));
                return null;
            }
            return new Obj(walk, path, node);
        }

        String at(String key) {
            return join(path, key);
        }

        /** Present and not null. */
        boolean has(String key) {
            JsonNode v = node.get(key);
            return v != null && !v.isNull();
        }

        /** The value, or null when absent or YAML null. */
        JsonNode get(String key) {
            JsonNode v = node.get(key);
            return v == null || v.isNull() ? null : v;
        }

        /** A child mapping; null when absent, null-valued or not a mapping (error recorded). */
        Obj child(String key) {
            JsonNode v = get(key);
            if (v == null) {
                return null;
            }
            return of(walk, at(key), v);
        }

        /** A child list; null when absent (and required lists report it), or not a list. */
        List<JsonNode> list(String key, String what) {
            JsonNode v = get(key);
            if (v == null) {
                if (key.equals("nodes")) {
                    walk.error(at(key), "must list at least one node");
                }
                return null;
            }
            if (!v.isArray()) {
                walk.error(at(key), "expected a list of " + what + "s, got " + kind(v));
                return null;
            }
            List<JsonNode> items = new ArrayList<>();
            v.forEach(items::add);
            return items;
        }

        void checkKeys(List<String> known, String... handledElsewhere) {
            Set<String> skip = Set.of(handledElsewhere);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (known.contains(key) || skip.contains(key)) {
                    continue;
                }
                if (key.equals("password") && known.contains("passwordFile")) {
                    continue; // reported by secret() with a better message
                }
                if (key.equals("<<")) {
                    walk.error(at(key), "YAML merge keys (<<) are not supported; write the keys out");
                    continue;
                }
                String hint = Suggestions.closest(key, known)
                        .map(s -> ", did you mean `" + s + "`?")
                        .orElse(" (known keys: " + String.join(", ", known) + ")");
                walk.error(at(key), "unknown key" + hint);
            }
        }
    }

    private record Level(String path, Duration interval, Duration timeout, Boolean tlsVerify, Path caFile,
            Integer maxConnections) {}

    /** Resolved settings and where interval and timeout came from (a path or "default"). */
    private record Resolved(ProbeSettings settings, String intervalFrom, String timeoutFrom) {}

    static TlsMode defaultTls(Protocol protocol) {
        return protocol == Protocol.SMTP ? TlsMode.NONE : TlsMode.STARTTLS;
    }

    static int defaultPort(Protocol protocol, TlsMode tls) {
        boolean implicit = tls == TlsMode.IMPLICIT;
        return switch (protocol) {
            case SMTP -> 25;
            case SUBMISSION -> implicit ? 465 : 587;
            case IMAP -> implicit ? 993 : 143;
            case POP3 -> implicit ? 995 : 110;
        };
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private static String didYouMean(String given, Collection<String> candidates) {
        return Suggestions.closest(given, candidates).map(s -> ", did you mean `" + s + "`?").orElse("");
    }

    static String kind(JsonNode v) {
        if (v.isObject()) {
            return "a mapping";
        } else if (v.isArray()) {
            return "a list";
        } else if (v.isTextual()) {
            return "a string";
        } else if (v.isNumber()) {
            return "a number";
        } else if (v.isBoolean()) {
            return "a boolean";
        } else if (v.isNull()) {
            return "nothing";
        }
        return "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static String stripLineEnd(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '\n' || s.charAt(end - 1) == '\r')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String reason(IOException e, Path file) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        } else if (e instanceof AccessDeniedException) {
            return "permission denied";
        } else if (Files.isDirectory(file)) {
            return "is a directory";
        }
        return e.getClass().getSimpleName();
    }

    @SafeVarargs
    private static <T> List<T> concat(List<T>... lists) {
        List<T> all = new ArrayList<>();
        for (List<T> l : lists) {
            all.addAll(l);
        }
        return List.copyOf(all);
    }
}
