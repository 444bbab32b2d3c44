package org.vnetlab.emulator.libvirt.firewall;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.input.InputException;

/**
 * The text form libvirt's test suite records firewall commands in (its dry-run log): one command per group of
 * lines, arguments joined by {@code " \"} line continuations, shell-quoted where needed. An option and its
 * value share a line; a free-standing word gets a line of its own unless it sits between an option's value and
 * the next option (iptables' {@code '!'}), as in libvirt's {@code *.args}, {@code *.iptables} and
 * {@code *.nftables} files.
 */
public final class LibvirtCommandLog {
    /** Characters that make libvirt single-quote an argument (its shell escaper's set). */
    private static final String SHELL_SPECIAL = "\r\t\n !\"#$&'()*;<>?[\\]^`{|}~";

    private LibvirtCommandLog() {}

    public static String format(List<FirewallCommand> commands) {
        StringBuilder sb = new StringBuilder();
        for (FirewallCommand c : commands) sb.append(format(c));
        return sb.toString();
    }

    public static String format(FirewallCommand command) {
        List<String> argv = command.argv();
        StringBuilder sb = new StringBuilder(escape(argv.get(0)));
        for (int i = 1; i < argv.size(); i++) {
            String arg = argv.get(i);
            boolean option = isOption(arg);
            boolean afterOption = isOption(argv.get(i - 1));
            boolean beforeOption = i + 1 < argv.size() && isOption(argv.get(i + 1));
            boolean lineBreak = option || !(afterOption || beforeOption);
            sb.append(lineBreak ? " \\\n" : " ").append(escape(arg));
        }
        return sb.append('\n').toString();
    }

    private static boolean isOption(String arg) {
        return arg.startsWith("-");
    }

    static String escape(String arg) {
        if (arg.isEmpty()) return "''";
        boolean special = false;
        for (int i = 0; i < arg.length() && !special; i++) special = SHELL_SPECIAL.indexOf(arg.charAt(i)) >= 0;
        if (!special) return arg;
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** Reads such a log back into commands (the program names iptables, ip6tables and nft). */
    public static List<FirewallCommand> parse(String file, String text) throws InputException {
        List<FirewallCommand> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder command = new StringBuilder();
        int firstLine = 1;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (command.length() == 0) {
                if (line.isBlank()) continue;
                firstLine = i + 1;
            }
            if (line.endsWith(" \\")) {
                command.append(line, 0, line.length() - 2).append(' ');
                continue;
            }
            command.append(line);
            out.add(command(file, firstLine, command.toString()));
            command.setLength(0);
        }
        if (command.length() > 0) throw new InputException(file, firstLine, 1, null, "command continues past the end of the file");
        return out;
    }

    private static FirewallCommand command(String file, int line, String text) throws InputException {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == ' ') {
                if (word != null) words.add(word.toString());
                word = null;
            } else if (ch == '\'') {
                int close = text.indexOf('\'', i + 1);
                if (close < 0) throw new InputException(file, line, i + 1, text.substring(i), "unterminated quote");
                if (word == null) word = new StringBuilder();
                word.append(text, i + 1, close);
                i = close;
            } else if (ch == '\\' && i + 1 < text.length()) {
                if (word == null) word = new StringBuilder();
                word.append(text.charAt(++i));
            } else {
                if (word == null) word = new StringBuilder();
                word.append(ch);
            }
        }
        if (word != null) words.add(word.toString());
        if (words.isEmpty()) throw new InputException(file, line, 1, null, "a command without words", "remove the blank line or its ' \\'");
        FirewallCommand.Tool tool = switch (words.get(0)) {
            case "iptables" -> FirewallCommand.Tool.IPTABLES;
            case "ip6tables" -> FirewallCommand.Tool.IP6TABLES;
            case "nft" -> FirewallCommand.Tool.NFT;
            default -> throw new InputException(file, line, 1, words.get(0), "not a firewall program");
        };
        return new FirewallCommand(tool, words.subList(1, words.size()));
    }
}
