package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.Counter;
import org.vnetlab.emulator.netfilter.Policy;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;

/**
 * Reads what {@code iptables-save} (1.8, legacy or nft) writes and what {@code iptables-restore} accepts:
 * {@code # comments} (including iptables-nft's "iptables-legacy tables present" warning, kept as
 * {@link Ruleset#legacyTablesPresent()}), {@code *table}, chain lines {@code :NAME POLICY [p:b]},
 * command lines ({@code -A CHAIN ...} with an optional {@code [p:b]} prefix, and the other commands
 * iptables-restore runs: -I, -D, -R, -N, -X, -F, -Z, -P, -E), {@code COMMIT}.
 *
 * <p>All or nothing: the result is returned only when every table committed; any error is an
 * {@link InputException} naming the line and token. Without {@code noflush} each table in the input
 * replaces the existing one entirely (a second block for the same table replaces the first, as in
 * iptables-restore).
 */
public final class IptablesSaveParser {
    static final String LEGACY_WARNING = "# Warning: iptables-legacy tables present";

    private IptablesSaveParser() {}

    public static SaveFile parse(String text, String fileName) throws InputException {
        return parse(text, fileName, ParseOptions.strict());
    }

    public static SaveFile parse(String text, String fileName, ParseOptions options) throws InputException {
        RuleCounters counters = new RuleCounters();
        List<ParseWarning> warnings = new ArrayList<>();
        Ruleset r = restore(Ruleset.EMPTY, counters, text, fileName, false, true, options, warnings);
        return new SaveFile(r, counters, warnings);
    }

    /**
     * {@code iptables-restore [--noflush] -c}: applies {@code text} to {@code current}. Counters in the
     * input are loaded into {@code counters}; on failure nothing changes.
     */
    public static Ruleset restore(Ruleset current, RuleCounters counters, String text, String fileName, boolean noflush)
            throws InputException {
        return restore(current, counters, text, fileName, noflush, true);
    }

    /**
     * {@code iptables-restore [--noflush] [-c]}: applies {@code text} to {@code current}; on failure nothing
     * changes. Without {@code -c} ({@code loadCounters} false) the tool ignores the {@code [packets:bytes]}
     * of chain and rule lines, as iptables-restore 1.8.9 does: the rules it adds and the built-in chains it
     * names start from zero (a rule's own {@code -c P B} option still counts).
     */
    public static Ruleset restore(Ruleset current, RuleCounters counters, String text, String fileName, boolean noflush,
                                  boolean loadCounters) throws InputException {
        return restore(current, counters, text, fileName, noflush, loadCounters, ParseOptions.strict(), new ArrayList<>());
    }

    static Ruleset restore(Ruleset current, RuleCounters counters, String text, String fileName, boolean noflush,
                           boolean loadCounters, ParseOptions options, List<ParseWarning> warnings) throws InputException {
        Executor.State st = new Executor.State(current, counters.copy());
        // The kernel checks a table when it is committed. Checking the whole table after every rule line made a
        // large ruleset quadratic (30 000 rules: about a minute), so a strict load checks once at COMMIT and, only
        // when that fails, runs the block again line by line to name the failing rule's own line.
        boolean checkAtCommit = !options.skipBadLines();
        Executor.State blockStart = null;
        int blockStartIndex = -1;
        String[] lines = text.split("\n", -1);
        int lineCount = lines.length;
        if (lineCount > 0 && lines[lineCount - 1].isEmpty()) lineCount--;
        TableName table = null;
        int tableLine = 0;
        boolean skipBlock = false;
        boolean legacy = current.legacyTablesPresent();
        for (int i = 0; i < lineCount; i++) {
            String raw = lines[i];
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            int no = i + 1;
            Source src = new Source(fileName, no, line);
            String trimmed = line.strip();
            if (trimmed.isEmpty()) continue;
            if (trimmed.startsWith("#")) {
                if (trimmed.startsWith(LEGACY_WARNING)) legacy = true;
                continue;
            }
            try {
                if (skipBlock) {
                    if (trimmed.equals("COMMIT")) skipBlock = false;
                    continue;
                }
                if (trimmed.startsWith("*")) {
                    blockStart = new Executor.State(st.ruleset, st.counters.copy());
                    blockStartIndex = i;
                    st.deferKernelChecks = checkAtCommit;
                    if (table != null) {
                        throw src.error(new Token(trimmed, col(line)), "iptables-restore: COMMIT expected at line " + no,
                                "table '" + table + "' opened at line " + tableLine + " was never committed");
                    }
                    String name = trimmed.substring(1).strip();
                    Optional<TableName> tn = TableName.of(name);
                    if (tn.isEmpty()) {
                        skipBlock = options.skipBadLines();
                        throw src.error(new Token(trimmed, col(line)), "iptables-restore: line " + no + " table name '" + name + "' invalid",
                                "iptables tables are raw, mangle, nat, filter and security");
                    }
                    table = tn.get();
                    tableLine = no;
                    if (!noflush) {
                        for (Chain c : st.ruleset.tableOrEmpty(table).chains()) st.counters.chainDeleted(new ChainRef(table, c.name()));
                        st.ruleset = st.ruleset.with(Table.empty(table));
                    } else if (st.ruleset.table(table).isEmpty()) {
                        st.ruleset = st.ruleset.with(Table.empty(table));
                    }
                    continue;
                }
                if (trimmed.equals("COMMIT")) {
                    if (table == null) throw src.error(new Token("COMMIT", col(line)), "COMMIT without a table", "start the block with *filter (or another table)");
                    if (st.deferKernelChecks && KernelChecks.check(st.ruleset.tableOrEmpty(table)).isPresent()) {
                        st = blockStart;
                        st.incrementalChecks = true; // the replay judges each line as the kernel would, from the last table that passed
                        checkAtCommit = false;
                        table = null;
                        i = blockStartIndex - 1;
                        continue;
                    }
                    st.deferKernelChecks = false;
                    table = null;
                    continue;
                }
                if (table == null) {
                    throw src.lineError("iptables-restore: no table specified before this line", "start a block with *filter, *nat, *mangle, *raw or *security");
                }
                if (trimmed.startsWith(":")) {
                    chainLine(line, table, st, src, warnings, loadCounters);
                    continue;
                }
                ruleLine(line, table, st, src, loadCounters);
            } catch (InputException e) {
                if (!options.skipBadLines()) throw e;
                warnings.add(new ParseWarning(fileName, no, "skipped: " + e.getMessage()));
            }
        }
        if (table != null) {
            InputException e = new InputException(fileName, lineCount + 1, 0, null,
                    "iptables-restore: COMMIT expected at line " + (lineCount + 1),
                    "table '" + table + "' opened at line " + tableLine + " has no COMMIT; iptables-restore loads nothing from it");
            if (!options.skipBadLines()) throw e;
            warnings.add(new ParseWarning(fileName, lineCount + 1, "missing COMMIT for table " + table + " accepted in permissive mode"));
        }
        counters.replaceWith(st.counters);
        return st.ruleset.withLegacyTablesPresent(legacy);
    }

    private static int col(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) i++;
        return i + 1;
    }

    private static void chainLine(String line, TableName tn, Executor.State st, Source src, List<ParseWarning> warnings,
                                  boolean loadCounters) throws InputException {
        List<Token> toks = Tokenizer.restoreLine(line, 1);
        Token first = toks.get(0);
        String name = first.text().substring(1);
        Token nameTok = new Token(name, first.column() + 1);
        if (name.isEmpty()) throw src.error(first, "iptables-restore: line " + src.line() + ": no chain name given");
        if (toks.size() < 2) throw src.error(first, "iptables-restore: line " + src.line() + ": no policy specified", "write ':" + name + " - [0:0]' for a user chain");
        Token pol = toks.get(1);
        Optional<Counter> counter = Optional.empty();
        if (toks.size() >= 3) counter = Optional.of(counters(toks.get(2), src));
        if (toks.size() > 3) throw src.error(toks.get(3), "unexpected word after the chain counters");
        Table t = st.ruleset.tableOrEmpty(tn);
        ChainRef ref = new ChainRef(tn, name);
        if (tn.hasBuiltin(name)) {
            Chain c = t.chain(name).orElseThrow();
            switch (pol.text()) {
                case "ACCEPT" -> c = c.withPolicy(Policy.ACCEPT);
                case "DROP" -> {
                    if (tn == TableName.NAT) {
                        throw src.error(pol, "The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.");
                    }
                    c = c.withPolicy(Policy.DROP);
                }
                case "-" -> { }
                default -> throw src.error(pol, "iptables-restore: line " + src.line() + " failed: Bad policy name.", "a built-in chain's policy is ACCEPT or DROP");
            }
            st.ruleset = st.ruleset.with(t.with(c));
            // without -c the tool hands the kernel zero counters for the chain it names
            if (loadCounters) counter.ifPresent(k -> st.counters.setPolicy(ref, k));
            else st.counters.setPolicy(ref, Counter.ZERO);
            return;
        }
        if (!pol.text().equals("-")) {
            if (!pol.text().equals("ACCEPT") && !pol.text().equals("DROP")) {
                throw src.error(pol, "iptables-restore: line " + src.line() + " failed: Bad policy name.", "user chains are written with policy '-'");
            }
            warnings.add(new ParseWarning(src.file(), src.line(), "policy " + pol.text() + " on user chain " + name
                    + " is ignored (only built-in chains have a policy)"));
        }
        if (CommandLine.isTargetName(name)) throw src.error(nameTok, "chain name may not clash with target name");
        if (name.length() >= 29) throw src.error(nameTok, "chain name `" + name + "' too long (must be under 29 chars)");
        if (name.startsWith("-") || name.startsWith("!")) throw src.error(nameTok, "chain name not allowed to start with `" + name.charAt(0) + "'");
        Optional<Chain> existing = t.chain(name);
        // an existing user chain (--noflush, or declared twice) is flushed, as iptables-restore does
        st.ruleset = st.ruleset.with(t.with(existing.map(c -> c.withRules(List.of())).orElse(Chain.user(name))));
        st.counters.chainFlushed(ref);
    }

    private static Counter counters(Token t, Source src) throws InputException {
        String s = t.text();
        if (s.startsWith("[") && s.endsWith("]")) {
            String[] pb = s.substring(1, s.length() - 1).split(":", -1);
            if (pb.length == 2) {
                try {
                    return new Counter(Long.parseUnsignedLong(pb[0]), Long.parseUnsignedLong(pb[1]));
                } catch (IllegalArgumentException e) {
                    // fall through to the error below
                }
            }
        }
        throw src.error(t, "iptables-restore: line " + src.line() + ": invalid counters", "counters are written [packets:bytes]");
    }

    private static void ruleLine(String line, TableName tn, Executor.State st, Source src, boolean loadCounters) throws InputException {
        List<Token> toks = Tokenizer.restoreLine(line, 1);
        Optional<Counter> counter = Optional.empty();
        if (!toks.isEmpty() && toks.get(0).text().startsWith("[")) {
            Counter read = counters(toks.get(0), src); // read (and checked) either way, as the tool does
            if (loadCounters) counter = Optional.of(read);
            toks = toks.subList(1, toks.size());
        }
        CommandLine.Parsed p = CommandLine.parse(toks, src, true);
        p.table = tn.iptablesName();
        if (counter.isPresent()) {
            if (p.counters.isPresent()) throw src.error(toks.get(0), "counters given twice ([p:b] and -c)");
            p.counters = counter;
        }
        Executor.apply(p, st, src);
    }
}
