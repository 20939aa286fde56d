package dev.mailprobe.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real amtool (Debian `prometheus-alertmanager`, installed by scripts/install-test-deps). */
final class Amtool {
    private Amtool() {}

    record Outcome(int exitCode, String output) {}

    static Outcome run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable("amtool"));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("amtool", ".out");
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("amtool " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Outcome(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The binary on PATH (also /usr/bin, where Debian puts it); fails saying how to install it. */
    static String executable(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException(name + " not found on PATH: run scripts/install-test-deps (Debian package prometheus-alertmanager)");
    }
}
