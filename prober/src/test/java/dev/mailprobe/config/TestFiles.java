package dev.mailprobe.config;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** Where the config fixtures live, and the fake environment the tests load them with. */
final class TestFiles {
    static final String ENV_PASSWORD = "env-secret-value-42";
    static final String FILE_PASSWORD = "probe-secret-pw-0001";
    static final String FILE_TOKEN_KEY = "token-key-secret-value-0123456789";

    /** MAILPROBE_TEST_PASSWORD is set, MAILPROBE_TEST_EMPTY is set but empty, nothing else is. */
    static final Function<String, String> ENV =
            Map.of("MAILPROBE_TEST_PASSWORD", ENV_PASSWORD, "MAILPROBE_TEST_EMPTY", "")::get;

    private TestFiles() {}

    /** {@code src/test/resources/config} as copied to the test class path. */
    static Path configDir() {
        try {
            return Path.of(TestFiles.class.getResource("/config").toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String name) {
        return configDir().resolve(name);
    }
}
