package org.vnetlab.emulator.nftables.firewall;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.netfilter.Policy;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.hook.BaseChain;
import org.vnetlab.emulator.netfilter.hook.HostNetwork;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.nftables.Family;
import org.vnetlab.emulator.nftables.NftChain;
import org.vnetlab.emulator.nftables.NftCommand;
import org.vnetlab.emulator.nftables.NftCounters;
import org.vnetlab.emulator.nftables.NftPrinter;
import org.vnetlab.emulator.nftables.NftRule;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.nftables.NftTable;
import org.vnetlab.emulator.nftables.Priorities;
import org.vnetlab.emulator.nftables.Source;
import org.vnetlab.emulator.nftables.Stmt;
import org.vnetlab.emulator.nftables.eval.NftEngine;
import org.vnetlab.emulator.nftables.syntax.NftParser;
import org.vnetlab.emulator.sim.KernelLog;

/**
 * A modern host's netfilter, as the kernel holds it: conntrack, iptables-legacy tables (x_tables), the tables
 * iptables-nft made (nf_tables tables shaped like iptables', shown by iptables-save with "(nf_tables)" and by
 * {@code nft list ruleset}) and native nftables tables (libvirt's {@code libvirt_network}, firewalld's, a host
 * firewall's) — all base chains on the same five hooks, ordered by priority, the newest first among equal
 * priorities. A packet must get through every one of them: an accept only ends its own base chain; a drop
 * anywhere ends the packet. That is why Docker's {@code FORWARD} policy drop (iptables-nft, priority 0) drops a
 * libvirt guest's forwarded packets although {@code libvirt_network}'s forward chain accepted them.
 *
 * <p>Registration order: legacy tables first (x_tables registers them when the module first loads); then, if
 * the nft dump shows iptables-nft's tables (nft 1.0.6 says "managed by iptables-nft"), nft's table order is the
 * creation order and iptables-nft tables are registered in their place, from the iptables-save model; otherwise
 * iptables-nft's tables come before or after the native ones as {@link Order} says (iptables first by default,
 * as when Docker starts before libvirt's networks, and as the kernel oracle loads them).
 */
public final class HostFirewall {
    /** Where iptables-nft's tables go when the nft dump does not show them. */
    public enum Order { IPTABLES_FIRST, NFT_FIRST }

    /** An iptables-save dump and its counters. */
    public record IptablesDump(Ruleset ruleset, RuleCounters counters) {}

    private final Netfilter netfilter;
    private final NftEngine nft;
    private final FirewallReport report;
    private final Optional<RuleCounters> iptablesNftCounters;
    private final Optional<IptablesNftTables> iptablesNftTables;
    private final Order order;

    private HostFirewall(Netfilter netfilter, NftEngine nft, FirewallReport report, Optional<RuleCounters> iptablesNftCounters,
                         Optional<IptablesNftTables> iptablesNftTables, Order order) {
        this.netfilter = netfilter;
        this.nft = nft;
        this.report = report;
        this.iptablesNftCounters = iptablesNftCounters;
        this.iptablesNftTables = iptablesNftTables;
        this.order = order;
    }

    public Netfilter netfilter() { return netfilter; }

    public NftEngine nft() { return nft; }

    public FirewallReport report() { return report; }

    /**
     * {@code nft list ruleset} of this host now: native tables with their counters, and iptables-nft's tables
     * rendered from the live iptables ruleset as nft 1.0.6 prints them ({@link IptablesNftText}), each rule's
     * counter iptables' (the same kernel counter).
     *
     * @throws InputException when an iptables-nft rule holds a construct whose nft listing vnetlab does not know
     */
    public String nftListRuleset(boolean handles) throws InputException {
        return new NftPrinter(nft.counters(), handles).ruleset(listed(nft.ruleset()));
    }

    /** The live iptables ruleset after a change (iptables-nft's tables follow it; legacy ones are not nft's). */
    public void iptablesChanged(Ruleset now) {
        iptablesNftTables.ifPresent(t -> t.update(now));
    }

    /**
     * {@code ruleset} (the live native nft state, which may hold iptables-nft's tables as an nft dump showed them)
     * with iptables-nft's tables as they are now: in the dump's place when it showed them, else first (or last,
     * as {@link Order} says), each rendered from the live iptables ruleset.
     */
    public NftRuleset listed(NftRuleset ruleset) throws InputException {
        if (iptablesNftTables.isEmpty()) return ruleset;
        List<NftTable> managed = iptablesNftTables.get().listed(iptablesNftCounters.orElseThrow());
        List<NftTable> out = new ArrayList<>();
        List<NftTable> rest = new ArrayList<>(managed);
        List<NftTable> natives = new ArrayList<>();
        for (NftTable t : ruleset.tables()) {
            if (t.managedBy().isPresent() && t.family() == Family.IP) {
                Optional<NftTable> live = managed.stream().filter(m -> m.name().equals(t.name())).findFirst();
                live.ifPresent(l -> { natives.add(l); rest.remove(l); });
                continue;
            }
            natives.add(t);
        }
        if (order == Order.IPTABLES_FIRST) out.addAll(rest);
        out.addAll(natives);
        if (order == Order.NFT_FIRST) out.addAll(rest);
        return new NftRuleset(out, ruleset.nextTableHandle());
    }

    public static Builder builder() { return new Builder(); }

    /** Which backend an iptables-save text came from: its header names nf_tables or legacy (1.8+). */
    public enum Backend { NFT, LEGACY, UNKNOWN }

    public static Backend backendOf(String iptablesSaveText) {
        for (String line : iptablesSaveText.lines().toList()) {
            if (!line.startsWith("# Generated by iptables-save")) continue;
            if (line.contains("(nf_tables)")) return Backend.NFT;
            if (line.contains("(legacy)")) return Backend.LEGACY;
            return Backend.UNKNOWN;
        }
        return Backend.UNKNOWN;
    }

    public static final class Builder {
        private Optional<IptablesDump> iptablesNft = Optional.empty();
        private Optional<IptablesDump> iptablesLegacy = Optional.empty();
        private NftRuleset nftRuleset = NftRuleset.EMPTY;
        private NftCounters nftCounters = new NftCounters();
        private Order order = Order.IPTABLES_FIRST;
        private KernelLog kernelLog = KernelLog.standalone();
        private String node = "host";

        private Builder() {}

        /** Where LOG/log lines and conntrack warnings go (the lab's kernel log), as {@code node}. */
        public Builder kernelLog(KernelLog log, String nodeName) {
            kernelLog = log;
            node = nodeName;
            return this;
        }

        /** iptables-save of the nf_tables backend (iptables-nft). */
        public Builder iptablesNft(Ruleset ruleset, RuleCounters counters) {
            iptablesNft = Optional.of(new IptablesDump(ruleset, counters));
            return this;
        }

        /** iptables-legacy-save (x_tables). */
        public Builder iptablesLegacy(Ruleset ruleset, RuleCounters counters) {
            iptablesLegacy = Optional.of(new IptablesDump(ruleset, counters));
            return this;
        }

        /** {@code nft list ruleset} (or nft -f files) as loaded. */
        public Builder nft(NftRuleset ruleset, NftCounters counters) {
            nftRuleset = ruleset;
            nftCounters = counters;
            return this;
        }

        public Builder order(Order o) {
            order = o;
            return this;
        }

        public HostFirewall build(HostNetwork host, ConntrackSettings settings, long seed) throws InputException {
            List<String> findings = new ArrayList<>();
            IptablesDump legacy = iptablesLegacy.orElse(new IptablesDump(Ruleset.EMPTY, new RuleCounters()));
            Netfilter nf = Netfilter.iptables(legacy.ruleset(), legacy.counters(), host, settings, seed, kernelLog, node);
            Map<BaseChain, String> described = new IdentityHashMap<>();
            describeNew(nf, described, "iptables-legacy");

            NftRuleset ruleset = resolveManaged(nftRuleset, findings);
            NftEngine engine = NftEngine.create(nf, ruleset, nftCounters);
            List<Table> nftBackendTables = iptablesNft.map(d -> d.ruleset().tables()).orElse(List.of());
            Set<String> shownByNft = ruleset.tables().stream().filter(t -> t.managedBy().isPresent())
                    .map(t -> t.name()).collect(Collectors.toSet());
            List<Table> notShown = nftBackendTables.stream().filter(t -> !shownByNft.contains(t.name().iptablesName())).toList();

            if (order == Order.IPTABLES_FIRST) {
                for (Table t : notShown) registerIptablesNft(nf, t, described);
            }
            for (NftTable t : ruleset.tables()) {
                if (t.managedBy().isPresent()) {
                    Optional<Table> it = nftBackendTables.stream().filter(x -> x.name().iptablesName().equals(t.name())
                            && t.family() == Family.IP).findFirst();
                    if (it.isPresent()) registerIptablesNft(nf, it.get(), described);
                    continue;
                }
                engine.register(t);
                describeNew(nf, described, "nft");
            }
            if (order == Order.NFT_FIRST) {
                for (Table t : notShown) registerIptablesNft(nf, t, described);
            }
            findings.addAll(explain(legacy, ruleset, engine));
            Map<String, Ruleset> iptables = new LinkedHashMap<>();
            iptables.put("iptables-legacy", legacy.ruleset());
            iptablesNft.ifPresent(d -> iptables.put("iptables-nft", d.ruleset()));
            Optional<IptablesNftTables> tracked = iptablesNft.map(d -> {
                // a table nft showed keeps its handle; the others take the namespace's next ones
                long[] next = {nftRuleset.nextTableHandle()};
                List<Table> ts = d.ruleset().tables();
                int[] i = {0};
                return new IptablesNftTables(d.ruleset(), () -> {
                    if (i[0] >= ts.size()) return next[0]++;
                    String name = ts.get(i[0]++).name().iptablesName();
                    return nftRuleset.table(Family.IP, name).filter(t -> t.managedBy().isPresent()).map(NftTable::handle)
                            .orElseGet(() -> next[0]++);
                });
            });
            return new HostFirewall(nf, engine, new FirewallReport(findings, hookOverview(nf, described, ruleset, iptables)),
                    iptablesNft.map(IptablesDump::counters), tracked, order);
        }

        private void registerIptablesNft(Netfilter nf, Table t, Map<BaseChain, String> described) throws InputException {
            nf.registerIptables(t, iptablesNft.get().counters());
            describeNew(nf, described, "iptables-nft");
        }

        /**
         * iptables-nft tables nft showed: evaluated from iptables-save when given; else their rules must read as
         * native nft rules (iptables-nft 1.8.9 translates most matches), otherwise there is nothing to evaluate.
         */
        private NftRuleset resolveManaged(NftRuleset r, List<String> findings) throws InputException {
            List<NftTable> tables = new ArrayList<>();
            for (NftTable t : r.tables()) {
                boolean covered = t.family() == Family.IP && iptablesNft.isPresent()
                        && iptablesNft.get().ruleset().tables().stream().anyMatch(x -> x.name().iptablesName().equals(t.name()));
                if (t.managedBy().isEmpty() || covered) {
                    tables.add(t);
                    continue;
                }
                List<NftChain> chains = new ArrayList<>();
                for (NftChain c : t.chains()) {
                    List<NftRule> rules = new ArrayList<>();
                    for (NftRule rule : c.rules()) {
                        if (!(rule.statements().size() == 1 && rule.statements().get(0) instanceof Stmt.Opaque o)) {
                            rules.add(rule);
                            continue;
                        }
                        Source src = new Source("nft list ruleset (table " + t.id() + ", chain " + c.name() + ")", 0, 0, o.text());
                        try {
                            NftCommand.AddRule parsed = NftParser.rule(src, t.family(), t.name(), c.name(), o.text());
                            rules.add(new NftRule(rule.handle(), parsed.statements(), parsed.comment()));
                        } catch (InputException e) {
                            throw new InputException(e.file(), e.line(), e.column(), e.token(),
                                    "table " + t.id() + " is iptables-nft's and this rule is not one vnetlab reads as nft: " + e.problem(),
                                    "give vnetlab this host's iptables-save (iptables-nft) too: it evaluates the table from it");
                        }
                    }
                    chains.add(c.withRules(rules));
                }
                tables.add(new NftTable(t.family(), t.name(), t.handle(), t.comment(), t.sets(), chains, t.nextHandle(), Optional.empty()));
                findings.add("table " + t.id() + " is managed by iptables-nft; no iptables-save was given, so its rules are "
                        + "evaluated as nft lists them");
            }
            return new NftRuleset(tables, r.nextTableHandle());
        }

        private List<String> explain(IptablesDump legacy, NftRuleset ruleset, NftEngine engine) {
            List<String> out = new ArrayList<>();
            boolean warned = iptablesNft.map(d -> d.ruleset().legacyTablesPresent()).orElse(false);
            boolean legacyGiven = iptablesLegacy.isPresent() && !legacy.ruleset().tables().isEmpty();
            if (warned && !legacyGiven) {
                out.add("iptables-save (nf_tables) printed \"# Warning: iptables-legacy tables present\": this host also has "
                        + "iptables-legacy (x_tables) tables. iptables-save of the nf_tables backend does not show them, yet the "
                        + "kernel runs them on the same hooks, and a DROP there drops the packet. They are NOT in this "
                        + "emulation: run iptables-legacy-save on the host and give its output too.");
            }
            if (legacyGiven && (iptablesNft.isPresent() || ruleset.tables().stream().anyMatch(t -> t.family().seesIpv4()))) {
                out.add("this host has iptables-legacy tables AND nf_tables ones (iptables-nft or nft): both sets of base chains "
                        + "sit on the same hooks and each must accept a packet. Two iptables front ends on one host usually "
                        + "means two programs disagree about the backend (e.g. one ships its own iptables binary); pick one "
                        + "with update-alternatives --config iptables.");
            }
            for (String s : engine.notEvaluated()) {
                if (!s.contains("managed by")) out.add("not evaluated (vnetlab's packets are IPv4): " + s);
            }
            return out;
        }
    }

    private static void describeNew(Netfilter nf, Map<BaseChain, String> described, String origin) {
        for (Hook h : Hook.values()) {
            for (BaseChain c : nf.chains(h)) described.putIfAbsent(c, origin);
            for (BaseChain c : nf.natChains(h)) described.putIfAbsent(c, origin);
        }
    }

    /** Per hook, every base chain in the order a packet meets them, with origin, priority and policy. */
    private static Map<Hook, List<String>> hookOverview(Netfilter nf, Map<BaseChain, String> described, NftRuleset ruleset,
                                                        Map<String, Ruleset> iptables) {
        Map<Hook, List<String>> out = new LinkedHashMap<>();
        for (Hook h : Hook.values()) {
            List<String> lines = new ArrayList<>();
            for (BaseChain c : nf.chains(h)) {
                if (c.name().startsWith("conntrack")) continue;
                if (c.name().equals("nat " + h.name())) {
                    // the NAT core: its nat chains, in their own order, for a connection's first packet only
                    for (BaseChain n : nf.natChains(h)) {
                        lines.add(line(n, described.getOrDefault(n, "?"), h, ruleset, iptables) + " (nat: first packet of a connection)");
                    }
                    continue;
                }
                lines.add(line(c, described.getOrDefault(c, "?"), h, ruleset, iptables));
            }
            out.put(h, lines);
        }
        return out;
    }

    private static String line(BaseChain c, String origin, Hook h, NftRuleset ruleset, Map<String, Ruleset> iptables) {
        if (c.name().startsWith("nft ")) {
            String name = c.name().substring(4);
            for (NftTable t : ruleset.tables()) {
                for (NftChain ch : t.chains()) {
                    if (ch.base().isPresent() && name.equals(t.id() + " " + ch.name())) {
                        var b = ch.base().get();
                        return "nft " + name + ", " + b.type() + " priority " + Priorities.format(b.priority(), t.family(), b.hook())
                                + ", policy " + b.policy().name().toLowerCase();
                    }
                }
            }
            return c.name();
        }
        String[] w = c.name().split(" ");
        Optional<Policy> policy = TableName.of(w[0]).flatMap(tn -> Optional.ofNullable(iptables.get(origin))
                .flatMap(r -> r.table(tn)).flatMap(t -> t.chain(h)).flatMap(Chain::policy));
        return origin + " " + w[0] + " " + h.name() + ", priority " + c.priority()
                + policy.map(p -> ", policy " + p.name()).orElse("");
    }
}
