package dev.mailprobe.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** The version Maven stamped into {@code build.properties}; also the {@code version} label of build_info. */
public final class BuildVersion implements CommandLine.IVersionProvider {

    public static String version() {
        try (InputStream in = BuildVersion.class.getResourceAsStream("/dev/mailprobe/build.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"mailprobe " + version()};
    }
}
