package dev.mailprobe.probe.imap;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Command/response plumbing over a {@link ProbeSession}: tags commands, gathers the untagged
 * responses until the tagged completion, answers continuations, and keeps the capability list.
 */
final class ImapConnection {
    final ProbeSession session;
    private int nextTag = 1;
    private Set<String> capabilities = Set.of();

    ImapConnection(ProbeSession session) {
        this.session = session;
    }

    /** The tagged completion and the untagged responses before it. */
    record Completion(ImapResponse tagged, List<ImapResponse> untagged) {
        boolean ok() {
            return tagged.kind().equals("OK");
        }

        String summary() {
            return tagged.text();
        }
    }

    Set<String> capabilities() {
        return capabilities;
    }

    boolean has(String capability) {
        return capabilities.contains(capability.toUpperCase(Locale.ROOT));
    }

    /** Remembers capabilities from a {@code CAPABILITY} response or a {@code [CAPABILITY ...]} code. */
    void learnCapabilities(ImapResponse r) {
        String list = null;
        if (r.untagged() && r.kind().equals("CAPABILITY")) {
            list = r.statusText();
        } else if (r.responseCode() != null && r.responseCode().toUpperCase(Locale.ROOT).startsWith("CAPABILITY ")) {
            list = r.responseCode().substring("CAPABILITY ".length());
        }
        if (list != null) {
            Set<String> caps = new TreeSet<>();
            for (String c : list.trim().split("\\s+")) {
                if (!c.isEmpty()) {
                    caps.add(c.toUpperCase(Locale.ROOT));
                }
            }
            capabilities = Set.copyOf(caps);
        }
    }

    Future<Completion> command(String command) {
        return command(command, command, null);
    }

    /**
     * @param shown          the command as the transcript shows it (redacted)
     * @param onContinuation answers a {@code +} continuation: {line to send, line to show}; null if
     *                       none is expected
     */
    Future<Completion> command(String command, String shown, Function<ImapResponse, String[]> onContinuation) {
        String tag = "a" + nextTag++;
        session.send(tag + " " + command, tag + " " + shown);
        return collect(tag, new ArrayList<>(), onContinuation);
    }

    private Future<Completion> collect(String tag, List<ImapResponse> untagged, Function<ImapResponse, String[]> onContinuation) {
        return ImapResponseReader.read(session).compose(r -> {
            if (r.untagged()) {
                learnCapabilities(r);
                untagged.add(r);
                if (untagged.size() > 10_000) {
                    return session.fail(FailureReason.PROTOCOL_ERROR, "too many untagged responses");
                }
                return collect(tag, untagged, onContinuation);
            }
            if (r.continuation()) {
                if (onContinuation == null) {
                    return session.fail(FailureReason.PROTOCOL_ERROR, "unexpected continuation request: " + r.text());
                }
                String[] answer = onContinuation.apply(r);
                session.send(answer[0], answer[1]);
                return collect(tag, untagged, onContinuation);
            }
            if (!r.tag().equals(tag)) {
                return session.fail(FailureReason.PROTOCOL_ERROR, "response for unknown tag " + r.tag() + " (expected " + tag + ")");
            }
            learnCapabilities(r);
            session.reply(0, r.text());
            return Future.succeededFuture(new Completion(r, List.copyOf(untagged)));
        });
    }
}
