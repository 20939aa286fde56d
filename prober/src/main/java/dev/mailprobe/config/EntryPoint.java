package dev.mailprobe.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer entry point ({@code entryPoints[i]}): either a set of nodes chosen the way a client
 * would ({@code via} + {@code select}) or one address such as a VIP or DNS name ({@code host}).
 *
 * @param via    node names, in preference order; empty when {@code host} is set
 * @param host   the address customers use; null when {@code via} is set
 */
public record EntryPoint(
        String name,
        List<String> via,
        String host,
        Selection select,
        Map<Protocol, Endpoint> protocols) {

    public EntryPoint {
        via = List.copyOf(via);
        protocols = Collections.unmodifiableMap(new LinkedHashMap<>(protocols));
    }

    /** How a client picks among the {@code via} nodes. */
    public enum Selection {
        /** MX semantics: try the first, on failure the next. */
        FAILOVER("failover"),
        /** DNS round robin: each attempt takes the next node, no retry. */
        ROUND_ROBIN("round-robin");

        private final String label;

        Selection(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }
}
