package org.vnetlab.scenarios.cli;

import org.vnetlab.emulator.input.InputException;

/** How bad input is told to the user: one line, FILE:LINE:COL when the place is known, just FILE when not. */
final class Errors {
    private Errors() {}

    static String oneLine(InputException e) {
        return flat(message(e));
    }

    /** Line breaks inside a message (a token that spans lines, text quoted from a file) shown as \\n, so it stays one line. */
    private static String flat(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static String message(InputException e) {
        if (e.line() > 0) return e.getMessage();
        StringBuilder sb = new StringBuilder(e.file() == null ? "vnetlab" : e.file()).append(": ").append(e.problem());
        if (e.token() != null) sb.append(" near '").append(e.token()).append('\'');
        e.hint().ifPresent(h -> sb.append(" (hint: ").append(h).append(')'));
        return sb.toString().replace('\n', ' ');
    }
}
