package dev.mailprobe.cli;

import dev.mailprobe.config.Endpoint;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import java.time.Duration;
import java.util.Locale;

/** The text a person reads after {@code mailprobe probe}: where it went, how long each step took, what broke. */
final class Diagnosis {
    private Diagnosis() {}

    static String render(ProbeResult r, Endpoint endpoint, String host) {
        StringBuilder b = new StringBuilder();
        b.append(r.target()).append(' ').append(r.protocol().label());
        if (host != null) {
            b.append("  ").append(host).append(':').append(endpoint.port());
        }
        b.append("  tls=").append(endpoint.tls().label());
        if (endpoint.account() != null) {
            b.append("  account=").append(endpoint.account().name());
        }
        if (r.entryPoint()) {
            b.append("  served by ").append(r.servedBy());
        }
        b.append('\n');
        b.append(String.format(Locale.ROOT, "  %-12s %10s%n", "phase", "duration"));
        for (Phase phase : Phase.values()) {
            Duration d = r.phases().get(phase);
            if (d == null) {
                continue;
            }
            String mark = phase == r.failedPhase() ? "  <- failed here" : "";
            b.append(String.format(Locale.ROOT, "  %-12s %8.1f ms%s%n", phase.label(), d.toNanos() / 1e6, mark));
        }
        if (r.success()) {
            b.append("  result: success\n");
        } else {
            b.append("  result: FAILED, ").append(r.reason().label()).append(" in ")
                    .append(r.failedPhase() == null ? "?" : r.failedPhase().label()).append(": ").append(r.error()).append('\n');
        }
        if (r.replyText() != null && !r.replyText().isEmpty()) {
            b.append("  last reply: ").append(r.replyCode() > 0 ? r.replyCode() + " " : "").append(r.replyText()).append('\n');
        }
        if (r.tls() != null) {
            b.append("  tls: ").append(r.tls().version()).append(' ').append(r.tls().cipher());
            if (r.tls().certificateNotAfter() != null) {
                b.append(", certificate valid until ").append(r.tls().certificateNotAfter());
            }
            b.append(r.tls().verified() ? " (verified)" : " (NOT verified: tlsVerify is false)").append('\n');
        }
        b.append("  transcript (credentials redacted):\n");
        for (String line : r.transcript()) {
            b.append("    ").append(line).append('\n');
        }
        return b.toString();
    }
}
