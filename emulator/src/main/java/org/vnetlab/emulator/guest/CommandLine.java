package org.vnetlab.emulator.guest;

import java.util.ArrayList;
import java.util.List;

/**
 * A typed command line split into words, the way cmd.exe or a POSIX shell would for the simple lines a
 * user types at a guest: whitespace separates words, double quotes (and on Linux single quotes) group.
 * Redirections, pipes and variables are not supported and are refused by name.
 */
public record CommandLine(String text, List<String> words) {

    public CommandLine {
        words = List.copyOf(words);
    }

    public static CommandLine parse(String text, boolean posix) throws CommandException {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else word.append(c);
                continue;
            }
            if (c == '"' || (posix && c == '\'')) {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if (c == '|' || c == '>' || c == '<' || c == '&' || c == ';' || (posix && (c == '$' || c == '`'))) {
                throw new CommandException(String.valueOf(c),
                        "shell syntax '" + c + "' is not supported: type one command without pipes, redirections or variables");
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new CommandException(String.valueOf(quote), "unterminated quote");
        if (inWord) words.add(word.toString());
        return new CommandLine(text, words);
    }

    public String command() { return words.isEmpty() ? "" : words.get(0); }

    public List<String> args() { return words.isEmpty() ? List.of() : words.subList(1, words.size()); }
}
