package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;

/**
 * A list of iptables command lines, one per line with backslash-newline continuations (the shape of
 * libvirt's networkxml2firewalldata *.args/*.iptables files and of a sysadmin's shell script), applied in
 * order, all or nothing. Blank lines and {@code #} comments are skipped.
 */
public final class IptablesScript {
    /** One command with the line it starts on. */
    public record Command(int line, String text) {}

    /** The result of running the whole script: final ruleset and everything the commands printed. */
    public record Result(Ruleset ruleset, String output) {}

    private IptablesScript() {}

    /** Splits text into commands, joining backslash-newline continuations. */
    public static List<Command> commands(String text) {
        List<Command> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder cur = null;
        int start = 0;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (cur == null) {
                if (l.isBlank() || l.strip().startsWith("#")) continue;
                cur = new StringBuilder();
                start = i + 1;
            }
            if (l.endsWith("\\")) {
                cur.append(l, 0, l.length() - 1).append(' ');
                continue;
            }
            cur.append(l);
            out.add(new Command(start, cur.toString()));
            cur = null;
        }
        if (cur != null) out.add(new Command(start, cur.toString()));
        return out;
    }

    /** Runs every command against {@code ruleset}; on the first error nothing is applied. */
    public static Result apply(Ruleset ruleset, RuleCounters counters, String text, String fileName) throws InputException {
        // one working copy for the whole script (a failure drops it), and the kernel's table checks judged
        // command by command from the last table that passed: linear in the script, same verdicts
        Executor.State st = new Executor.State(ruleset, counters.copy());
        st.incrementalChecks = true;
        StringBuilder out = new StringBuilder();
        for (Command c : commands(text)) out.append(IptablesCommand.parse(c.text(), fileName, c.line()).applyTo(st));
        counters.replaceWith(st.counters);
        return new Result(st.ruleset, out.toString());
    }
}
