package dev.mailprobe.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A mail server of the cluster ({@code nodes[i]}).
 *
 * @param greetingName how the node names itself in greetings and Received headers, or null
 * @param protocols    ordered as configured (unmodifiable)
 */
public record Node(String name, String host, String greetingName, Map<Protocol, Endpoint> protocols) {
    public Node {
        protocols = Collections.unmodifiableMap(new LinkedHashMap<>(protocols));
    }
}
