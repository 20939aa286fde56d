package dev.mailprobe.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One service level objective ({@code slos[i]}); {@code name} is the SLI it measures.
 *
 * @param objective the good fraction, strictly between 0 and 1 (e.g. 0.999)
 * @param window    the SLO period (rolling), e.g. 30 days
 * @param minEvents this SLO's minimum-events guard per burn-rate tier ({@link AlertingSettings#TIERS});
 *                  overrides {@code alerting.minEvents}; empty when not set
 */
public record SloSpec(String name, double objective, Duration window, Map<String, Integer> minEvents) {
    public SloSpec {
        minEvents = minEvents == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(minEvents));
    }

    /** An SLO without its own guard. */
    public SloSpec(String name, double objective, Duration window) {
        this(name, objective, window, Map.of());
    }
}
