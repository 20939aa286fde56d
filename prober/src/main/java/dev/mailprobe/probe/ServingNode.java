package dev.mailprobe.probe;

import dev.mailprobe.config.Node;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which configured node served a connection made to a shared address (a VIP, a DNS name): the
 * node whose {@code greetingName} the server's greeting names, or the one node configured at the
 * address connected to. Shared by session probes and round trips.
 */
public final class ServingNode {
    private ServingNode() {}

    /** The node whose greeting name appears as a word of {@code greeting}. */
    public static Optional<Node> byGreetingName(List<Node> nodes, String greeting) {
        if (greeting == null) {
            return Optional.empty();
        }
        String[] words = greeting.toLowerCase(Locale.ROOT).split("[\\s\\[\\]()<>,;\"]+");
        for (Node n : nodes) {
            if (n.greetingName() == null || n.greetingName().isBlank()) {
                continue;
            }
            String name = n.greetingName().toLowerCase(Locale.ROOT);
            for (String w : words) {
                if (w.equals(name)) {
                    return Optional.of(n);
                }
            }
        }
        return Optional.empty();
    }

    /** The node configured at {@code address}, when exactly one is (several at one address tell nothing). */
    public static Optional<Node> byAddress(List<Node> nodes, String address) {
        if (address == null) {
            return Optional.empty();
        }
        List<Node> at = nodes.stream()
                .filter(n -> n.host().equalsIgnoreCase(address) || stripBrackets(n.host()).equalsIgnoreCase(address))
                .toList();
        return at.size() == 1 ? Optional.of(at.get(0)) : Optional.empty();
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
