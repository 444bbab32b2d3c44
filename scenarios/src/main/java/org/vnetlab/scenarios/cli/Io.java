package org.vnetlab.scenarios.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.vnetlab.scenarios.diagnose.Linter;
import org.vnetlab.scenarios.run.WorldFactory;

/**
 * What the commands write to and build with: passed in, so tests run the whole command line in-process
 * against scripted worlds and read both streams.
 */
public record Io(PrintStream out, PrintStream err, WorldFactory worlds, Linter linter) {

    /** The real streams (always UTF-8: transcripts carry ✔ and ✘) and the real emulator. */
    public static Io system() {
        return new Io(new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8),
                new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8),
                Emulator.worlds(), Emulator.linter());
    }
}
