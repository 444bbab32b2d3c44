package org.vnetlab.scenarios.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.vnetlab.scenarios.diagnose.Linter;
import org.vnetlab.scenarios.run.WorldFactory;

/** Runs {@code vnetlab ARGS} in-process and keeps the exit code and both streams. */
public record Cli(int exit, String out, String err) {

    public static Cli run(WorldFactory worlds, String... args) {
        return run(worlds, Linter.NONE, args);
    }

    public static Cli run(WorldFactory worlds, Linter linter, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new Io(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                worlds, linter), args);
        return new Cli(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
