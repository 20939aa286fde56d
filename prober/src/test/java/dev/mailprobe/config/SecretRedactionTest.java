package dev.mailprobe.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets never show up in an error message or in a toString. */
class SecretRedactionTest {
    private static final String FILE_SECRET = "file-secret-Zq8uT3xR";
    private static final String ENV_SECRET = "env-secret-Wp4nK7vL";
    private static final String INLINE_SECRET = "inline-secret-Hy2mC9sD";
    private static final String KEY_SECRET = "hmac-key-secret-Jd5bF1gN-long-enough";
    private static final List<String> SECRETS = List.of(FILE_SECRET, ENV_SECRET, INLINE_SECRET, KEY_SECRET);

    @TempDir
    Path dir;

    private Function<String, String> env() {
        return Map.of("PW", ENV_SECRET)::get;
    }

    @Test
    void noSecretInErrors() throws Exception {
        Files.writeString(dir.resolve("pw"), FILE_SECRET + "\n");
        Files.writeString(dir.resolve("key"), KEY_SECRET + "\n");
        // the secret files also used where they are wrong: as a CA file, a config, etc.
        String yaml = """
                probe: {caFile: pw, timeout: 1m}
                accounts:
                  a: {username: a@example.net, passwordFile: pw}
                  b: {username: b@example.net, passwordEnv: PW}
                  c: {username: c@example.net, password: %s}
                  d: {username: d@example.net, passwordFile: pw, passwordEnv: PW}
                nodes:
                  - {name: n, host: h, caFile: key, protocols: {imap: {account: x, port: 0}}}
                roundTrip: {account: a, tokenKeyFile: pw, to: nobody}
                """.formatted(INLINE_SECRET);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, dir, env()));

        assertThat(e.errors()).hasSizeGreaterThan(5);
        for (String secret : SECRETS) {
            assertThat(e.getMessage()).doesNotContain(secret);
            assertThat(e.errors()).allSatisfy(err -> assertThat(err.toString()).doesNotContain(secret));
        }
        assertThat(e.getMessage()).contains("accounts.c.password: inline passwords are not allowed");
    }

    @Test
    void noSecretInToString() throws Exception {
        Files.writeString(dir.resolve("pw"), FILE_SECRET);
        Files.writeString(dir.resolve("key"), KEY_SECRET);
        String yaml = """
                accounts:
                  a: {username: a@example.net, passwordFile: pw}
                  b: {username: b@example.net, passwordEnv: PW}
                nodes:
                  - {name: n, host: h, protocols: {imap: {account: a}, pop3: {account: b}}}
                roundTrip: {account: a, tokenKeyFile: key}
                """;
        MailprobeConfig c = ConfigLoader.parse(yaml, dir, env());

        assertThat(c.accounts().get("a").password().reveal()).isEqualTo(FILE_SECRET);
        assertThat(c.accounts().get("b").password().reveal()).isEqualTo(ENV_SECRET);
        assertThat(c.roundTrip().tokenKey().reveal()).isEqualTo(KEY_SECRET);
        String all = c + " " + c.accounts() + " " + c.roundTrip() + " " + ConfigSummary.oneLine(c);
        for (String secret : SECRETS) {
            assertThat(all).doesNotContain(secret);
        }
        assertThat(c.accounts().get("b").password()).hasToString("Secret[env PW]");
    }

    @Test
    void syntaxErrorsDoNotQuoteTheSource() {
        String yaml = "accounts:\n  a: {username: u, passwordFile: pw}\n  b: " + INLINE_SECRET + ": [\n";
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, dir, env()));
        assertThat(e.errors()).hasSize(1);
        assertThat(e.getMessage()).startsWith("line ").doesNotContain(INLINE_SECRET);
    }
}
