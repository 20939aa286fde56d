package dev.mailprobe.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Known-good configurations built in code, for tests of the rooms downstream of config. */
public final class ConfigFixtures {
    private ConfigFixtures() {}

    public static final Account PROBE = new Account("probe", "probe@example.net", Secret.of("s3cret-pw", "test"));

    /** Nodes smtp-1 (smtp, submission) and imap-1 (imap, pop3) at 127.0.0.1, entry point mx. */
    public static MailprobeConfig small(Path store) {
        ProbeSettings s = new ProbeSettings(Duration.ofSeconds(5), Duration.ofSeconds(2), 1, true, null);
        Map<Protocol, Endpoint> smtp = new LinkedHashMap<>();
        smtp.put(Protocol.SMTP, new Endpoint(Protocol.SMTP, 2525, TlsMode.NONE, null, s));
        smtp.put(Protocol.SUBMISSION, new Endpoint(Protocol.SUBMISSION, 2587, TlsMode.STARTTLS, PROBE, s));
        Map<Protocol, Endpoint> imap = new LinkedHashMap<>();
        imap.put(Protocol.IMAP, new Endpoint(Protocol.IMAP, 2993, TlsMode.IMPLICIT, PROBE, s));
        imap.put(Protocol.POP3, new Endpoint(Protocol.POP3, 2995, TlsMode.IMPLICIT, PROBE, s));
        return new MailprobeConfig(
                "test-cluster", "test-vantage",
                new MailprobeConfig.Http("127.0.0.1", 0),
                new MailprobeConfig.Store(store),
                s,
                Map.of("probe", PROBE),
                List.of(new Node("smtp-1", "127.0.0.1", null, smtp), new Node("imap-1", "127.0.0.1", null, imap)),
                List.of(new EntryPoint("mx", List.of("smtp-1"), null, EntryPoint.Selection.FAILOVER,
                        Map.of(Protocol.SMTP, smtp.get(Protocol.SMTP)))),
                null,
                List.of(new SloSpec("access", 0.999, Duration.ofDays(30))),
                List.of());
    }
}
