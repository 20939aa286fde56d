package dev.mailprobe.probe.roundtrip;

import dev.mailprobe.probe.session.TrustStores;
import dev.mailprobe.config.ProbeSettings;
import dev.mailprobe.config.TlsMode;
import dev.mailprobe.probe.ProbeTarget;
import jakarta.mail.Session;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.util.MailSSLSocketFactory;

/**
 * Jakarta Mail sessions with the same endpoint semantics as the session probes: the probe timeout
 * bounds connect and every read; TLS per endpoint ({@code none}: plaintext, {@code starttls}:
 * required, never skipped silently, {@code implicit}); verification trusts the system store plus
 * {@code caFile} and checks the server identity; {@code tlsVerify: false} trusts all.
 */
final class MailSessions {
    private record TlsKey(boolean verify, Path caFile) {}

    private final Map<TlsKey, SSLSocketFactory> factories = new ConcurrentHashMap<>();

    /** @param jakartaProtocol {@code smtp}, {@code imap} or {@code pop3} */
    Properties properties(String jakartaProtocol, ProbeTarget target, Duration readTimeout) {
        ProbeSettings s = target.settings();
        String p = "mail." + jakartaProtocol + ".";
        Properties props = new Properties();
        long timeout = Math.max(1, s.timeout().toMillis());
        props.put(p + "host", target.host());
        props.put(p + "port", Integer.toString(target.endpoint().port()));
        props.put(p + "connectiontimeout", Long.toString(timeout));
        props.put(p + "timeout", Long.toString(readTimeout == null ? timeout : Math.max(1, readTimeout.toMillis())));
        TlsMode tls = target.endpoint().tls();
        if (tls == TlsMode.IMPLICIT) {
            props.put(p + "ssl.enable", "true");
        } else if (tls == TlsMode.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (tls != TlsMode.NONE) {
            props.put(p + "ssl.checkserveridentity", Boolean.toString(s.tlsVerify()));
            props.put(p + "ssl.socketFactory", socketFactory(s.tlsVerify(), s.caFile()));
        }
        if (jakartaProtocol.equals("smtp")) {
            props.put(p + "auth", Boolean.toString(target.endpoint().account() != null));
            props.put(p + "localhost", "mailprobe.invalid");
            props.put(p + "quitwait", "false");
        }
        return props;
    }

    Session session(String jakartaProtocol, ProbeTarget target, Duration readTimeout) {
        return Session.getInstance(properties(jakartaProtocol, target, readTimeout));
    }

    /**
     * A session that records the server's first protocol line (its greeting), for entry points
     * reached by host where the greeting names the serving node. Only that line is kept.
     */
    Session greetingSession(String jakartaProtocol, ProbeTarget target, Duration readTimeout, GreetingCapture capture) {
        Session session = session(jakartaProtocol, target, readTimeout);
        session.setDebugOut(new PrintStream(capture, true, StandardCharsets.ISO_8859_1));
        session.setDebug(true);
        return session;
    }

    SSLSocketFactory socketFactory(boolean verify, Path caFile) {
        return factories.computeIfAbsent(new TlsKey(verify, caFile), k -> {
            try {
                if (!k.verify()) {
                    MailSSLSocketFactory f = new MailSSLSocketFactory();
                    f.setTrustAllHosts(true);
                    return f;
                }
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, TrustStores.systemPlus(k.caFile()).getTrustManagers(), null);
                return ctx.getSocketFactory();
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up TLS trust" + (k.caFile() != null ? " with caFile " + k.caFile() : "")
                        + ": " + e.getMessage(), e);
            }
        });
    }


    /** Keeps the first line of Jakarta Mail's protocol trace that is not a DEBUG line: the greeting. */
    static final class GreetingCapture extends OutputStream {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private volatile String greeting;

        @Override
        public synchronized void write(int b) {
            if (greeting != null) {
                return;
            }
            if (b == '\n') {
                String l = line.toString(StandardCharsets.ISO_8859_1).strip();
                line.reset();
                if (!l.isEmpty() && !l.startsWith("DEBUG")) {
                    greeting = l.length() > 300 ? l.substring(0, 300) : l;
                }
            } else if (line.size() < 1000) {
                line.write(b);
            }
        }

        String greeting() {
            return greeting;
        }
    }
}
