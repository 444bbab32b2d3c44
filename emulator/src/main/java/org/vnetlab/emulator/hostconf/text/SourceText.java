package org.vnetlab.emulator.hostconf.text;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.input.InputException;

/**
 * A text file split into lines the way a user's paste arrives: CRLF or LF endings, an optional UTF-8 byte
 * order mark, no phantom empty line after the final newline. Lines are numbered from 1.
 */
public final class SourceText {
    private final String file;
    private final List<String> lines;

    private SourceText(String file, List<String> lines) {
        this.file = file;
        this.lines = List.copyOf(lines);
    }

    /** Splits {@code content}; rejects binary content (NUL bytes), which no tool we read ever prints. */
    public static SourceText of(String file, String content) throws InputException {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                int line = lines.size() + 1;
                throw new InputException(file, line, i - start + 1, null, "binary content (NUL byte) in a text dump",
                        "copy the command's text output, not a binary file");
            }
            if (c == '\n') {
                lines.add(stripCr(text.substring(start, i)));
                start = i + 1;
            }
        }
        if (start < text.length()) lines.add(stripCr(text.substring(start)));
        return new SourceText(file, lines);
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    public String file() { return file; }

    public int lineCount() { return lines.size(); }

    /** Line {@code n}, 1-based, without its line ending. */
    public String line(int n) { return lines.get(n - 1); }

    public List<String> lines() { return lines; }

    /** True when the line holds only spaces and tabs (or nothing). */
    public static boolean isBlank(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t') return false;
        }
        return true;
    }

    /** 1-based column of the first non-blank character, or line length + 1. */
    public static int indent(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) i++;
        return i + 1;
    }

    public InputException error(int line, int column, String token, String problem) {
        return new InputException(file, line, column, token, problem);
    }

    public InputException error(int line, int column, String token, String problem, String hint) {
        return new InputException(file, line, column, token, problem, hint);
    }

    public InputException error(Token token, String problem) {
        return new InputException(file, token.line(), token.column(), token.text(), problem);
    }

    public InputException error(Token token, String problem, String hint) {
        return new InputException(file, token.line(), token.column(), token.text(), problem, hint);
    }

    /** Whitespace-separated tokens of line {@code n}. */
    public Tokens tokens(int n) { return Tokens.of(this, n); }
}
