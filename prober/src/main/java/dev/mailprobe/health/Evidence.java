package dev.mailprobe.health;

import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeResult;
import dev.mailprobe.probe.TlsInfo;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one observation showed, kept as the evidence of a DOWN event (principle 2). Built from a
 * probe result field by field: it holds exactly what the prober reported (its transcript is
 * already redacted by the prober) and nothing from the configuration, so no secret can enter it.
 *
 * @param at          when the observed probe started
 * @param target      the probed node (or entry point) name
 * @param protocol    protocol label, or null for a node-level observation (e.g. a round trip)
 * @param servedBy    the node that served the probe, or null
 * @param reason      failure reason label ({@code refused}, {@code timeout}, ...), null on success
 * @param failedPhase phase label that failed, or null
 * @param error       one-line human explanation, or null
 * @param phases      seconds per phase label, in phase order
 * @param replyCode   last reply code (0 when none or not numeric)
 * @param replyText   last reply text, or null
 * @param tls         the TLS session, or null
 * @param transcript  the redacted dialogue as the prober recorded it
 */
public record Evidence(
        Instant at,
        String target,
        String protocol,
        String servedBy,
        String reason,
        String failedPhase,
        String error,
        Map<String, Double> phases,
        int replyCode,
        String replyText,
        TlsInfo tls,
        List<String> transcript) {

    public Evidence {
        Objects.requireNonNull(at, "at");
        phases = Collections.unmodifiableMap(new LinkedHashMap<>(phases == null ? Map.of() : phases));
        transcript = List.copyOf(transcript == null ? List.of() : transcript);
    }

    /** The evidence of a session probe result. */
    public static Evidence of(ProbeResult r) {
        Map<String, Double> phases = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            Duration d = r.phases().get(p);
            if (d != null) {
                phases.put(p.label(), d.toNanos() / 1e9);
            }
        }
        return new Evidence(r.startedAt(), r.target(), r.protocol() == null ? null : r.protocol().label(),
                r.servedBy(), r.success() ? null : r.reason().label(),
                r.failedPhase() == null ? null : r.failedPhase().label(), r.error(), phases, r.replyCode(),
                r.replyText(), r.tls(), r.transcript());
    }

    /** Minimal evidence for a caller that has only a time and a reason (e.g. a future round-trip feed). */
    public static Evidence minimal(Instant at, String target, String protocol, String reason, String error) {
        return new Evidence(at, target, protocol, null, reason, null, error, Map.of(), 0, null, null, List.of());
    }

    public JsonObject toJson() {
        JsonObject phasesJson = new JsonObject();
        phases.forEach(phasesJson::put);
        JsonObject o = new JsonObject()
                .put("at", at.toString())
                .put("target", target)
                .put("protocol", protocol)
                .put("servedBy", servedBy)
                .put("reason", reason)
                .put("failedPhase", failedPhase)
                .put("error", error)
                .put("phaseSeconds", phasesJson)
                .put("replyCode", replyCode)
                .put("replyText", replyText);
        if (tls == null) {
            o.putNull("tls");
        } else {
            o.put("tls", new JsonObject()
                    .put("version", tls.version())
                    .put("cipher", tls.cipher())
                    .put("certificateNotAfter", tls.certificateNotAfter() == null ? null : tls.certificateNotAfter().toString())
                    .put("verified", tls.verified()));
        }
        return o.put("transcript", new JsonArray(List.copyOf(transcript)));
    }

    public static Evidence fromJson(JsonObject o) {
        Map<String, Double> phases = new LinkedHashMap<>();
        JsonObject p = o.getJsonObject("phaseSeconds", new JsonObject());
        p.fieldNames().forEach(k -> phases.put(k, p.getDouble(k)));
        TlsInfo tls = null;
        JsonObject t = o.getJsonObject("tls");
        if (t != null) {
            String notAfter = t.getString("certificateNotAfter");
            tls = new TlsInfo(t.getString("version"), t.getString("cipher"),
                    notAfter == null ? null : Instant.parse(notAfter), t.getBoolean("verified", false));
        }
        JsonArray tr = o.getJsonArray("transcript", new JsonArray());
        List<String> transcript = tr.stream().map(String::valueOf).toList();
        return new Evidence(Instant.parse(o.getString("at")), o.getString("target"), o.getString("protocol"),
                o.getString("servedBy"), o.getString("reason"), o.getString("failedPhase"), o.getString("error"),
                phases, o.getInteger("replyCode", 0), o.getString("replyText"), tls, transcript);
    }
}
