package dev.mailprobe.config;

/** A periodic job that crash onsets are checked against ({@code knownJobs[i]}). */
public record KnownJob(String name, String cron) {}
