package org.vnetlab.emulator.guest;

import java.util.List;

/** A cursor over a command's arguments with the integer parsing every command needs. */
final class Args {
    private final List<String> words;
    private int i;

    Args(List<String> words) {
        this.words = words;
    }

    boolean more() { return i < words.size(); }

    String next() { return words.get(i++); }

    String peek() { return words.get(i); }

    /** The value after an option, or the error the program gives when it is missing. */
    String value(String option, String missingText) throws CommandException {
        if (!more()) throw new CommandException(option, "option " + option + " needs a value", missingText, 1);
        return next();
    }

    static long number(String option, String text, long min, long max, String badText) throws CommandException {
        try {
            long v = Long.parseLong(text);
            if (v < min || v > max) {
                throw new CommandException(text, "value for " + option + " out of range " + min + ".." + max, badText, 1);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CommandException(text, "value for " + option + " is not a number", badText, 1);
        }
    }
}
