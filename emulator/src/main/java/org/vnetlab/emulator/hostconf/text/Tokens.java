package org.vnetlab.emulator.hostconf.text;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.input.InputException;

/** A cursor over the whitespace-separated tokens (spaces or tabs) of one line. */
public final class Tokens {
    private final SourceText source;
    private final int line;
    private final int lineLength;
    private final List<Token> tokens;
    private int next;

    private Tokens(SourceText source, int line, int lineLength, List<Token> tokens) {
        this.source = source;
        this.line = line;
        this.lineLength = lineLength;
        this.tokens = tokens;
    }

    static Tokens of(SourceText source, int line) {
        return of(source, line, source.line(line), 0);
    }

    /** Tokens of {@code text}, a part of line {@code line} that starts at 0-based character {@code offset}. */
    public static Tokens of(SourceText source, int line, String text, int offset) {
        List<Token> list = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && text.charAt(i) != ' ' && text.charAt(i) != '\t') i++;
            list.add(new Token(text.substring(start, i), line, offset + start + 1));
        }
        return new Tokens(source, line, offset + text.length(), list);
    }

    public boolean hasNext() { return next < tokens.size(); }

    public Token peek() { return tokens.get(next); }

    public boolean peekIs(String s) { return hasNext() && peek().is(s); }

    public Token next() { return tokens.get(next++); }

    /** The next token, or an error naming what was expected after the previous one. */
    public Token expect(String what) throws InputException {
        if (hasNext()) return next();
        Token prev = next > 0 ? tokens.get(next - 1) : null;
        throw source.error(line, lineLength + 1, prev == null ? null : prev.text(),
                "missing " + what + (prev == null ? "" : " after '" + prev.text() + "'"));
    }

    public int size() { return tokens.size(); }

    public Token get(int i) { return tokens.get(i); }

    public List<Token> all() { return List.copyOf(tokens); }

    public List<Token> rest() {
        List<Token> r = List.copyOf(tokens.subList(next, tokens.size()));
        next = tokens.size();
        return r;
    }

    public SourceText source() { return source; }

    public int line() { return line; }
}
