package dev.mailprobe.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a Prometheus alert annotation template: a preamble that sets template variables, most
 * of them from a {@code query} run when the alert is evaluated, then one line of text that uses
 * them. Every preamble line starts with "{{-" and ends with "-}}", so the newlines
 * between them vanish and the annotation is exactly the text line. A variable whose query returns
 * nothing keeps its default.
 */
final class AlertTemplate {
    /** {@code cluster="..", vantage=".."} of the alert: selects the same series it was computed from. */
    static final String WHERE = "{{- $where := printf \"cluster=%q, vantage=%q\" $labels.cluster $labels.vantage -}}";

    private final List<String> lines = new ArrayList<>();

    AlertTemplate() {
        lines.add(WHERE);
    }

    /**
     * {@code $name}: {@code fallback}, or the first sample of {@code promql} (a Go format string over
     * {@code args}, e.g. {@code "slo:x{%s}"} with {@code "$where"}) piped through {@code pipeline}
     * (e.g. {@code value | humanizePercentage}).
     */
    AlertTemplate query(String name, String fallback, String promql, String args, String pipeline) {
        lines.add("{{- $" + name + " := " + goString(fallback) + " -}}");
        lines.add("{{- with query (printf " + goString(promql) + " " + args + ") }}{{ $" + name
                + " = . | first | " + pipeline + " }}{{ end -}}");
        return this;
    }

    /** A raw preamble line; it must start with "{{-" and end with "-}}". */
    AlertTemplate line(String line) {
        if (!line.startsWith("{{-") || !line.endsWith("-}}")) {
            throw new IllegalArgumentException("a preamble line trims its newlines: " + line);
        }
        lines.add(line);
        return this;
    }

    /** The template: the preamble, then {@code text} (one line). */
    String text(String text) {
        if (text.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("one line of text: " + text);
        }
        return String.join("\n", lines) + "\n" + text;
    }

    /** A Go string literal. */
    static String goString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
