package org.vnetlab.emulator.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.driver.IptablesRunner;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.iptables.IptablesCommand;
import org.vnetlab.emulator.netfilter.iptables.IptablesSave;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;

/**
 * A host's live IPv4 iptables state: the ruleset the kernel holds now and its counters. Every change goes
 * through an iptables command (the user's, libvirt's) or a reload, all or nothing: the new ruleset is first
 * loaded into the kernel side ({@link Kernel}, the host's netfilter, which may refuse it as the kernel refuses
 * a bad table), then committed and announced to the listeners. Conntrack is not reset by a rule change, as
 * in the kernel. The only mutable netfilter configuration of a host.
 */
public final class HostIptables implements IptablesRunner {
    /** Where a new ruleset goes live; refusing it fails the command that made it. */
    @FunctionalInterface
    public interface Kernel {
        void load(Ruleset ruleset) throws InputException;
    }

    private Ruleset ruleset;
    private final RuleCounters counters;
    private Kernel kernel = r -> { };
    /** What iptables' extensions ask the kernel while parsing (libxt_set: does the set exist?); nothing by default. */
    private java.util.function.Function<Ruleset, java.util.Optional<InputException>> parseCheck = r -> java.util.Optional.empty();
    private final List<Consumer<Ruleset>> listeners = new ArrayList<>();
    private final List<String> history = new ArrayList<>();

    public HostIptables(Ruleset initial, RuleCounters counters) {
        this.ruleset = Objects.requireNonNull(initial, "initial");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    public Ruleset ruleset() { return ruleset; }

    public RuleCounters counters() { return counters; }

    /** Every command that changed or listed the ruleset, as typed or as libvirt passed it, in order. */
    public List<String> history() { return List.copyOf(history); }

    /** Plugs the host's netfilter in: every later change is loaded there before it counts. */
    public void setKernel(Kernel k) { this.kernel = Objects.requireNonNull(k, "kernel"); }

    /**
     * A check iptables makes while it parses a rule, by asking the kernel (as libxt_set looks its set up by name):
     * a ruleset it refuses fails the command, {@code --test} included, and nothing changes.
     */
    public void setParseCheck(java.util.function.Function<Ruleset, java.util.Optional<InputException>> check) {
        this.parseCheck = Objects.requireNonNull(check);
    }

    /** Called with the new ruleset after every change. */
    public void addListener(Consumer<Ruleset> listener) { listeners.add(Objects.requireNonNull(listener)); }

    /** {@code iptables ARGS...} as libvirt runs it; returns what iptables printed. */
    @Override
    public String run(List<String> args) throws InputException {
        List<String> argv = new ArrayList<>();
        argv.add("iptables");
        argv.addAll(args);
        IptablesCommand cmd = IptablesCommand.parse(argv, "libvirtd", 1);
        return apply(cmd, String.join(" ", argv));
    }

    /** A command line as a user types it: {@code sudo iptables -t filter -D LIBVIRT_FWI 2}. */
    public String command(String line) throws InputException {
        return apply(IptablesCommand.parse(line, "<command>", 1), line.strip());
    }

    /**
     * {@code iptables-restore [--noflush] [--test] [-c] FILE}: the whole file or nothing. Each table block
     * replaces that table (with {@code noflush}, its commands run on the live table); the result is loaded into
     * the kernel at once, as one transaction. With {@code test} the file is only checked: nothing changes.
     * Without {@code loadCounters} ({@code -c}) the file's {@code [packets:bytes]} are ignored, as the real tool
     * ignores them: what it adds starts from zero.
     *
     * @param fileName what errors name the input by
     * @throws InputException naming the file's line and token; the ruleset and counters are unchanged
     */
    public void restore(String text, String fileName, boolean noflush, boolean test, boolean loadCounters) throws InputException {
        RuleCounters work = counters.copy();
        Ruleset r = IptablesSaveParser.restore(ruleset, work, text, fileName, noflush, loadCounters);
        java.util.Optional<InputException> refused = parseCheck.apply(r);
        if (refused.isPresent()) throw refused.get();
        if (test) return;
        if (!sameOrder(r, ruleset)) kernel.load(r);
        counters.replaceWith(work);
        history.add("iptables-restore" + (noflush ? " --noflush" : "") + (loadCounters ? " -c" : "") + " " + fileName);
        if (!sameOrder(r, ruleset)) {
            ruleset = r;
            for (Consumer<Ruleset> l : List.copyOf(listeners)) l.accept(ruleset);
        }
    }

    private String apply(IptablesCommand cmd, String text) throws InputException {
        RuleCounters work = counters.copy();
        IptablesCommand.Result r = cmd.apply(ruleset, work);
        java.util.Optional<InputException> refused = parseCheck.apply(r.ruleset());
        if (refused.isPresent()) throw refused.get();
        if (!sameOrder(r.ruleset(), ruleset)) kernel.load(r.ruleset());
        counters.replaceWith(work);
        history.add(text);
        if (!sameOrder(r.ruleset(), ruleset)) {
            ruleset = r.ruleset();
            for (Consumer<Ruleset> l : List.copyOf(listeners)) l.accept(ruleset);
        }
        return r.output();
    }

    private static boolean sameOrder(Ruleset a, Ruleset b) {
        return a.tables().equals(b.tables());
    }

    /** {@code iptables-save} of the live state (no counters), tables in the order they exist. */
    public String save() {
        return IptablesSave.print(ruleset);
    }

    /**
     * What {@code firewall-cmd --reload} does to iptables with firewalld's iptables backend: every table is
     * flushed, its user chains deleted and its built-in policies reset to ACCEPT (firewalld then loads its own
     * zones, which are not modelled). libvirt's chains and rules are gone until libvirt hears firewalld's
     * {@code Reloaded} signal.
     */
    public void flushAsFirewalldReload() {
        Ruleset r = Ruleset.EMPTY;
        for (var t : ruleset.tables()) {
            r = r.with(org.vnetlab.emulator.netfilter.Table.empty(t.name()));
            counters.zero(t.name());
        }
        r = r.withLegacyTablesPresent(ruleset.legacyTablesPresent());
        try {
            kernel.load(r);
        } catch (InputException e) {
            throw new IllegalStateException("the kernel refused an empty ruleset", e);
        }
        ruleset = r;
        history.add("firewall-cmd --reload");
        for (Consumer<Ruleset> l : List.copyOf(listeners)) l.accept(ruleset);
    }

    /** The table, for listings. */
    public org.vnetlab.emulator.netfilter.Table table(TableName name) { return ruleset.tableOrEmpty(name); }
}
