package org.vnetlab.emulator.hostconf.text;

import java.util.regex.Pattern;

/**
 * Recognises the command line a user pastes along with a command's output ({@code $ ip route},
 * {@code root@host:~# sudo route -n}, {@code C:\Users\me>ipconfig /all}). Such a line is known and
 * ignorable: parsers note it instead of rejecting the paste.
 */
public final class ShellPrompt {
    private static final Pattern UNIX = Pattern.compile(
            "^\\s*(?:\\[?[\\w.-]+@[\\w.-]+[^$#]*\\]?)?[$#]\\s*(?:sudo\\s+)?(\\S+).*$");
    private static final Pattern WINDOWS = Pattern.compile("^\\s*(?:PS )?[A-Za-z]:\\\\[^>]*>\\s*(\\S+).*$");

    private ShellPrompt() {}

    /** True when {@code line} is a prompt followed by one of {@code commands} (matched on the first word). */
    public static boolean isCommandEcho(String line, String... commands) {
        var m = UNIX.matcher(line);
        if (!m.matches()) m = WINDOWS.matcher(line);
        if (!m.matches()) return false;
        String word = m.group(1).toLowerCase(java.util.Locale.ROOT);
        if (word.endsWith(".exe")) word = word.substring(0, word.length() - 4);
        for (String c : commands) if (word.equals(c)) return true;
        return false;
    }
}
