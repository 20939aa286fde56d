package dev.mailprobe.probe.session;

import dev.mailprobe.config.ProbeSettings;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Client TLS options per distinct (verify, caFile, timeout), built once and reused so Vert.x can
 * reuse its SSL contexts. Verifying options trust the JDK's system store plus the PEM
 * {@code caFile} and check the host name the way HTTPS does; non-verifying options trust all and
 * are used only when {@code tlsVerify: false} is configured.
 */
public final class TlsOptionsCache {
    private record Key(boolean verify, Path caFile, long timeoutMillis) {}

    private final Map<Key, ClientSSLOptions> cache = new ConcurrentHashMap<>();

    public ClientSSLOptions options(ProbeSettings settings) throws Exception {
        Key key = new Key(settings.tlsVerify(), settings.caFile(), settings.timeout().toMillis());
        ClientSSLOptions cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        ClientSSLOptions built = build(key);
        ClientSSLOptions raced = cache.putIfAbsent(key, built);
        return raced != null ? raced : built;
    }

    private static ClientSSLOptions build(Key key) throws Exception {
        // Our own step timer bounds the handshake; Vert.x's must not fire first and mislabel it.
        ClientSSLOptions o = new ClientSSLOptions()
                .setSslHandshakeTimeout(key.timeoutMillis() + 5_000)
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        if (!key.verify()) {
            return o.setTrustAll(true).setHostnameVerificationAlgorithm("");
        }
        return o.setTrustAll(false)
                .setHostnameVerificationAlgorithm("HTTPS")
                .setTrustOptions(TrustOptions.wrap(trustManagerFactory(key.caFile())));
    }

    /** The system trust store, plus every certificate of {@code caFile} when set. */
    static TrustManagerFactory trustManagerFactory(Path caFile) throws Exception {
        TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        system.init((KeyStore) null);
        if (caFile == null) {
            return system;
        }
        KeyStore merged = KeyStore.getInstance(KeyStore.getDefaultType());
        merged.load(null, null);
        int n = 0;
        for (TrustManager tm : system.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                for (X509Certificate c : x.getAcceptedIssuers()) {
                    merged.setCertificateEntry("system-" + n++, c);
                }
            }
        }
        Collection<? extends Certificate> extra;
        try (InputStream in = Files.newInputStream(caFile)) {
            extra = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (extra.isEmpty()) {
            throw new java.security.cert.CertificateException("no certificate in caFile " + caFile);
        }
        for (Certificate c : extra) {
            merged.setCertificateEntry("ca-" + n++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(merged);
        return tmf;
    }
}
