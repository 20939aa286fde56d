package dev.mailprobe.probe.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made with the JDK's {@code keytool}: its PKCS#12 key store for
 * the scripted server and its PEM for a probe's {@code caFile}.
 */
public record TestCerts(Path keyStore, Path pem, SSLContext serverContext) {
    private static final String PASSWORD = "changeit";

    /** @param san e.g. {@code dns:localhost,ip:127.0.0.1} */
    public static TestCerts create(Path dir, String name, String san) throws Exception {
        Path ks = dir.resolve(name + ".p12");
        Path pem = dir.resolve(name + ".pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=" + name, "-ext", "SAN=" + san, "-validity", "30",
                "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", ks.toString(),
                "-storetype", "PKCS12", "-storepass", PASSWORD, "-file", pem.toString()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return new TestCerts(ks, pem, ctx);
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + out);
        }
    }
}
