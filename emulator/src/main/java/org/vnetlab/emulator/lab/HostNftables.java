package org.vnetlab.emulator.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.driver.NftRunner;
import org.vnetlab.emulator.nftables.Family;
import org.vnetlab.emulator.nftables.NftCommand;
import org.vnetlab.emulator.nftables.NftCounters;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.nftables.NftScript;
import org.vnetlab.emulator.nftables.NftTable;
import org.vnetlab.emulator.nftables.syntax.NftCommandLine;

/**
 * A host's live nftables state: the ruleset the kernel holds (native tables, and the tables iptables-nft made as
 * nft showed them) and the counters of native rules. Every change is one {@code nft} run (the user's, or
 * libvirt's with its nftables backend), all or nothing, as the kernel commits or aborts nft's batch: the new
 * ruleset goes to the {@link Kernel} (the host's nft engine, on the same hooks and conntrack as iptables) before
 * it counts. The companion of {@link HostIptables}.
 *
 * <p>Tables iptables-nft manages are evaluated from iptables-save (see {@code HostFirewall}); an nft command that
 * would change them is refused with a hint to use iptables, and so is {@code flush ruleset} while they exist (it
 * would delete iptables' own tables, which vnetlab keeps in {@link HostIptables}).
 */
public final class HostNftables implements NftRunner {
    /** Where a new ruleset goes live. */
    @FunctionalInterface
    public interface Kernel {
        void load(NftRuleset ruleset);
    }

    private NftRuleset ruleset;
    private final NftCounters counters;
    private Kernel kernel = r -> { };
    private ListingView listingView = r -> r;

    /** What {@code nft list} shows of a ruleset: iptables-nft's tables as they are now (see HostFirewall). */
    @FunctionalInterface
    public interface ListingView {
        NftRuleset listed(NftRuleset ruleset) throws InputException;
    }

    public void setListingView(ListingView v) { this.listingView = Objects.requireNonNull(v, "view"); }
    private final List<String> history = new ArrayList<>();

    public HostNftables(NftRuleset initial, NftCounters counters) {
        this.ruleset = Objects.requireNonNull(initial, "initial");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    public NftRuleset ruleset() { return ruleset; }

    public NftCounters counters() { return counters; }

    /** Every nft command line run, as typed or as libvirt passed it, in order. */
    public List<String> history() { return List.copyOf(history); }

    public void setKernel(Kernel k) { this.kernel = Objects.requireNonNull(k, "kernel"); }

    /** {@code nft ARGS...} as libvirt runs it: what nft printed, or nft's error (nothing changed then). */
    @Override
    public String run(List<String> args) throws InputException {
        return execute(args, f -> Optional.empty()).stdout();
    }

    /**
     * {@code nft ARGS...}, {@code -f FILE} read through {@code files}: the run's output and the new state, or the
     * {@link InputException} that made nft fail (nothing changed then).
     */
    public NftCommandLine.Result execute(List<String> args, Function<String, Optional<String>> files) throws InputException {
        NftScript script = NftCommandLine.script(args, files);
        for (NftCommand c : script.commands()) checkNotManaged(c);
        if (!script.commands().isEmpty() && script.commands().stream().allMatch(c -> c instanceof NftCommand.Listing)) {
            NftCommandLine.Result listing = NftCommandLine.execute(listingView.listed(ruleset), counters, args, files);
            history.add("nft " + String.join(" ", args));
            return new NftCommandLine.Result(ruleset, listing.exitCode(), listing.stdout(), listing.stderr(), listing.added());
        }
        NftCommandLine.Result r = NftCommandLine.execute(ruleset, counters, args, files);
        history.add("nft " + String.join(" ", args));
        if (!r.ruleset().equals(ruleset)) {
            kernel.load(r.ruleset());
            ruleset = r.ruleset();
        }
        return r;
    }

    /** Checks {@code nft ARGS...} as nft {@code -c} would, without running it. */
    public void check(List<String> args, Function<String, Optional<String>> files) throws InputException {
        NftScript script = NftCommandLine.script(args, files);
        for (NftCommand c : script.commands()) checkNotManaged(c);
        ruleset.apply(script);
    }

    private void checkNotManaged(NftCommand c) throws InputException {
        if (c instanceof NftCommand.Listing) return;
        if (c instanceof NftCommand.FlushRuleset f) {
            List<String> managed = ruleset.tables().stream()
                    .filter(t -> t.managedBy().isPresent() && (f.family().isEmpty() || f.family().get() == t.family()))
                    .map(NftTable::id).toList();
            if (!managed.isEmpty()) {
                throw c.source().error("vnetlab: 'flush ruleset' would also delete " + String.join(", ", managed)
                        + ", which iptables-nft manages; that is not emulated", "flush or delete the native tables by name");
            }
            return;
        }
        Optional<NftTable> t = target(c).flatMap(ft -> ruleset.table(ft.family(), ft.name()));
        if (t.isPresent() && t.get().managedBy().isPresent()) {
            throw c.source().error("vnetlab: table " + t.get().id() + " is managed by " + t.get().managedBy().get()
                    + " and evaluated from iptables-save; nft changes to it are not emulated",
                    "change it with iptables (nft itself warns: do not touch)");
        }
    }

    private record FamilyTable(Family family, String name) {}

    private static Optional<FamilyTable> target(NftCommand c) {
        if (c instanceof NftCommand.AddTable a) return Optional.of(new FamilyTable(a.family(), a.name()));
        if (c instanceof NftCommand.DeleteTable a) return Optional.of(new FamilyTable(a.family(), a.name()));
        if (c instanceof NftCommand.FlushTable a) return Optional.of(new FamilyTable(a.family(), a.name()));
        if (c instanceof NftCommand.AddChain a) return Optional.of(new FamilyTable(a.family(), a.table()));
        if (c instanceof NftCommand.DeleteChain a) return Optional.of(new FamilyTable(a.family(), a.table()));
        if (c instanceof NftCommand.FlushChain a) return Optional.of(new FamilyTable(a.family(), a.table()));
        if (c instanceof NftCommand.AddRule a) return Optional.of(new FamilyTable(a.family(), a.table()));
        if (c instanceof NftCommand.ReplaceRule a) return Optional.of(new FamilyTable(a.family(), a.table()));
        if (c instanceof NftCommand.DeleteRule a) return Optional.of(new FamilyTable(a.family(), a.table()));
        if (c instanceof NftCommand.AddSet a) return Optional.of(new FamilyTable(a.family(), a.table()));
        if (c instanceof NftCommand.DeleteSet a) return Optional.of(new FamilyTable(a.family(), a.table()));
        if (c instanceof NftCommand.FlushSet a) return Optional.of(new FamilyTable(a.family(), a.table()));
        if (c instanceof NftCommand.Elements a) return Optional.of(new FamilyTable(a.family(), a.table()));
        return Optional.empty();
    }
}
