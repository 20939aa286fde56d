package dev.mailprobe.rules;

import java.util.List;

/** A rule group: its rules run in order, at one timestamp, every evaluation interval. */
public record RuleGroup(String name, List<Rule> rules) {
    public RuleGroup {
        rules = List.copyOf(rules);
    }
}
