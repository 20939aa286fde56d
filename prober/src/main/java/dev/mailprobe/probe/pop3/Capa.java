package dev.mailprobe.probe.pop3;

import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.session.ProbeSession;
import io.vertx.core.Future;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Step: CAPA (RFC 2449), in the greeting phase. A server without CAPA (-ERR) has no capabilities.
 * Capabilities are upper-cased; SASL mechanisms become {@code SASL PLAIN}-style entries.
 */
final class Capa {
    private Capa() {}

    static Future<Set<String>> run(ProbeSession s) {
        return s.step(Phase.GREETING, "CAPA", () -> {
            s.send("CAPA");
            return Pop3ReplyReader.multiline(s).map(r -> {
                Set<String> caps = new TreeSet<>();
                if (r.ok()) {
                    for (String line : r.body()) {
                        String[] w = line.trim().toUpperCase(Locale.ROOT).split("\\s+");
                        if (w.length == 0 || w[0].isEmpty()) {
                            continue;
                        }
                        caps.add(w[0]);
                        if (w[0].equals("SASL")) {
                            for (int i = 1; i < w.length; i++) {
                                caps.add("SASL " + w[i]);
                            }
                        }
                    }
                }
                return Set.copyOf(caps);
            });
        });
    }
}
