package org.vnetlab.emulator.nftables.syntax;

/**
 * A word of nft's language: a bare word (names, numbers, addresses with their {@code /}, {@code -} and {@code :}),
 * a quoted string, punctuation, an operator, or the end of a line (a statement separator, like {@code ;}).
 */
record Token(Kind kind, String text, int line, int column) {
    enum Kind { WORD, STRING, LBRACE, RBRACE, LPAREN, RPAREN, SEMICOLON, NEWLINE, COMMA, AT, OP, EQUALS, PIPE, AMP, EOF }

    boolean is(String word) { return kind == Kind.WORD && text.equals(word); }

    boolean isSeparator() { return kind == Kind.SEMICOLON || kind == Kind.NEWLINE; }

    /** How the token appears in an error message. */
    String shown() {
        return switch (kind) {
            case NEWLINE -> "end of line";
            case EOF -> "end of input";
            case STRING -> "\"" + text + "\"";
            default -> text;
        };
    }
}
