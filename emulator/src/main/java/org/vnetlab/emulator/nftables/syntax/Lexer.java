package org.vnetlab.emulator.nftables.syntax;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.input.InputException;

/**
 * Splits nft text into tokens. {@code #} starts a comment to the end of the line (the {@code # handle N} that
 * {@code nft -a list} prints and nft's warnings are comments too); strings are double-quoted without escapes,
 * as nft 1.0.6 reads them; a backslash before a newline joins lines.
 */
final class Lexer {
    private static final String PUNCT = "{}();,@=!<>|&\"#";

    private Lexer() {}

    static List<Token> tokens(String file, String text) throws InputException {
        List<Token> out = new ArrayList<>();
        int line = 1, col = 1;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.add(new Token(Token.Kind.NEWLINE, "\n", line, col));
                i++;
                line++;
                col = 1;
                continue;
            }
            if (c == '\\' && i + 1 < n && text.charAt(i + 1) == '\n') {
                i += 2;
                line++;
                col = 1;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                i++;
                col++;
                continue;
            }
            if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                    col++;
                }
                continue;
            }
            int startCol = col;
            if (c == '"') {
                int close = text.indexOf('"', i + 1);
                int nl = text.indexOf('\n', i + 1);
                if (close < 0 || (nl >= 0 && nl < close)) {
                    throw new InputException(file, line, col, text.substring(i, nl < 0 ? n : nl), "unterminated string");
                }
                String s = text.substring(i + 1, close);
                if (s.contains("\\")) {
                    throw new InputException(file, line, col, "\"" + s + "\"", "backslash escapes in strings are not understood by nft 1.0.6");
                }
                out.add(new Token(Token.Kind.STRING, s, line, startCol));
                col += close + 1 - i;
                i = close + 1;
                continue;
            }
            Token.Kind single = switch (c) {
                case '{' -> Token.Kind.LBRACE;
                case '}' -> Token.Kind.RBRACE;
                case '(' -> Token.Kind.LPAREN;
                case ')' -> Token.Kind.RPAREN;
                case ';' -> Token.Kind.SEMICOLON;
                case ',' -> Token.Kind.COMMA;
                case '@' -> Token.Kind.AT;
                case '|' -> Token.Kind.PIPE;
                case '&' -> Token.Kind.AMP;
                default -> null;
            };
            if (single != null) {
                out.add(new Token(single, String.valueOf(c), line, startCol));
                i++;
                col++;
                continue;
            }
            if (c == '=' || c == '!' || c == '<' || c == '>') {
                String op;
                if (i + 1 < n && text.charAt(i + 1) == '=') {
                    op = text.substring(i, i + 2);
                } else {
                    op = String.valueOf(c);
                }
                if (op.equals("!")) throw new InputException(file, line, col, "!", "'!' on its own is not nft syntax", "write != to negate a match");
                out.add(new Token(op.equals("=") ? Token.Kind.EQUALS : Token.Kind.OP, op, line, startCol));
                i += op.length();
                col += op.length();
                continue;
            }
            int start = i;
            while (i < n) {
                char d = text.charAt(i);
                if (d == ' ' || d == '\t' || d == '\r' || d == '\n' || PUNCT.indexOf(d) >= 0) break;
                i++;
            }
            out.add(new Token(Token.Kind.WORD, text.substring(start, i), line, startCol));
            col += i - start;
        }
        out.add(new Token(Token.Kind.EOF, "", line, col));
        return out;
    }
}
