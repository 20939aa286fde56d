package dev.mailprobe.rules;

import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Writes a {@link RuleFile} as Prometheus rule-file YAML, deterministically: two-space indents,
 * multi-line values as literal blocks (kept verbatim: PromQL and Go templates need no escaping
 * there), single-line values plain when YAML reads them back as the same string, double-quoted
 * otherwise.
 */
public final class RuleYaml {
    /** Plain scalars that YAML 1.1/1.2 would read as something other than a string. */
    private static final Pattern NOT_A_STRING = Pattern.compile(
            "[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)|~"
                    + "|[0-9]+:[0-9]+(:[0-9]+)*");
    private static final Set<String> RESERVED = Set.of("true", "false", "yes", "no", "on", "off", "null", "y", "n");

    private RuleYaml() {}

    public static String render(RuleFile file) {
        StringBuilder y = new StringBuilder();
        for (String line : file.header()) {
            y.append(line.isEmpty() ? "#" : "# " + line).append('\n');
        }
        y.append("groups:\n");
        for (RuleGroup g : file.groups()) {
            y.append("  - name: ").append(scalar(g.name(), 10)).append('\n');
            y.append("    rules:\n");
            for (Rule r : g.rules()) {
                if (r.isAlert()) {
                    y.append("      - alert: ").append(scalar(r.alert(), 10)).append('\n');
                } else {
                    y.append("      - record: ").append(scalar(r.record(), 10)).append('\n');
                }
                y.append("        expr: ").append(scalar(r.expr(), 10)).append('\n');
                if (r.forDuration() != null) {
                    y.append("        for: ").append(scalar(r.forDuration(), 10)).append('\n');
                }
                map(y, "labels", r.labels());
                map(y, "annotations", r.annotations());
            }
        }
        return y.toString();
    }

    private static void map(StringBuilder y, String key, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        y.append("        ").append(key).append(":\n");
        values.forEach((k, v) -> y.append("          ").append(k).append(": ").append(scalar(v, 12)).append('\n'));
    }

    /**
     * {@code value} as a YAML scalar on a line whose key is indented less than {@code indent};
     * a literal block's lines are indented by {@code indent} spaces.
     */
    static String scalar(String value, int indent) {
        if (value.indexOf('\n') >= 0) {
            boolean trailing = value.endsWith("\n");
            String body = trailing ? value.substring(0, value.length() - 1) : value;
            if (body.startsWith(" ") || body.startsWith("\t") || body.endsWith("\n")) {
                throw new IllegalArgumentException("not writable as a literal block (leading space or blank end): " + value);
            }
            StringBuilder b = new StringBuilder(trailing ? "|" : "|-");
            String pad = " ".repeat(indent);
            for (String line : body.split("\n", -1)) {
                b.append('\n');
                if (!line.isEmpty()) {
                    b.append(pad).append(line);
                }
            }
            return b.toString();
        }
        return plain(value) ? value : quoted(value);
    }

    static boolean plain(String v) {
        if (v.isEmpty() || !v.strip().equals(v) || RESERVED.contains(v.toLowerCase(java.util.Locale.ROOT))
                || NOT_A_STRING.matcher(v).matches()) {
            return false;
        }
        if ("-?:,[]{}#&*!|>'\"%@`".indexOf(v.charAt(0)) >= 0) {
            return false;
        }
        if (v.contains(": ") || v.contains(" #") || v.endsWith(":")) {
            return false;
        }
        return v.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    /** A double-quoted YAML scalar (JSON escapes are valid YAML escapes). */
    static String quoted(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
