package dev.mailprobe.rules;

import java.util.List;

/**
 * One Prometheus rule file.
 *
 * @param fileName e.g. {@code mailprobe-slo.rules.yml}
 * @param header   comment lines written above {@code groups:} (without the {@code # })
 */
public record RuleFile(String fileName, List<String> header, List<RuleGroup> groups) {
    public RuleFile {
        header = List.copyOf(header);
        groups = List.copyOf(groups);
    }

    /** Every rule of every group, in file order. */
    public List<Rule> rules() {
        return groups.stream().flatMap(g -> g.rules().stream()).toList();
    }
}
