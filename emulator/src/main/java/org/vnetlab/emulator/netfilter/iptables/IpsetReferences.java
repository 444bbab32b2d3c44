package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.Target;

/**
 * The ipsets rules name, checked against the sets that exist as libxt_set checks them when iptables parses a
 * rule (it asks the kernel for the set by name): "Set NAME doesn't exist." and, for an IPv6 set, "The protocol
 * family of set NAME is IPv6, which is not applicable." Only meaningful when the sets are known (an ipset dump).
 */
public final class IpsetReferences {
    private IpsetReferences() {}

    /** Every set a rule names, in its order ({@code -m set}, then {@code -j SET}'s add and delete sets). */
    public static List<String> names(Rule r) {
        List<String> l = new ArrayList<>();
        for (Match m : r.matches()) {
            if (m instanceof Match.SetMatch s) l.add(s.name());
        }
        if (r.target() instanceof Target.SetTarget st) {
            st.add().ifPresent(o -> l.add(o.set()));
            st.delete().ifPresent(o -> l.add(o.set()));
        }
        return l;
    }

    /**
     * The first rule of {@code ruleset} naming a set {@code sets} does not hold as an IPv4 set, as the error
     * iptables gives, at the rule's origin (file, line, and the column of the name in the rule as written).
     */
    public static Optional<InputException> firstMissing(Ruleset ruleset, IpsetSave sets) {
        for (Table t : ruleset.tables()) {
            for (Chain c : t.chains()) {
                for (Rule r : c.rules()) {
                    for (String name : names(r)) {
                        if (sets.set(name).isPresent()) continue;
                        String problem = sets.ipv6().containsKey(name)
                                ? "The protocol family of set " + name + " is IPv6, which is not applicable."
                                : "Set " + name + " doesn't exist.";
                        String written = r.origin().written();
                        int at = written.indexOf(" " + name);
                        int column = at < 0 ? 0 : at + 2;
                        return Optional.of(new InputException(r.origin().file(), r.origin().line(), column, name, problem,
                                sets.ipv6().containsKey(name) ? "iptables takes IPv4 sets only (ip6tables is not emulated)"
                                        : "the host's ipsets (ipset save) have no set " + name + "; iptables refuses a rule naming it"));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
