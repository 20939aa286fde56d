package dev.mailprobe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image's Dockerfile. No Docker engine runs here, so the image is not built in the
 * suite: the file is linted by a real Dockerfile parser (npm dockerfile-utils) and checked for
 * what the image must be (multi-stage, JRE 25, non-root numeric user, the jar only, no
 * HEALTHCHECK) and for agreeing with the Helm chart (config path, user, jar).
 */
class DockerfileTest {
    @TempDir
    Path dir;

    record Instruction(String keyword, String args) {}

    /** Instructions with continuation lines joined and comments dropped. */
    static List<Instruction> parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) {
                continue;
            }
            if (t.endsWith("\\")) {
                current.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            current.append(t);
            String s = current.toString().strip();
            int space = s.indexOf(' ');
            out.add(new Instruction(s.substring(0, space).toUpperCase(), s.substring(space + 1).strip()));
            current.setLength(0);
        }
        return out;
    }

    static Path dockerfile() {
        return DeployTools.projectRoot().resolve("Dockerfile");
    }

    @Test
    void theDockerfileLintsClean() throws Exception {
        DeployTools.Outcome o = DeployTools.run(List.of("node",
                DeployTools.projectRoot().resolve("helm/tools/node_modules/dockerfile-utils/bin/dockerfile-utils").toString(),
                "lint", dockerfile().toString()), null);
        assertThat(o.exitCode()).as(o.all()).isZero();
        assertThat(o.all()).isBlank();
    }

    /** The linter is not a check that cannot fail. */
    @Test
    void theLinterRefusesABrokenDockerfile() throws Exception {
        Path broken = Files.writeString(dir.resolve("Dockerfile"),
                Files.readString(dockerfile()).replace("USER 10001:10001", "USER 10001:10001\nHEALTHCHECK --interval=often CMD true"));
        DeployTools.Outcome o = DeployTools.run(List.of("node",
                DeployTools.projectRoot().resolve("helm/tools/node_modules/dockerfile-utils/bin/dockerfile-utils").toString(),
                "lint", broken.toString()), null);
        assertThat(o.exitCode()).isNotZero();
        assertThat(o.all()).contains("invalid duration often");
    }

    @Test
    void aMultiStageBuildIntoAJre25ImageWithTheJarOnlyRunAsANonRootUser() throws Exception {
        List<Instruction> all = parse(Files.readString(dockerfile()));
        List<Instruction> froms = all.stream().filter(i -> i.keyword().equals("FROM")).toList();
        assertThat(froms).hasSize(2);
        assertThat(froms.get(0).args()).matches("maven:\\S*eclipse-temurin-25 AS build");
        assertThat(froms.get(1).args()).isEqualTo("eclipse-temurin:25-jre");
        List<Instruction> runtime = all.subList(all.indexOf(froms.get(1)), all.size());

        List<Instruction> copies = runtime.stream().filter(i -> i.keyword().equals("COPY") || i.keyword().equals("ADD")).toList();
        assertThat(copies).as("the runtime image gets the jar and nothing else").hasSize(1);
        assertThat(copies.get(0).args()).startsWith("--from=build ").endsWith("/src/prober/target/mailprobe.jar /opt/mailprobe/mailprobe.jar");

        String user = runtime.stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).orElseThrow().args();
        assertThat(user).as("a numeric user, so runAsNonRoot can verify it").matches("[0-9]+:[0-9]+");
        int uid = Integer.parseInt(user.split(":")[0]);
        assertThat(uid).isPositive();
        assertThat(all).noneMatch(i -> i.keyword().equals("HEALTHCHECK"));
        assertThat(runtime.get(runtime.size() - 2).args()).isEqualTo("[\"java\", \"-jar\", \"/opt/mailprobe/mailprobe.jar\"]");
        assertThat(runtime.get(runtime.size() - 2).keyword()).isEqualTo("ENTRYPOINT");
        assertThat(runtime.get(runtime.size() - 1).keyword()).isEqualTo("CMD");

        // the shaded jar the build stage copies is what the Maven build produces
        assertThat(Files.readString(DeployTools.projectRoot().resolve("prober/pom.xml"))).contains("<finalName>mailprobe</finalName>");
        // .dockerignore lets in what the build stage copies
        String ignore = Files.readString(DeployTools.projectRoot().resolve(".dockerignore"));
        assertThat(ignore).contains("!pom.xml", "!prober/pom.xml", "!prober/src/");
    }

    /** The image and the chart agree: the chart's pod runs the image's default command with the chart's config path, as the image's user. */
    @Test
    void theImageFitsTheChart() throws Exception {
        List<Instruction> all = parse(Files.readString(dockerfile()));
        String cmd = all.stream().filter(i -> i.keyword().equals("CMD")).reduce((a, b) -> b).orElseThrow().args();
        RenderedChart chart = RenderedChart.render("mail");
        JsonNode args = chart.container().path("args");
        assertThat(cmd).isEqualTo("[\"" + args.get(0).asText() + "\", \"" + args.get(1).asText() + "\", \"" + args.get(2).asText() + "\"]");
        String user = all.stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).orElseThrow().args();
        JsonNode pod = chart.statefulSet().at("/spec/template/spec/securityContext");
        assertThat(user).isEqualTo(pod.path("runAsUser").asInt() + ":" + pod.path("runAsGroup").asInt());
        assertThat(chart.config()).contains("path: /var/lib/mailprobe/mailprobe.db");
        assertThat(all).anyMatch(i -> i.keyword().equals("WORKDIR") && i.args().equals("/var/lib/mailprobe"));
    }
}
