package dev.mailprobe.config;

import java.util.Map;

/**
 * A mail server of the cluster ({@code nodes[i]}).
 *
 * @param greetingName how the node names itself in greetings and Received headers, or null
 * @param protocols    ordered as configured
 */
public record Node(String name, String host, String greetingName, Map<Protocol, Endpoint> protocols) {
    public Node {
        protocols = Map.copyOf(protocols);
    }
}
