package org.vnetlab.emulator.hostconf.text;

/** One whitespace-separated word of a line, with its 1-based line and column. */
public record Token(String text, int line, int column) {
    public boolean is(String s) { return text.equals(s); }

    /** Column just after the token, for "missing value after" errors. */
    public int endColumn() { return column + text.length(); }

    @Override
    public String toString() { return text + "@" + line + ":" + column; }
}
