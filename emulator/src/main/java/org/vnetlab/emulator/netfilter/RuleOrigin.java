package org.vnetlab.emulator.netfilter;

/**
 * Where a rule came from, for traces, lint findings and error messages: file name, 1-based line, and the
 * rule exactly as it was written there (which may differ from its canonical text, e.g. {@code -d 53}).
 * Not part of a rule's identity (see {@link Rule#equals}).
 */
public record RuleOrigin(String file, int line, String written) {
    /** For rules built in code or by a command with no file behind it. */
    public static final RuleOrigin UNKNOWN = new RuleOrigin("", 0, "");

    public RuleOrigin {
        if (file == null || written == null) throw new IllegalArgumentException("file and written text are required");
        if (line < 0) throw new IllegalArgumentException("line must be >= 0");
    }

    public boolean isKnown() { return line > 0; }

    /** {@code file:line}, as error messages and traces print it. */
    @Override
    public String toString() { return (file.isEmpty() ? "<input>" : file) + ":" + line; }
}
