package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.List;

/** Splits lines into {@link Token}s the way the two inputs really are split. */
final class Tokenizer {
    private Tokenizer() {}

    /**
     * iptables-restore's splitting (add_param_to_argv): words separated by blanks; double quotes group a
     * word and inside them a backslash escapes the next character. Single quotes are ordinary characters
     * there (iptables-restore really rejects {@code --comment 'a b'}).
     */
    static List<Token> restoreLine(String line, int firstColumn) {
        List<Token> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inQuote = false, quoted = false, escaped = false;
        int start = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inQuote) {
                if (escaped) {
                    cur.append(c);
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inQuote = false;
                } else {
                    cur.append(c);
                }
                continue;
            }
            if (c == '"') {
                if (start < 0) start = i;
                inQuote = true;
                quoted = true;
            } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (start >= 0) {
                    out.add(new Token(cur.toString(), start + firstColumn));
                    cur.setLength(0);
                    start = -1;
                    quoted = false;
                }
            } else {
                if (start < 0) start = i;
                cur.append(c);
            }
        }
        if (start >= 0 && (cur.length() > 0 || quoted)) out.add(new Token(cur.toString(), start + firstColumn));
        return out;
    }

    /** Thrown for an unterminated quote in a shell line; the caller turns it into an InputException. */
    static final class UnterminatedQuote extends Exception {
        private static final long serialVersionUID = 1L;
        final int column;

        UnterminatedQuote(int column) {
            super(null, null, false, false);
            this.column = column;
        }
    }

    /**
     * POSIX shell word splitting as a sysadmin's command line needs it: blanks separate, single quotes
     * are literal, double quotes allow {@code \" \\ \$ \`} escapes, a backslash outside quotes escapes the
     * next character, and a backslash-newline joins lines (libvirt's argument files use that).
     */
    static List<Token> shellLine(String line) throws UnterminatedQuote {
        List<Token> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int start = -1;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '\n') {
                i += 2;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (start >= 0) {
                    out.add(new Token(cur.toString(), start + 1));
                    cur.setLength(0);
                    start = -1;
                }
                i++;
                continue;
            }
            if (start < 0) start = i;
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) throw new UnterminatedQuote(i + 1);
                cur.append(line, i + 1, end);
                i = end + 1;
            } else if (c == '"') {
                int j = i + 1;
                while (true) {
                    if (j >= line.length()) throw new UnterminatedQuote(i + 1);
                    char d = line.charAt(j);
                    if (d == '"') break;
                    if (d == '\\' && j + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(j + 1)) >= 0) {
                        if (line.charAt(j + 1) != '\n') cur.append(line.charAt(j + 1));
                        j += 2;
                    } else {
                        cur.append(d);
                        j++;
                    }
                }
                i = j + 1;
            } else if (c == '\\' && i + 1 < line.length()) {
                cur.append(line.charAt(i + 1));
                i += 2;
            } else {
                cur.append(c);
                i++;
            }
        }
        if (start >= 0) out.add(new Token(cur.toString(), start + 1));
        return out;
    }
}
