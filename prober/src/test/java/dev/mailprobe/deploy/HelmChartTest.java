package dev.mailprobe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mailprobe.cli.CliRun;
import dev.mailprobe.config.ConfigLoader;
import dev.mailprobe.config.Endpoint;
import dev.mailprobe.config.MailprobeConfig;
import dev.mailprobe.config.ShardSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart, checked with the real helm binary: it lints strictly, renders for the default
 * values and for a full-featured release deployed as two vantages, every object validates against
 * the Kubernetes and prometheus-operator schemas offline, the pod is hardened, secrets stay
 * references, and the mailprobe config it renders passes {@code check-config}.
 */
class HelmChartTest {
    static RenderedChart defaults;
    static RenderedChart dc1;
    static RenderedChart dc2;

    @TempDir
    Path dir;

    @BeforeAll
    static void render() throws Exception {
        defaults = RenderedChart.render("mail");
        dc1 = RenderedChart.render("mail-dc1", "-f", DeployTools.fullValues().toString());
        dc2 = RenderedChart.render("mail-dc2", "-f", DeployTools.fullValues().toString(), "--set", "vantage=dc2");
    }

    @Test
    void helmLintStrictPassesForTheDefaultAndTheFullFeaturedValues() throws Exception {
        DeployTools.Outcome plain = DeployTools.helm("lint", "--strict", DeployTools.chart().toString());
        assertThat(plain.exitCode()).as(plain.all()).isZero();
        assertThat(plain.out()).contains("1 chart(s) linted, 0 chart(s) failed");
        DeployTools.Outcome full = DeployTools.helm("lint", "--strict", DeployTools.chart().toString(),
                "-f", DeployTools.fullValues().toString());
        assertThat(full.exitCode()).as(full.all()).isZero();
        assertThat(full.out()).doesNotContain("[WARNING]", "[ERROR]");
    }

    @Test
    void theDefaultValuesRenderOneProberAndNoOptionalObject() {
        assertThat(kinds(defaults)).containsExactlyInAnyOrder("ServiceAccount", "ConfigMap", "Service", "Service", "StatefulSet");
        assertThat(defaults.statefulSet().at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(volume(defaults, "data").has("emptyDir")).isTrue();
        assertThat(defaults.statefulSet().has("volumeClaimTemplates") && defaults.statefulSet().at("/spec/volumeClaimTemplates").size() > 0)
                .isFalse();
    }

    @Test
    void theFullFeaturedValuesRenderThreeShardsWithAPvcAndEveryOptionalObjectForEachVantage() {
        for (RenderedChart r : List.of(dc1, dc2)) {
            assertThat(kinds(r)).contains("StatefulSet", "Service", "ConfigMap", "ServiceAccount", "ServiceMonitor",
                    "PrometheusRule", "NetworkPolicy", "PodDisruptionBudget");
            JsonNode sts = r.statefulSet();
            assertThat(sts.at("/spec/replicas").asInt()).isEqualTo(3);
            assertThat(sts.at("/spec/podManagementPolicy").asText()).isEqualTo("Parallel");
            JsonNode claim = sts.at("/spec/volumeClaimTemplates/0");
            assertThat(claim.at("/metadata/name").asText()).isEqualTo("data");
            assertThat(claim.at("/spec/resources/requests/storage").asText()).isEqualTo("2Gi");
            assertThat(claim.at("/spec/storageClassName").asText()).isEqualTo("fast-ssd");
            assertThat(volumeNames(r)).doesNotContain("data");
            assertThat(r.one("PodDisruptionBudget").at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        }
        // two releases side by side in one namespace: no object name in common
        assertThat(names(dc1)).doesNotContainAnyElementsOf(names(dc2));
        assertThat(dc1.config()).contains("vantage: \"dc1\"");
        assertThat(dc2.config()).contains("vantage: \"dc2\"");
        assertThat(dc2.config().replace("vantage: \"dc2\"", "vantage: \"dc1\"")).isEqualTo(dc1.config());
        assertThat(dc2.statefulSet().at("/metadata/labels/mailprobe.dev~1vantage").asText()).isEqualTo("dc2");
    }

    @Test
    void eachShardReadsItsOrdinalFromItsPodNameAndTheConfigSaysHowManyShardsThereAre() throws Exception {
        JsonNode env = dc1.container().path("env");
        JsonNode shard = find(env, "name", "MAILPROBE_SHARD");
        assertThat(shard.at("/valueFrom/fieldRef/fieldPath").asText()).isEqualTo("metadata.name");
        assertThat(dc1.config()).contains("shard:\n  count: 3\n");
        MailprobeConfig loaded = loadRendered(dc1);
        assertThat(loaded.shard()).isEqualTo(new ShardSettings(3, null));
        // the pods are named <statefulset>-<k>, which is what Shard.resolve reads
        assertThat(dc1.statefulSet().at("/metadata/name").asText()).isEqualTo("mail-dc1-mailprobe");
    }

    @Test
    void thePodIsHardened() {
        for (RenderedChart r : List.of(defaults, dc1)) {
            JsonNode pod = r.statefulSet().at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(pod.at("/securityContext/runAsUser").asInt()).isPositive();
            assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.at("/automountServiceAccountToken").isBoolean() && !pod.at("/automountServiceAccountToken").asBoolean()).isTrue();
            JsonNode c = r.container();
            assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(c.at("/securityContext/allowPrivilegeEscalation").isBoolean()
                    && !c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isTrue();
            assertThat(c.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            assertThat(texts(c.at("/securityContext/capabilities/drop"))).containsExactly("ALL");
            assertThat(c.at("/securityContext/capabilities").has("add")).isFalse();
            assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
            assertThat(c.at("/startupProbe/httpGet/path").asText()).isEqualTo("/healthz");
            assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
            // a read-only root needs a writable /tmp (JVM, SQLite's native library)
            assertThat(find(c.path("volumeMounts"), "mountPath", "/tmp").path("name").asText()).isEqualTo("tmp");
            assertThat(volume(r, "tmp").has("emptyDir")).isTrue();
            JsonNode sa = r.one("ServiceAccount");
            assertThat(sa.at("/automountServiceAccountToken").isBoolean() && !sa.at("/automountServiceAccountToken").asBoolean()).isTrue();
        }
    }

    /** The heap is a share of the memory limit (-XX:MaxRAMPercentage), leaving room for the rest of the JVM. */
    @Test
    void theHeapFitsTheMemoryLimit() {
        for (RenderedChart r : List.of(defaults, dc1)) {
            JsonNode c = r.container();
            String limit = c.at("/resources/limits/memory").asText();
            assertThat(limit).as("a memory limit is set").matches("[0-9]+Mi");
            assertThat(c.at("/resources/requests/memory").asText()).as("request = limit: no OOM kill under node pressure").isEqualTo(limit);
            String javaOptions = find(c.path("env"), "name", "JDK_JAVA_OPTIONS").path("value").asText();
            assertThat(javaOptions).contains("-XX:+ExitOnOutOfMemoryError").doesNotContain("-Xmx");
            double percent = Double.parseDouble(javaOptions.replaceAll(".*-XX:MaxRAMPercentage=([0-9.]+).*", "$1"));
            double limitMi = Double.parseDouble(limit.replace("Mi", ""));
            assertThat(limitMi * (100 - percent) / 100).as("MiB left beside the heap").isGreaterThanOrEqualTo(150);
            // measured: 10,000 targets keep 23 MB of heap after GC (docs/BENCHMARKS.md)
            assertThat(limitMi * percent / 100).as("heap MiB").isGreaterThanOrEqualTo(128);
        }
    }

    @Test
    void secretsAreReferencesNeverValues() throws Exception {
        String config = dc1.config();
        assertThat(config).contains("passwordFile: /etc/mailprobe/secrets/probe-password",
                        "passwordFile: /etc/mailprobe/secrets/monitor-password", "tokenKeyFile: /etc/mailprobe/secrets/token-key")
                .doesNotContain("passwordSecretKey", "tokenKeySecretKey", "password:", "passwordEnv");
        assertThat(dc1.ofKind("Secret")).as("the chart never creates a Secret").isEmpty();
        assertThat(volume(dc1, "secrets").at("/secret/secretName").asText()).isEqualTo("mailprobe-secrets");
        assertThat(find(dc1.container().path("volumeMounts"), "name", "secrets").path("readOnly").asBoolean()).isTrue();

        DeployTools.Outcome missing = DeployTools.helm("template", "x", DeployTools.chart().toString(),
                "-f", DeployTools.fullValues().toString(), "--set", "secrets.existingSecret=");
        assertThat(missing.exitCode()).isNotZero();
        assertThat(missing.err()).contains("secrets.existingSecret is required when config.accounts or config.roundTrip is set");
    }

    @Test
    void theSchemaRejectsAnUnknownKey() throws Exception {
        DeployTools.Outcome o = DeployTools.helm("template", "x", DeployTools.chart().toString(), "--set", "replicas=3");
        assertThat(o.exitCode()).isNotZero();
        assertThat(o.err()).contains("values don't meet the specifications of the schema").contains("additional properties 'replicas' not allowed");

        Path values = Files.writeString(dir.resolve("typo.yaml"), """
                config:
                  nodes:
                    - name: smtp-1
                      host: 10.0.0.1
                      protocols:
                        smtp: {prot: 25}
                """);
        DeployTools.Outcome nested = DeployTools.helm("template", "x", DeployTools.chart().toString(), "-f", values.toString());
        assertThat(nested.exitCode()).isNotZero();
        assertThat(nested.err()).contains("/config/nodes/0/protocols/smtp").contains("'prot' not allowed");
    }

    @Test
    void theSchemaRejectsABadPort() throws Exception {
        DeployTools.Outcome http = DeployTools.helm("template", "x", DeployTools.chart().toString(), "--set", "http.port=70000");
        assertThat(http.exitCode()).isNotZero();
        assertThat(http.err()).contains("at '/http/port'").contains("maximum");
        Path values = Files.writeString(dir.resolve("port.yaml"), """
                config:
                  nodes:
                    - {name: imap-1, host: 10.0.0.2, protocols: {imap: {port: 0}}}
                """);
        DeployTools.Outcome node = DeployTools.helm("template", "x", DeployTools.chart().toString(), "-f", values.toString());
        assertThat(node.exitCode()).isNotZero();
        assertThat(node.err()).contains("/config/nodes/0/protocols/imap/port").contains("minimum");
    }

    @Test
    void theSchemaRejectsAWrongType() throws Exception {
        DeployTools.Outcome replicas = DeployTools.helm("template", "x", DeployTools.chart().toString(), "--set", "replicaCount=three");
        assertThat(replicas.exitCode()).isNotZero();
        assertThat(replicas.err()).contains("at '/replicaCount'").contains("got string, want integer");
        Path values = Files.writeString(dir.resolve("types.yaml"), """
                serviceMonitor: {enabled: "yes please"}
                config:
                  nodes:
                    - {name: imap-1, host: 10.0.0.2, protocols: {imap: {}}}
                  slos:
                    - {name: access, objective: 1.5, window: 30h}
                """);
        DeployTools.Outcome o = DeployTools.helm("template", "x", DeployTools.chart().toString(), "-f", values.toString());
        assertThat(o.exitCode()).isNotZero();
        assertThat(o.err()).contains("/serviceMonitor/enabled").contains("/config/slos/0/objective").contains("/config/slos/0/window");
    }

    @Test
    void everyRenderedObjectValidatesAgainstTheKubernetesAndPrometheusOperatorSchemas() throws Exception {
        String all = String.join("\n---\n", defaults.manifest(), dc1.manifest(), dc2.manifest());
        DeployTools.Outcome o = DeployTools.node("validate-manifests.mjs", all);
        assertThat(o.exitCode()).as(o.all()).isZero();
        int objects = defaults.objects().size() + dc1.objects().size() + dc2.objects().size();
        assertThat(o.out()).contains(objects + " of " + objects + " objects valid");
        assertThat(o.out()).contains("ServiceMonitor 2", "PrometheusRule 2", "NetworkPolicy 2", "PodDisruptionBudget 2",
                "StatefulSet 3");
    }

    /** The validator is not a check that cannot fail: a misspelt field and a bad value are refused. */
    @Test
    void theOfflineValidatorRefusesUnknownFieldsAndBadValues() throws Exception {
        String broken = dc1.manifest()
                .replace("readOnlyRootFilesystem: true", "readOnlyRootFilesytem: true")
                .replace("imagePullPolicy: IfNotPresent", "imagePullPolicy: Sometimes")
                .replace("interval: 15s", "interval: 15 seconds");
        DeployTools.Outcome o = DeployTools.node("validate-manifests.mjs", broken);
        assertThat(o.exitCode()).isOne();
        assertThat(o.out()).contains("StatefulSet/mail-dc1-mailprobe: spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem")
                .contains("imagePullPolicy must be equal to one of the allowed values")
                .contains("ServiceMonitor/mail-dc1-mailprobe: data/spec/endpoints/0/interval must match pattern");
    }

    @Test
    void theRenderedConfigPassesCheckConfig() throws Exception {
        for (RenderedChart r : List.of(defaults, dc1, dc2)) {
            assertThat(checkConfig(r)).contains(": ok: ");
        }
        assertThat(checkConfig(dc2)).contains("4 nodes (smtp 2, submission 2, imap 2, pop3 2), 2 entry points, 3 SLOs, "
                + "round trip every 1m, 2 known jobs, 3 shards");
        MailprobeConfig loaded = loadRendered(dc2);
        assertThat(loaded.vantage()).isEqualTo("dc2");
        assertThat(loaded.cluster()).isEqualTo("mail-prod");
        assertThat(loaded.store().path()).isEqualTo(Path.of("/var/lib/mailprobe/mailprobe.db"));
        assertThat(loaded.http().port()).isEqualTo(8080);
        assertThat(loaded.probe().caFile()).isNotNull();
        assertThat(loaded.health().flapDamping()).isNull();
    }

    /** The NetworkPolicy lets out exactly the ports mailprobe will connect to (port defaults included), and DNS. */
    @Test
    void theNetworkPolicyAllowsTheConfiguredMailPortsDnsAndScrapesFromMonitoringOnly() throws Exception {
        JsonNode np = dc1.one("NetworkPolicy");
        MailprobeConfig loaded = loadRendered(dc1);
        Set<Integer> expected = new TreeSet<>();
        loaded.nodes().forEach(n -> n.protocols().values().forEach(e -> expected.add(e.port())));
        loaded.entryPoints().forEach(ep -> ep.protocols().values().stream().map(Endpoint::port).forEach(expected::add));
        JsonNode mail = np.at("/spec/egress/0");
        Set<Integer> allowed = new TreeSet<>();
        mail.path("ports").forEach(p -> {
            assertThat(p.path("protocol").asText()).isEqualTo("TCP");
            allowed.add(p.path("port").asInt());
        });
        assertThat(allowed).isEqualTo(expected).contains(110, 143, 465); // defaults of pop3, imap+starttls, submission+implicit
        assertThat(mail.path("to").findValuesAsText("cidr")).containsExactly("10.0.0.0/24", "192.0.2.0/24");
        JsonNode dns = np.at("/spec/egress/1");
        assertThat(dns.path("ports").findValuesAsText("protocol")).containsExactlyInAnyOrder("UDP", "TCP");
        assertThat(dns.path("ports").findValues("port").stream().map(JsonNode::asInt).distinct().toList()).containsExactly(53);
        assertThat(np.at("/spec/egress").size()).isEqualTo(2);
        assertThat(np.at("/spec/policyTypes").toString()).contains("Ingress", "Egress");
        JsonNode ingress = np.at("/spec/ingress");
        assertThat(ingress.size()).isEqualTo(1);
        assertThat(ingress.at("/0/ports/0/port").asText()).isEqualTo("http");
        assertThat(ingress.at("/0/from/0/namespaceSelector/matchLabels/kubernetes.io~1metadata.name").asText()).isEqualTo("monitoring");
        assertThat(ingress.at("/0/from/0/podSelector/matchLabels/app.kubernetes.io~1name").asText()).isEqualTo("prometheus");
    }

    /** The ServiceMonitor selects the ClusterIP Service only, so no pod is scraped twice through the headless one. */
    @Test
    void theServiceMonitorScrapesEveryShardOnce() {
        JsonNode sm = dc1.one("ServiceMonitor");
        JsonNode selector = sm.at("/spec/selector/matchLabels");
        List<JsonNode> matched = dc1.ofKind("Service").stream().filter(s -> {
            JsonNode labels = s.at("/metadata/labels");
            for (var it = selector.fields(); it.hasNext(); ) {
                var e = it.next();
                if (!e.getValue().asText().equals(labels.path(e.getKey()).asText())) {
                    return false;
                }
            }
            return true;
        }).toList();
        assertThat(matched).hasSize(1);
        assertThat(matched.get(0).at("/spec/clusterIP").asText()).isNotEqualTo("None");
        assertThat(sm.at("/spec/endpoints/0/port").asText()).isEqualTo("http");
        assertThat(sm.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        assertThat(sm.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(dc1.one("PrometheusRule").at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
    }

    @Test
    void theNotesSayHowToReachEachShardsStatusPage() throws Exception {
        DeployTools.Outcome o = DeployTools.helm("install", "mail-dc1", DeployTools.chart().toString(), "--dry-run=client",
                "--namespace", "mail", "-f", DeployTools.fullValues().toString());
        assertThat(o.exitCode()).as(o.all()).isZero();
        String notes = o.out().substring(o.out().indexOf("NOTES:"));
        assertThat(notes).contains("kubectl -n mail port-forward pod/mail-dc1-mailprobe-0 8080:http",
                "kubectl -n mail port-forward pod/mail-dc1-mailprobe-2 8080:http", "http://127.0.0.1:8080/",
                "ServiceMonitor mail/mail-dc1-mailprobe", "from vantage \"dc1\" with 3 shards")
                .doesNotContain("mailprobe-3", "WARNING");
        DeployTools.Outcome plain = DeployTools.helm("install", "mail", DeployTools.chart().toString(), "--dry-run=client");
        assertThat(plain.out()).contains("WARNING: config.nodes still lists the placeholder hosts",
                "Prometheus does not scrape mailprobe yet: set serviceMonitor.enabled=true");
    }

    // ---- helpers

    /** Runs {@code mailprobe check-config} on the config {@code r} renders, with its secret files in place. */
    private String checkConfig(RenderedChart r) throws Exception {
        Path config = materialize(r);
        CliRun cli = new CliRun();
        int exit = cli.run("check-config", config.toString());
        assertThat(exit).as("check-config of the rendered config:%n%s%n%s%s", Files.readString(config), cli.out(), cli.err()).isZero();
        return cli.out();
    }

    private MailprobeConfig loadRendered(RenderedChart r) throws Exception {
        return ConfigLoader.load(materialize(r));
    }

    /**
     * Writes the rendered config where the container would read it, with the files the pod would
     * mount (the Secret's keys, the CA bundle) under {@link #dir} instead of /etc/mailprobe.
     */
    private Path materialize(RenderedChart r) throws IOException {
        Path root = Files.createTempDirectory(dir, "pod");
        String config = r.config();
        List<String> secretKeys = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:passwordFile|tokenKeyFile): /etc/mailprobe/secrets/(\\S+)").matcher(config);
        while (m.find()) {
            secretKeys.add(m.group(1));
        }
        Path secrets = Files.createDirectories(root.resolve("secrets"));
        for (String key : secretKeys) {
            Files.writeString(secrets.resolve(key), "secret-value-of-" + key + "-0123456789\n");
        }
        Path ca = Files.createDirectories(root.resolve("ca"));
        Files.copy(Path.of(System.getProperty("mailprobe.projectRoot", ".."), "prober/src/test/resources/config/ca.pem"), ca.resolve("ca.pem"));
        String local = config.replace("/etc/mailprobe/secrets/", secrets + "/").replace("/etc/mailprobe/ca/", ca + "/");
        return Files.writeString(root.resolve("mailprobe.yaml"), local);
    }

    static List<String> kinds(RenderedChart r) {
        return r.objects().stream().map(o -> o.path("kind").asText()).toList();
    }

    static Set<String> names(RenderedChart r) {
        return r.objects().stream().map(o -> o.path("kind").asText() + "/" + o.at("/metadata/name").asText())
                .collect(Collectors.toSet());
    }

    static JsonNode volume(RenderedChart r, String name) {
        return find(r.statefulSet().at("/spec/template/spec/volumes"), "name", name);
    }

    static Set<String> volumeNames(RenderedChart r) {
        Set<String> names = new HashSet<>();
        r.statefulSet().at("/spec/template/spec/volumes").forEach(v -> names.add(v.path("name").asText()));
        return names;
    }

    static JsonNode find(JsonNode array, String field, String value) {
        return stream(array).filter(n -> value.equals(n.path(field).asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no element with " + field + "=" + value + " in " + array));
    }

    static Stream<JsonNode> stream(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false);
    }

    static List<String> texts(JsonNode array) {
        return stream(array).map(JsonNode::asText).toList();
    }
}
