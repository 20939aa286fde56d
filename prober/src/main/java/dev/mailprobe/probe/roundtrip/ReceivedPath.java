package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.config.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The path of nodes a mail took, from its Received headers: each header's {@code by NAME} (outside
 * comments) names the host that added it; NAME is matched against the nodes' {@code greetingName},
 * then their {@code host} (only when one node has that host), then their name; unmatched names are
 * kept as written. Headers are newest first in a mail, so the path is reversed: first hop first.
 * Consecutive repeats (a content filter re-injecting into the same node) are collapsed.
 */
public final class ReceivedPath {
    private static final Pattern BY = Pattern.compile("(?i)(?:^|\\s)by\\s+([^\\s;]+)");

    private ReceivedPath() {}

    /** @param received the Received header values as they appear in the mail (newest first) */
    public static List<String> parse(String[] received, List<Node> nodes) {
        List<String> path = new ArrayList<>();
        if (received == null) {
            return path;
        }
        for (int i = received.length - 1; i >= 0; i--) {
            String by = byName(received[i]);
            if (by == null) {
                continue;
            }
            String hop = resolve(by, nodes);
            if (path.isEmpty() || !path.get(path.size() - 1).equals(hop)) {
                path.add(hop);
            }
        }
        return path;
    }

    /** The {@code by} name of one Received header, or null when it has none. */
    static String byName(String header) {
        if (header == null) {
            return null;
        }
        String clean = stripComments(header.replaceAll("\\s+", " "));
        int semi = clean.lastIndexOf(';');
        if (semi >= 0) {
            clean = clean.substring(0, semi); // the date
        }
        Matcher m = BY.matcher(clean);
        if (!m.find()) {
            return null;
        }
        String name = m.group(1);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        return name.isEmpty() ? null : name;
    }

    static String resolve(String by, List<Node> nodes) {
        String name = by.toLowerCase(Locale.ROOT);
        for (Node n : nodes) {
            if (n.greetingName() != null && n.greetingName().toLowerCase(Locale.ROOT).equals(name)) {
                return n.name();
            }
        }
        Node byHost = null;
        int hosts = 0;
        for (Node n : nodes) {
            String h = n.host().toLowerCase(Locale.ROOT);
            if (h.startsWith("[") && h.endsWith("]")) {
                h = h.substring(1, h.length() - 1);
            }
            if (h.equals(name)) {
                byHost = n;
                hosts++;
            }
        }
        if (hosts == 1) {
            return byHost.name();
        }
        for (Node n : nodes) {
            if (n.name().toLowerCase(Locale.ROOT).equals(name)) {
                return n.name();
            }
        }
        return by;
    }

    /** Removes RFC 5322 comments (nested parentheses, backslash escapes). */
    static String stripComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && depth > 0) {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
                if (depth == 0) {
                    out.append(' ');
                }
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
