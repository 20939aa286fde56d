package dev.mailprobe.probe.roundtrip;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The one final result of one round-trip mail. Published on
 * {@link dev.mailprobe.runtime.ResultBus#ROUNDTRIP_RESULTS}; the round-trip engine never touches a
 * meter or the store (other than its own in-flight table).
 *
 * @param id            the mail's unique id (also in its Message-ID and token); consumers that store
 *                      results durably can use it as an idempotency key
 * @param sendNode      the {@code send_node} label: the configured node or entry point the mail was
 *                      submitted through
 * @param fetchNode     the {@code fetch_node} label: the configured node or entry point it was
 *                      fetched from
 * @param servedBySend  the node that accepted the mail (for an entry point: by via choice, greeting
 *                      name or address), or {@code unknown}
 * @param servedByFetch the node the mail was looked for on, or {@code unknown}
 * @param sentAt        wall-clock time the 250 after DATA arrived (display and storage only)
 * @param latency       250 after DATA -> visible on the fetch node (monotonic clock), or null when
 *                      the mail was not seen (lost, send_failed, fetch_failed)
 * @param evidence      one line: the SMTP reply (always for send_failed), the fetch error, or what
 *                      was seen; never a secret
 * @param receivedPath  the nodes that handled the mail, first hop first, from its Received headers
 *                      ({@code by} names matched to nodes' greetingName or host, else kept as
 *                      written); empty when the mail was not seen
 */
public record RoundTripResult(
        String id,
        String sendNode,
        String fetchNode,
        String servedBySend,
        String servedByFetch,
        Instant sentAt,
        Duration latency,
        Outcome result,
        String evidence,
        List<String> receivedPath) {

    public RoundTripResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sendNode, "sendNode");
        Objects.requireNonNull(fetchNode, "fetchNode");
        Objects.requireNonNull(result, "result");
        receivedPath = receivedPath == null ? List.of() : List.copyOf(receivedPath);
    }

    /** The {@code result} label. */
    public String resultLabel() {
        return result.label();
    }
}
