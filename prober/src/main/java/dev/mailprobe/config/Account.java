package dev.mailprobe.config;

/** A mailbox account the prober logs in with ({@code accounts.NAME}). */
public record Account(String name, String username, Secret password) {}
