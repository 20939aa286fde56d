package dev.mailprobe.probe.roundtrip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailprobe.config.Node;
import dev.mailprobe.store.Store;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entry points reached by host: the serving node from the greeting name, else the address. */
class AttributionTest {
    @TempDir
    Path dir;

    @Test
    void theGreetingIsTheFirstProtocolLineOfTheTrace() {
        MailSessions.GreetingCapture capture = new MailSessions.GreetingCapture();
        PrintStream out = new PrintStream(capture, true, StandardCharsets.ISO_8859_1);
        out.println("DEBUG: getProvider() returning jakarta.mail.Provider[TRANSPORT,smtp,...]");
        out.println("DEBUG SMTP: trying to connect to host \"127.0.0.12\", port 2587, isSSL false");
        out.println("220 smtp-2.testbed.mailprobe.test ESMTP Postfix (Debian/GNU)");
        out.println("EHLO mailprobe.invalid");
        assertThat(capture.greeting()).isEqualTo("220 smtp-2.testbed.mailprobe.test ESMTP Postfix (Debian/GNU)");
    }

    @Test
    void greetingNameFirstThenAUniqueAddressElseUnknown() throws Exception {
        var base = RoundTripPlanTest.config(dev.mailprobe.config.RoundTripSettings.Matrix.FULL, List.of(), List.of());
        List<Node> nodes = new ArrayList<>(List.of(
                new Node("smtp-1", "10.0.0.11", "mx1.example.net", Map.of()),
                new Node("smtp-2", "10.0.0.12", "mx2.example.net", Map.of()),
                new Node("imap-1", "10.0.0.21", null, Map.of()),
                new Node("imap-2", "10.0.0.21", null, Map.of())));
        var config = new dev.mailprobe.config.MailprobeConfig(null, null, base.http(), base.store(), base.probe(),
                base.accounts(), nodes, List.of(), base.roundTrip(), List.of(), List.of());
        try (Store store = Store.open(dir.resolve("a.db"))) {
            RoundTripEngine e = new RoundTripEngine(config, store, r -> {});
            assertThat(e.attribute("220 MX2.example.net ESMTP Postfix", "192.0.2.1")).isEqualTo("smtp-2");
            assertThat(e.attribute("* OK [CAPABILITY IMAP4rev1] Dovecot ready.", "10.0.0.11")).isEqualTo("smtp-1");
            assertThat(e.attribute("* OK ready", "10.0.0.21")).isEqualTo(RoundTripEngine.UNKNOWN); // two nodes there
            assertThat(e.attribute(null, "vip.example.net")).isEqualTo(RoundTripEngine.UNKNOWN);
        }
    }
}
