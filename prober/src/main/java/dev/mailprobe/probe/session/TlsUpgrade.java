package dev.mailprobe.probe.session;

import dev.mailprobe.probe.FailureReason;
import dev.mailprobe.probe.Phase;
import dev.mailprobe.probe.ProbeTarget;
import dev.mailprobe.probe.TlsInfo;
import io.vertx.core.Future;
import io.vertx.core.net.ClientSSLOptions;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.SSLSession;

/**
 * Step: the TLS handshake on the open connection, right after connect (implicit TLS) or after the
 * server accepted STARTTLS/STLS. Verifies the chain and the host name unless {@code tlsVerify} is
 * false. Any failure here is {@code tls_error}, except the deadline ({@code timeout}).
 */
public final class TlsUpgrade {
    private TlsUpgrade() {}

    public static Future<Void> run(ProbeSession s) {
        ProbeTarget t = s.target();
        return s.step(Phase.TLS, "TLS handshake", () -> {
            if (s.reader().hasBufferedData()) {
                // Anything sent before the handshake would be mixed into the TLS session (STARTTLS
                // command injection); a correct server sends nothing here.
                return s.fail(FailureReason.TLS_ERROR, "server sent data before the TLS handshake");
            }
            ClientSSLOptions options;
            try {
                options = s.tlsOptions().options(t.settings());
            } catch (Exception e) {
                return s.fail(FailureReason.TLS_ERROR, "cannot set up TLS trust: " + FailureClassifier.oneLine(e));
            }
            String sni = isIpLiteral(t.host()) ? null : t.host();
            return s.socket().upgradeToSsl(options, sni, null)
                    .recover(e -> {
                        ProbeFailure f = FailureClassifier.classify(e, Phase.TLS);
                        if (f.reason() == FailureReason.TIMEOUT) {
                            return Future.failedFuture(f);
                        }
                        return s.fail(FailureReason.TLS_ERROR, "TLS handshake failed: " + FailureClassifier.oneLine(rootCause(e)));
                    })
                    .map(v -> {
                        TlsInfo info = info(s, t.settings().tlsVerify());
                        s.tls(info);
                        s.transcript().note("TLS " + info.version() + " " + info.cipher()
                                + (info.verified() ? " (verified)" : " (NOT verified: tlsVerify false)")
                                + (info.certificateNotAfter() != null ? ", certificate valid until " + info.certificateNotAfter() : ""));
                        return null;
                    });
        });
    }

    private static TlsInfo info(ProbeSession s, boolean verified) {
        SSLSession session = s.socket().sslSession();
        Instant notAfter = null;
        String version = null;
        String cipher = null;
        if (session != null) {
            version = session.getProtocol();
            cipher = session.getCipherSuite();
            try {
                Certificate[] chain = session.getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                    notAfter = leaf.getNotAfter().toInstant();
                }
            } catch (Exception ignored) {
                // no peer certificate (anonymous suites): leave notAfter unset
            }
        }
        return new TlsInfo(version, cipher, notAfter, verified);
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
