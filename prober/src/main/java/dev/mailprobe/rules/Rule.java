package dev.mailprobe.rules;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Prometheus rule: a recording rule ({@link #record} set) or an alerting rule ({@link #alert}
 * set), as it appears in a rule file. Labels and annotations keep their insertion order (the YAML
 * is written in that order, so generated files are stable byte for byte).
 *
 * @param expr        PromQL; a multi-line expression ends with a newline
 * @param forDuration the alert's {@code for:}, or null
 */
public record Rule(String record, String alert, String expr, String forDuration,
                   Map<String, String> labels, Map<String, String> annotations) {
    public Rule {
        if ((record == null) == (alert == null)) {
            throw new IllegalArgumentException("a rule records or alerts: " + record + " / " + alert);
        }
        Objects.requireNonNull(expr, "expr");
        if (record != null && (forDuration != null || !annotations.isEmpty())) {
            throw new IllegalArgumentException("a recording rule has no for: or annotations: " + record);
        }
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
    }

    public static Rule record(String name, String expr, Map<String, String> labels) {
        return new Rule(name, null, expr, null, labels, Map.of());
    }

    public static Rule alert(String name, String expr, String forDuration, Map<String, String> labels,
                             Map<String, String> annotations) {
        return new Rule(null, name, expr, forDuration, labels, annotations);
    }

    public boolean isAlert() {
        return alert != null;
    }

    /** The record or alert name. */
    public String name() {
        return isAlert() ? alert : record;
    }
}
