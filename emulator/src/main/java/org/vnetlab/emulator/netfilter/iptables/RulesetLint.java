package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.Fragment;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleOrigin;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.Target;

/**
 * Findings about rules that iptables accepts but that likely do not mean what they seem to. Findings are
 * not errors: the ruleset stays exactly as iptables would have loaded it.
 *
 * <ul>
 *   <li>an address written with fewer than four parts ({@code -d 53}): iptables pads it with zero octets
 *       at the END, so it is the host 53.0.0.0 — with {@code -p tcp|udp} almost certainly a port meant as
 *       {@code --dport 53};</li>
 *   <li>a rule after an unconditional ACCEPT/DROP/REJECT/RETURN/goto in the same chain: never reached;</li>
 *   <li>a user chain with rules that no rule jumps to: never evaluated.</li>
 * </ul>
 */
public final class RulesetLint {
    private RulesetLint() {}

    public static List<LintFinding> check(Ruleset ruleset) { return check(ruleset, false); }

    /**
     * @param ipsetsKnown whether the host's ipsets were given ({@code ipset save}): then the sets' members are
     *                    known and no finding says they are assumed empty
     */
    public static List<LintFinding> check(Ruleset ruleset, boolean ipsetsKnown) {
        List<LintFinding> out = new ArrayList<>();
        java.util.Set<String> sets = new java.util.HashSet<>();
        for (Table t : ruleset.tables()) {
            for (Chain c : t.chains()) {
                int shadowedBy = 0;
                for (int i = 1; i <= c.rules().size(); i++) {
                    Rule r = c.rule(i);
                    String canonical = "-A " + c.name() + (r.text().isEmpty() ? "" : " " + r.text());
                    for (String m : abbreviatedAddresses(r)) {
                        out.add(new LintFinding(r.origin(), t.name(), c.name(), i, canonical, m));
                    }
                    for (String set : ipsetsKnown ? List.<String>of() : IpsetReferences.names(r)) {
                        // ipset contents are not part of iptables-save: the kernel holds them apart
                        if (sets.add(set)) {
                            out.add(new LintFinding(r.origin(), t.name(), c.name(), i, canonical, "rules use ipset " + set
                                    + "; its members are unknown (not in iptables-save; `ipset save` lists them): assumed empty"));
                        }
                    }
                    if (r.target() instanceof Target.Nfqueue q && !q.bypass()) {
                        out.add(new LintFinding(r.origin(), t.name(), c.name(), i, canonical, "NFQUEUE: no program reads the queue "
                                + "in the lab, so the kernel's no-listener behaviour applies: matching packets are dropped"
                                + " (--queue-bypass would let them pass)"));
                    }
                    if (shadowedBy > 0) {
                        out.add(new LintFinding(r.origin(), t.name(), c.name(), i, canonical,
                                "never reached: rule " + shadowedBy + " of " + c.name() + " ("
                                        + c.rule(shadowedBy).target().name() + ") takes every packet before it"));
                    } else if (matchesEverything(r) && ends(r.target())) {
                        shadowedBy = i;
                    }
                }
                if (!c.isBuiltin() && !c.rules().isEmpty() && Listing.references(t, c.name()) == 0) {
                    out.add(new LintFinding(c.rule(1).origin(), t.name(), c.name(), 0, "-N " + c.name(),
                            "no rule jumps to " + c.name() + ", so its " + c.rules().size() + " rule(s) are never evaluated"));
                }
            }
        }
        return out;
    }

    private static boolean matchesEverything(Rule r) {
        return r.source().isAny() && r.destination().isAny() && r.inInterface().isAny() && r.outInterface().isAny()
                && r.protocol().isAll() && r.fragment() == Fragment.ANY
                && r.matches().stream().allMatch(m -> m instanceof org.vnetlab.emulator.netfilter.Match.Comment);
    }

    private static boolean ends(Target t) {
        return t instanceof Target.Accept || t instanceof Target.Drop || t instanceof Target.Reject
                || t instanceof Target.Return || t instanceof Target.Goto;
    }

    /** Reads the rule as written and reports every -s/-d value iptables completed with zero octets. */
    static List<String> abbreviatedAddresses(Rule r) {
        RuleOrigin o = r.origin();
        List<String> out = new ArrayList<>();
        if (o.written().isEmpty()) return out;
        List<Token> toks = Tokenizer.restoreLine(o.written(), 1);
        for (int i = 0; i < toks.size(); i++) {
            String s = toks.get(i).text();
            Character which = null;
            String value = null;
            if (s.equals("-s") || s.equals("--source") || s.equals("--src")) which = 's';
            else if (s.equals("-d") || s.equals("--destination") || s.equals("--dst")) which = 'd';
            else if ((s.startsWith("-s") || s.startsWith("-d")) && s.length() > 2 && !s.startsWith("--")) {
                which = s.charAt(1);
                value = s.substring(2);
            } else if (s.startsWith("--source=") || s.startsWith("--destination=")) {
                which = s.charAt(2) == 's' ? 's' : 'd';
                value = s.substring(s.indexOf('=') + 1);
            }
            if (which == null) continue;
            if (value == null) {
                if (i + 1 >= toks.size()) continue;
                value = toks.get(i + 1).text();
            }
            for (String item : value.split(",")) {
                if (!Addresses.isAbbreviated(item)) continue;
                String addr = item.contains("/") ? item.substring(0, item.lastIndexOf('/')) : item;
                String full = Addresses.numeric(addr, false).map(Object::toString).orElse(addr);
                String flag = "-" + which;
                String side = which == 's' ? "source" : "destination";
                String portOpt = which == 's' ? "--sport" : "--dport";
                String proto = r.protocol().number() == 6 ? "tcp" : r.protocol().number() == 17 ? "udp" : null;
                String mask = item.contains("/") ? item.substring(item.lastIndexOf('/')) : "/32";
                if (!addr.contains(".") && Numbers.strtoul(addr, 0, 65535).isPresent()) {
                    String meant = proto != null ? "`-m " + proto + " " + portOpt + " " + addr + "`"
                            : "`-p udp -m udp " + portOpt + " " + addr + "` (or tcp)";
                    out.add(flag + " " + item + " means " + side + " address " + full + mask + ", not port " + addr
                            + "; you probably meant " + meant);
                } else {
                    out.add(flag + " " + item + " means " + side + " address " + full + mask
                            + ": iptables fills the missing octets with zeros at the end; write all four octets");
                }
            }
        }
        return out;
    }
}
