package org.vnetlab.emulator.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One edit of a text file, of the kinds a broken copy-paste or a slip of the keyboard makes: lines deleted,
 * duplicated, swapped, the file or a line cut short; a token deleted, duplicated, swapped with its neighbour,
 * a character changed, a number pushed out of its range, a word replaced by one no tool knows. The three
 * numbers pick the line, token and replacement (modulo what there is), so a list of edits is a plain value
 * that jqwik can generate and shrink.
 */
public record TextMutation(Kind kind, int a, int b, int c) {
    public enum Kind {
        DELETE_LINE, DUPLICATE_LINE, SWAP_LINES, TRUNCATE_FILE, CUT_LINE,
        DELETE_TOKEN, DUPLICATE_TOKEN, SWAP_TOKENS, CHANGE_CHAR, NUMBER_OUT_OF_RANGE, UNKNOWN_WORD
    }

    /** Characters that mean something to at least one of the formats (separators, quotes, globs) and some that never do. */
    private static final String CHARS = "0123456789aZ-./:=,;#!*?[]{}<>\"'\\& \t\u00e9\u200b\r";
    private static final List<String> NUMBERS = List.of("-1", "0", "256", "65536", "4294967296",
            "99999999999999999999999", "1e3", "0x10", "1.5", "08");
    private static final List<String> WORDS = List.of("frobnicate", "--frobnicate", "-Y", "!", "=", "'", "\"", "\\",
            "$(reboot)", "../../../etc/passwd", "<x>", "&amp;", "%s%n", "\u00e9t\u00e9", "");
    private static final Pattern TOKEN = Pattern.compile("\\S+");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** The text after every edit in order. */
    public static String applyAll(String text, List<TextMutation> edits) {
        String t = text;
        for (TextMutation m : edits) t = m.apply(t);
        return t;
    }

    public String apply(String text) {
        List<String> lines = lines(text);
        if (lines.isEmpty()) return text;
        int i = Math.floorMod(a, lines.size());
        String line = lines.get(i);
        switch (kind) {
            case DELETE_LINE -> lines.remove(i);
            case DUPLICATE_LINE -> lines.add(i, line);
            case SWAP_LINES -> {
                int j = Math.floorMod(b, lines.size());
                lines.set(i, lines.get(j));
                lines.set(j, line);
            }
            case TRUNCATE_FILE -> {
                List<String> kept = new ArrayList<>(lines.subList(0, i));
                kept.add(line.substring(0, Math.floorMod(b, line.length() + 1)));
                return String.join("", kept);
            }
            case CUT_LINE -> lines.set(i, line.substring(0, Math.floorMod(b, body(line).length() + 1)) + ending(line));
            default -> lines.set(i, editToken(line));
        }
        return String.join("", lines);
    }

    private String editToken(String line) {
        String body = body(line);
        List<int[]> tokens = spans(TOKEN, body);
        if (kind == Kind.NUMBER_OUT_OF_RANGE) {
            List<int[]> numbers = spans(NUMBER, body);
            if (numbers.isEmpty()) return line;
            int[] n = numbers.get(Math.floorMod(b, numbers.size()));
            return replace(body, n, NUMBERS.get(Math.floorMod(c, NUMBERS.size()))) + ending(line);
        }
        if (tokens.isEmpty()) return line;
        int k = Math.floorMod(b, tokens.size());
        int[] t = tokens.get(k);
        String token = body.substring(t[0], t[1]);
        String edited = switch (kind) {
            case DELETE_TOKEN -> replace(body, t, "");
            case DUPLICATE_TOKEN -> replace(body, t, token + " " + token);
            case SWAP_TOKENS -> {
                if (tokens.size() < 2) yield body;
                int[] u = tokens.get((k + 1) % tokens.size());
                int[] first = t[0] < u[0] ? t : u;
                int[] second = t[0] < u[0] ? u : t;
                yield body.substring(0, first[0]) + body.substring(second[0], second[1])
                        + body.substring(first[1], second[0]) + body.substring(first[0], first[1]) + body.substring(second[1]);
            }
            case CHANGE_CHAR -> {
                int at = t[0] + Math.floorMod(c, token.length());
                yield body.substring(0, at) + CHARS.charAt(Math.floorMod(c / 7 + b, CHARS.length())) + body.substring(at + 1);
            }
            case UNKNOWN_WORD -> replace(body, t, WORDS.get(Math.floorMod(c, WORDS.size())));
            default -> throw new IllegalStateException(kind.name());
        };
        return edited + ending(line);
    }

    /** The lines of {@code text}, each with its own line ending. */
    static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < text.length()) out.add(text.substring(start));
        return out;
    }

    private static String body(String line) {
        return line.endsWith("\n") ? line.substring(0, line.length() - 1) : line;
    }

    private static String ending(String line) {
        return line.endsWith("\n") ? "\n" : "";
    }

    private static List<int[]> spans(Pattern p, String s) {
        List<int[]> out = new ArrayList<>();
        Matcher m = p.matcher(s);
        while (m.find()) out.add(new int[] {m.start(), m.end()});
        return out;
    }

    private static String replace(String s, int[] span, String with) {
        return s.substring(0, span[0]) + with + s.substring(span[1]);
    }
}
