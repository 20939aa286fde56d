package dev.mailprobe.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** A parsed Prometheus text exposition: series (name plus labels, as written) to value. */
public final class Exposition {
    private final Map<String, Double> series = new LinkedHashMap<>();

    private Exposition(String text) {
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
    }

    public static Exposition parse(String text) {
        return new Exposition(text);
    }

    /** The value of {@code name{labels}} with labels in the exposition's (alphabetical) order. */
    public OptionalDouble value(String seriesName) {
        Double v = series.get(seriesName);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    public boolean hasFamily(String name) {
        return series.keySet().stream().anyMatch(s -> s.equals(name) || s.startsWith(name + "{"));
    }
}
