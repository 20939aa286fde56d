/**
 * Session probes: one protocol session against one node or entry point, with per-phase timings,
 * a redacted transcript and a fixed failure reason.
 *
 * <p>Entry points for callers: {@link dev.mailprobe.probe.Probers#create(io.vertx.core.Vertx)}
 * then {@link dev.mailprobe.probe.Probers#probe(ProbeTarget)} for a node target
 * ({@link dev.mailprobe.probe.ProbeTarget#of}), and
 * {@link dev.mailprobe.probe.EntryPointProber#probe} for an entry point. Returned futures never
 * fail: a failed probe is a {@link dev.mailprobe.probe.ProbeResult} with {@code success == false}.
 * A probe never touches a meter or the store.
 *
 * <p>Inside: {@code session} holds the engine (a {@code ProbeSession} per probe with its line
 * reader, transcript, phase clock and step deadlines, plus the Connect and TlsUpgrade steps);
 * {@code smtp}, {@code imap} and {@code pop3} hold one small class per protocol step, joined with
 * futures by each protocol's prober.
 */
package dev.mailprobe.probe;
