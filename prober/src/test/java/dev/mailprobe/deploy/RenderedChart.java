package dev.mailprobe.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What {@code helm template} rendered: the manifest text and its objects. */
record RenderedChart(String manifest, List<JsonNode> objects) {

    /** Renders the chart with {@code args} (release name, -f, --set ...); fails with helm's message. */
    static RenderedChart render(String release, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("template", release, DeployTools.chart().toString(), "--namespace", "mail"));
        command.addAll(List.of(args));
        DeployTools.Outcome o = DeployTools.helm(command.toArray(String[]::new));
        if (o.exitCode() != 0) {
            throw new AssertionError("helm " + String.join(" ", command) + " failed (exit " + o.exitCode() + "):\n" + o.all());
        }
        return new RenderedChart(o.out(), DeployTools.documents(o.out()));
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return objects.stream()
                .filter(o -> kind.equals(o.path("kind").asText()) && name.equals(o.path("metadata").path("name").asText()))
                .findFirst();
    }

    JsonNode one(String kind) {
        List<JsonNode> all = ofKind(kind);
        if (all.size() != 1) {
            throw new AssertionError("expected one " + kind + ", rendered " + all.size());
        }
        return all.get(0);
    }

    JsonNode statefulSet() {
        return one("StatefulSet");
    }

    JsonNode container() {
        return statefulSet().at("/spec/template/spec/containers/0");
    }

    /** The mailprobe configuration file the chart renders into its ConfigMap. */
    String config() {
        for (JsonNode volume : statefulSet().at("/spec/template/spec/volumes")) {
            if (volume.path("name").asText().equals("config")) {
                return find("ConfigMap", volume.at("/configMap/name").asText()).orElseThrow().at("/data/mailprobe.yaml").asText();
            }
        }
        throw new AssertionError("the StatefulSet mounts no config volume");
    }
}
