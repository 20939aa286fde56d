package dev.mailprobe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code mailprobe.jar}: one subcommand per mode of DESIGN.md's CLI contract. */
@Command(
        name = "mailprobe",
        mixinStandardHelpOptions = true,
        versionProvider = BuildVersion.class,
        description = "Synthetic prober and SLO monitor for mail services.",
        subcommands = {DemoCommand.class, RunCommand.class, CheckConfigCommand.class, ProbeCommand.class, ReportCommand.class,
                RulesCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line; tests call this to run commands in-process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
