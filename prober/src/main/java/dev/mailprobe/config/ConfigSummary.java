package dev.mailprobe.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Human summaries of a config, for {@code check-config} and start-up logs. Never prints secrets. */
public final class ConfigSummary {
    private ConfigSummary() {}

    /**
     * E.g. {@code 4 nodes (smtp 2, submission 2, imap 2, pop3 2), 2 entry points, 3 SLOs,
     * round trip every 1m, 1 known job}. Protocol counts are nodes offering that protocol;
     * durations are in {@link Durations#format} form.
     */
    public static String oneLine(MailprobeConfig config) {
        Map<Protocol, Integer> counts = new EnumMap<>(Protocol.class);
        for (Node node : config.nodes()) {
            for (Protocol p : node.protocols().keySet()) {
                counts.merge(p, 1, Integer::sum);
            }
        }
        List<String> perProtocol = new ArrayList<>();
        counts.forEach((p, n) -> perProtocol.add(p.label() + " " + n));

        StringBuilder sb = new StringBuilder(count(config.nodes().size(), "node", "nodes"));
        if (!perProtocol.isEmpty()) {
            sb.append(" (").append(String.join(", ", perProtocol)).append(')');
        }
        sb.append(", ").append(count(config.entryPoints().size(), "entry point", "entry points"));
        sb.append(", ").append(count(config.slos().size(), "SLO", "SLOs"));
        sb.append(", ").append(config.roundTrip() == null
                ? "no round trip"
                : "round trip every " + Durations.format(config.roundTrip().interval()));
        if (!config.knownJobs().isEmpty()) {
            sb.append(", ").append(count(config.knownJobs().size(), "known job", "known jobs"));
        }
        if (config.shard().count() > 1) {
            sb.append(", ").append(config.shard().count()).append(" shards");
            if (config.shard().index() != null) {
                sb.append(" (this is shard ").append(config.shard().index()).append(')');
            }
        }
        return sb.toString();
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
