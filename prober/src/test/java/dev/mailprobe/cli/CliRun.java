package dev.mailprobe.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs mailprobe's command line in-process and keeps what it printed, for CLI tests. */
public final class CliRun {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    /** Runs {@code args}; output accumulates across runs. Returns the exit code. */
    public int run(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    public String out() {
        return out.toString();
    }

    public String err() {
        return err.toString();
    }
}
