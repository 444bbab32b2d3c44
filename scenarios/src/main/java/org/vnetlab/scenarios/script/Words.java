package org.vnetlab.scenarios.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits text into words as a POSIX shell does for simple commands: blanks separate words, single quotes
 * keep everything literally, double quotes keep blanks and allow {@code \"} and {@code \\}, a backslash
 * outside quotes escapes the next character. No expansion of any kind happens.
 */
public final class Words {
    private Words() {}

    /** Thrown for an unterminated quote; {@code offset} is where the quote opened. */
    public static final class UnclosedQuote extends Exception {
        private static final long serialVersionUID = 1L;
        public final int offset;
        public final char quote;

        UnclosedQuote(int offset, char quote) {
            super("unclosed " + quote);
            this.offset = offset;
            this.quote = quote;
        }
    }

    public static List<Word> split(String text) throws UnclosedQuote {
        List<Word> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isBlank(text.charAt(i))) i++;
            if (i >= n) break;
            int start = i;
            StringBuilder value = new StringBuilder();
            boolean quoted = false;
            while (i < n && !isBlank(text.charAt(i))) {
                char c = text.charAt(i);
                if (c == '\'') {
                    int close = text.indexOf('\'', i + 1);
                    if (close < 0) throw new UnclosedQuote(i, c);
                    value.append(text, i + 1, close);
                    quoted = true;
                    i = close + 1;
                } else if (c == '"') {
                    int j = i + 1;
                    boolean closed = false;
                    while (j < n) {
                        char d = text.charAt(j);
                        if (d == '\\' && j + 1 < n && "\"\\$`".indexOf(text.charAt(j + 1)) >= 0) {
                            value.append(text.charAt(j + 1));
                            j += 2;
                        } else if (d == '"') {
                            closed = true;
                            break;
                        } else {
                            value.append(d);
                            j++;
                        }
                    }
                    if (!closed) throw new UnclosedQuote(i, c);
                    quoted = true;
                    i = j + 1;
                } else if (c == '\\' && i + 1 < n) {
                    value.append(text.charAt(i + 1));
                    quoted = true;
                    i += 2;
                } else {
                    value.append(c);
                    i++;
                }
            }
            out.add(new Word(value.toString(), text.substring(start, i), start, quoted));
        }
        return out;
    }

    /** The offset of the first unquoted, blank-delimited occurrence of {@code operator}, if any. */
    public static Optional<Integer> findOperator(String text, String operator) throws UnclosedQuote {
        for (Word w : split(text)) {
            if (!w.quoted() && w.raw().equals(operator)) return Optional.of(w.offset());
        }
        return Optional.empty();
    }

    static boolean isBlank(char c) { return c == ' ' || c == '\t'; }
}
