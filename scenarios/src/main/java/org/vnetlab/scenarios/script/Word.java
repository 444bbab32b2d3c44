package org.vnetlab.scenarios.script;

/**
 * One shell-like word: its value after quote removal, the text as written, where it starts in its logical
 * line, and whether any part of it was quoted (a quoted {@code "=>"} or {@code "&&"} is plain text).
 */
public record Word(String value, String raw, int offset, boolean quoted) {
    public int end() { return offset + raw.length(); }
}
