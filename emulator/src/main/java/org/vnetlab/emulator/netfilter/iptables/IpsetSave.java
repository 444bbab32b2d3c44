package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.netfilter.Ipset;

/**
 * The ipsets of one host as {@code ipset save} (or {@code ipset list}) showed them: the IPv4 sets vnetlab
 * models, the IPv6 sets by name with their lines as written (iptables cannot use them: "The protocol family of
 * set NAME is IPv6, which is not applicable."), and what the product assumes about them (timeouts, counters).
 *
 * @param ipv6        IPv6 sets by name: their create and add lines, kept for {@code ipset list|save}
 * @param assumptions sentences for the report: what the dump showed that is not modelled
 */
public record IpsetSave(List<Ipset> sets, Map<String, List<String>> ipv6, List<String> assumptions) {
    public static final IpsetSave EMPTY = new IpsetSave(List.of(), Map.of(), List.of());

    public IpsetSave {
        sets = List.copyOf(sets);
        ipv6 = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ipv6));
        assumptions = List.copyOf(assumptions);
    }

    public Optional<Ipset> set(String name) { return sets.stream().filter(s -> s.name().equals(name)).findFirst(); }

    /** Every set's name, IPv4 then IPv6, in the dump's order within each. */
    public List<String> names() {
        List<String> n = new ArrayList<>();
        sets.forEach(s -> n.add(s.name()));
        n.addAll(ipv6.keySet());
        return n;
    }

    /** {@code ipset save [NAME]} output, as ipset 7.17 prints it (members in the order kept here, not the kernel's hash order). */
    public static String save(Ipset s) {
        StringBuilder sb = new StringBuilder("create ").append(s.name()).append(' ').append(s.type().text()).append(' ')
                .append(s.header()).append('\n');
        for (Ipset.Member m : s.members()) sb.append("add ").append(s.name()).append(' ').append(m.text(s.type())).append('\n');
        return sb.toString();
    }

    /** {@code ipset list NAME}'s block (without the memory size and references the kernel knows and vnetlab does not). */
    public static String list(Ipset s) {
        StringBuilder sb = new StringBuilder();
        sb.append("Name: ").append(s.name()).append('\n');
        sb.append("Type: ").append(s.type().text()).append('\n');
        sb.append("Header: ").append(s.header()).append('\n');
        sb.append("Number of entries: ").append(s.members().size()).append('\n');
        sb.append("Members:\n");
        for (Ipset.Member m : s.members()) sb.append(m.text(s.type())).append('\n');
        return sb.toString();
    }
}
