package dev.mailprobe.probe.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The dialogue as evidence: {@code C: } lines sent, {@code S: } lines received, {@code * } notes.
 * Credentials are written redacted by the steps themselves; as a second line of defence every
 * registered secret (and its encodings) is scrubbed from every line. Bounded in size.
 */
public final class Transcript {
    public static final String REDACTED = "<redacted>";
    static final int MAX_LINES = 400;
    static final int MAX_LINE_CHARS = 1000;

    private final List<String> lines = new ArrayList<>();
    private final List<String> secrets = new ArrayList<>();
    private int dropped;

    /** Never let {@code secret} appear in the transcript, reply text or error. */
    public void secret(String secret) {
        if (secret != null && secret.length() >= 3 && !secrets.contains(secret)) {
            secrets.add(secret);
        }
    }

    public void client(String shown) {
        add("C: " + shown);
    }

    public void server(String line) {
        add("S: " + line);
    }

    public void note(String note) {
        add("* " + note);
    }

    private void add(String line) {
        if (lines.size() >= MAX_LINES) {
            dropped++;
            return;
        }
        String s = scrub(line);
        if (s.length() > MAX_LINE_CHARS) {
            s = s.substring(0, MAX_LINE_CHARS) + "...(" + (s.length() - MAX_LINE_CHARS) + " more chars)";
        }
        lines.add(s);
    }

    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String s = text;
        for (String secret : secrets) {
            s = s.replace(secret, REDACTED);
        }
        return s;
    }

    public List<String> lines() {
        if (dropped == 0) {
            return List.copyOf(lines);
        }
        List<String> all = new ArrayList<>(lines);
        all.add("* " + dropped + " more lines not kept");
        return List.copyOf(all);
    }
}
