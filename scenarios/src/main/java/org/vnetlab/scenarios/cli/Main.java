package org.vnetlab.scenarios.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vnetlab} command: entry point of the runnable jar. */
@Command(name = "vnetlab", mixinStandardHelpOptions = true, version = "vnetlab 0.1.0", exitCodeOnInvalidInput = 2,
        description = "Emulates a libvirt NAT host's network in the JVM and explains what happens to every packet.")
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 an expectation failed, 2 bad input). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
