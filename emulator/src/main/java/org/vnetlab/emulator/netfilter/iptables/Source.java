package org.vnetlab.emulator.netfilter.iptables;

import org.vnetlab.emulator.input.InputException;

/** Where the words being parsed came from: file name, line number and the line's text, for errors. */
record Source(String file, int line, String text) {
    InputException error(Token at, String problem) {
        return error(at, problem, null);
    }

    InputException error(Token at, String problem, String hint) {
        return new InputException(file, line, at == null ? 0 : at.column(), at == null ? null : at.text(), problem, hint);
    }

    /** An error about the whole line (no single token to blame). */
    InputException lineError(String problem, String hint) {
        return new InputException(file, line, 1, null, problem, hint);
    }
}
