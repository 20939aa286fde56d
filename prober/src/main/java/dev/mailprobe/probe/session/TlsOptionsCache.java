package dev.mailprobe.probe.session;

import dev.mailprobe.config.ProbeSettings;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
                .setTrustOptions(TrustOptions.wrap(TrustStores.systemPlus(key.caFile())));
    }

}
