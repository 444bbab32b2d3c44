package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;

/**
 * One {@code iptables} invocation, as a sysadmin or libvirt types it: {@code [sudo] iptables [-w] [-t T]
 * -A|-I [n]|-D|-R n|-C|-N|-X|-F|-Z|-P|-E|-L|-S ...}, short or long options. Parsing checks the syntax the
 * way iptables 1.8.9 does; {@link #apply} runs it against a ruleset and reports iptables' own error texts
 * ("iptables: Bad rule (does a matching rule exist in that chain?)." ...). IPv4 only: {@code ip6tables}
 * is refused.
 */
public final class IptablesCommand {
    /** The ruleset after the command, and what iptables would print (listings; "" otherwise). */
    public record Result(Ruleset ruleset, String output) {}

    private final CommandLine.Parsed parsed;
    private final Source source;

    private IptablesCommand(CommandLine.Parsed parsed, Source source) {
        this.parsed = parsed;
        this.source = source;
    }

    /**
     * Parses a command line; the program name ({@code iptables}, {@code iptables-nft}, {@code
     * iptables-legacy}, optionally a path and a leading {@code sudo}) may be given or left out.
     *
     * @param sourceName names the input in errors and in the rules' origin (e.g. "commands.txt")
     * @param line       its line number there (1 for a single command)
     */
    public static IptablesCommand parse(String commandLine, String sourceName, int line) throws InputException {
        List<Token> tokens;
        try {
            tokens = Tokenizer.shellLine(commandLine);
        } catch (Tokenizer.UnterminatedQuote e) {
            throw new InputException(sourceName, line, e.column, null, "unterminated quote", "close the quote");
        }
        return parse(tokens, new Source(sourceName, line, commandLine.strip()));
    }

    public static IptablesCommand parse(String commandLine) throws InputException {
        return parse(commandLine, "<command>", 1);
    }

    /** Parses an argument vector (each element one word, no shell quoting), program name optional. */
    public static IptablesCommand parse(List<String> argv, String sourceName, int line) throws InputException {
        List<Token> tokens = new ArrayList<>();
        int col = 1;
        for (String a : argv) {
            tokens.add(new Token(a, col));
            col += a.length() + 1;
        }
        return parse(tokens, new Source(sourceName, line, String.join(" ", argv)));
    }

    private static IptablesCommand parse(List<Token> tokens, Source src) throws InputException {
        int i = 0;
        if (i < tokens.size() && tokens.get(i).text().equals("sudo")) i++;
        if (i < tokens.size() && !tokens.get(i).text().startsWith("-")) {
            Token prog = tokens.get(i);
            String name = prog.text().substring(prog.text().lastIndexOf('/') + 1);
            if (name.startsWith("ip6tables")) {
                throw src.error(prog, "ip6tables is not supported", "vnetlab models the IPv4 netfilter tables only");
            }
            if (!name.equals("iptables") && !name.equals("iptables-nft") && !name.equals("iptables-legacy")) {
                throw src.error(prog, "not an iptables command", "expected iptables, iptables-nft or iptables-legacy");
            }
            i++;
        }
        if (i >= tokens.size()) throw src.lineError("no command specified", "e.g. iptables -L -n -v");
        return new IptablesCommand(CommandLine.parse(tokens.subList(i, tokens.size()), src, false), src);
    }

    /** Applies the command; nothing changes when it fails. Counters of untouched rules start at zero. */
    public Result apply(Ruleset ruleset) throws InputException {
        return apply(ruleset, new RuleCounters());
    }

    /**
     * Applies the command and keeps {@code counters} in step (rule numbers shift on insert/delete, -Z
     * zeroes them, listings read them). On failure neither the ruleset nor the counters change.
     */
    public Result apply(Ruleset ruleset, RuleCounters counters) throws InputException {
        Executor.State st = new Executor.State(ruleset, counters.copy());
        String out = Executor.apply(parsed, st, source);
        counters.replaceWith(st.counters);
        return new Result(st.ruleset, out);
    }

    /** Applies the command to a batch's working state (the batch keeps it all-or-nothing). */
    String applyTo(Executor.State st) throws InputException { return Executor.apply(parsed, st, source); }

    /** The table the command addresses ({@code -t}, default filter), as written. */
    public String table() { return parsed.table; }

    /** The command letter iptables uses for it: 'A', 'I', 'D', 'L', ... */
    public char command() { return parsed.cmd.letter; }

    /** The chain named by the command, or "" when none (e.g. {@code -L} of all chains). */
    public String chain() { return parsed.chain == null ? "" : parsed.chain; }
}
