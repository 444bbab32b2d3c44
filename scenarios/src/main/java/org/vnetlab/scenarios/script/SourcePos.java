package org.vnetlab.scenarios.script;

import org.vnetlab.emulator.input.InputException;

/** A place in a scenario file: file name as the user gave it, 1-based line and column. */
public record SourcePos(String file, int line, int column) {

    /** The same line, {@code n} columns further right. */
    public SourcePos plus(int n) { return new SourcePos(file, line, column + n); }

    public InputException error(String token, String problem, String hint) {
        return new InputException(file, line, column, token, problem, hint);
    }

    public InputException error(String token, String problem) { return error(token, problem, null); }

    @Override
    public String toString() { return file + ":" + line + ":" + column; }
}
