package org.vnetlab.emulator.nftables;

import org.vnetlab.emulator.input.InputException;

/** Where a command or rule was written: file, 1-based line and column, and the word there (for errors). */
public record Source(String file, int line, int column, String token) {
    public static Source none(String what) { return new Source(what, 0, 0, null); }

    public InputException error(String problem) { return new InputException(file, line, column, token, problem); }

    public InputException error(String problem, String hint) { return new InputException(file, line, column, token, problem, hint); }
}
