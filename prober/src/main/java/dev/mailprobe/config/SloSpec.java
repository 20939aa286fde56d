package dev.mailprobe.config;

import java.time.Duration;

/** One service level objective ({@code slos[i]}); {@code name} is the SLI it measures. */
public record SloSpec(String name, double objective, Duration window) {}
