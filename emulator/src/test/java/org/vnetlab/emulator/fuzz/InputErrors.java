package org.vnetlab.emulator.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import org.vnetlab.emulator.input.InputException;

/** What every InputException must carry, whatever the input: the file, a place, and a problem in words. */
public final class InputErrors {
    private InputErrors() {}

    /** Well formed: the file named as given, line and column not negative, a problem stated. */
    public static void assertWellFormed(InputException e, String file) {
        assertThat(e.file()).as("file of %s", e.getMessage()).isEqualTo(file);
        assertThat(e.line()).as("line of %s", e.getMessage()).isNotNegative();
        assertThat(e.column()).as("column of %s", e.getMessage()).isNotNegative();
        assertThat(e.problem()).as("problem of %s", e.getMessage()).isNotBlank();
        assertThat(e.getMessage()).startsWith(file + ":");
    }

    /**
     * Well formed, and the line is one a user can go to: 1 to {@code lineCount}, or {@code lineCount + 1} for
     * what is missing at the end of the file (iptables-restore's "COMMIT expected at line N" after the last
     * line, the XML parser's unclosed element at the end).
     */
    public static void assertPointsIntoFile(InputException e, String file, int lineCount) {
        assertWellFormed(e, file);
        assertThat(e.line()).as("line of %s in a file of %d lines", e.getMessage(), lineCount).isBetween(1, lineCount + 1);
    }
}
