package org.vnetlab.scenarios.cli;

import java.io.PrintWriter;
import org.vnetlab.emulator.input.InputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vnetlab} command: entry point of the runnable jar. */
@Command(name = "vnetlab", mixinStandardHelpOptions = true, version = "vnetlab 0.1.0",
        description = "Emulates a libvirt NAT host's network in the JVM and explains what happens to every packet.",
        subcommands = {ReplayCommand.class, DiagnoseCommand.class, TraceCommand.class, ScenariosCommand.class, DemoCommand.class},
        footer = {"", "Exit status: 0 everything expected held, 1 something failed, 2 bad input or usage."})
public final class Main implements java.util.concurrent.Callable<Integer> {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int BAD_INPUT = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final Io io;

    Main(Io io) {
        this.io = io;
    }

    Io io() { return io; }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (0 ok, 1 an expectation failed, 2 bad input). */
    public static int run(String... args) {
        return run(Io.system(), args);
    }

    /** Runs the command line with the given streams and emulator binding. */
    public static int run(Io io, String... args) {
        CommandLine cli = new CommandLine(new Main(io));
        cli.setOut(new PrintWriter(io.out(), true));
        cli.setErr(new PrintWriter(io.err(), true));
        cli.setParameterExceptionHandler((ex, a) -> {
            String name = ex.getCommandLine().getCommandSpec().qualifiedName();
            io.err().println(name + ": " + ex.getMessage() + " (see '" + name + " --help')");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof InputException ie) {
                io.err().println(Errors.oneLine(ie));
                return BAD_INPUT;
            }
            boolean debug = parsed.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--debug"));
            String what = ex.getMessage() == null ? "no detail" : ex.getMessage().replace('\n', ' ');
            io.err().println("vnetlab: internal error: " + what + (debug ? "" : " (run with --debug for details)"));
            if (debug) ex.printStackTrace(io.err());
            return FAILED;
        });
        int code = cli.execute(args);
        io.out().flush();
        io.err().flush();
        return code;
    }

    /** Without a sub-command: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(io.err());
        return BAD_INPUT;
    }
}
