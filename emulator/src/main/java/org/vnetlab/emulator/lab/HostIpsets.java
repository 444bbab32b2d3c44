package org.vnetlab.emulator.lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.Ipset;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.iptables.IpsetReferences;
import org.vnetlab.emulator.netfilter.iptables.IpsetSave;
import org.vnetlab.emulator.netfilter.iptables.IpsetSaveParser;

/**
 * The host's ipsets and the {@code ipset} command's subset ({@code list|save [NAME]}, {@code add|del [-exist] NAME
 * ELEMENT}), answering as ipset 7.17 does. Members live in the host's netfilter (so {@code -j SET} changes show);
 * the create lines' options come from the dump. Without an ipset dump the sets are those the rules name, assumed
 * empty hash:ip sets (as the lint says); with one, only its sets exist.
 */
public final class HostIpsets {
    /** What ipset printed or refused: output, error output, exit status. */
    public record Result(String out, String err, int exit) {
        static Result ok(String out) { return new Result(out, "", 0); }

        static Result fail(String err, int exit) { return new Result("", "ipset v7.17: " + err + "\n", exit); }
    }

    private final Optional<IpsetSave> dump;
    private final Netfilter netfilter;
    private final HostIptables iptables;

    HostIpsets(Optional<IpsetSave> dump, Netfilter netfilter, HostIptables iptables) {
        this.dump = dump;
        this.netfilter = netfilter;
        this.iptables = iptables;
    }

    /** Whether the dump showed the sets (else they are assumed from the rules). */
    public boolean known() { return dump.isPresent(); }

    /** The sets that exist: the dump's, or the ones the live rules name. */
    public List<String> names() {
        if (dump.isPresent()) return dump.get().names();
        Set<String> n = new LinkedHashSet<>();
        for (Table t : iptables.ruleset().tables()) {
            for (Chain c : t.chains()) for (Rule r : c.rules()) n.addAll(IpsetReferences.names(r));
        }
        return new ArrayList<>(n);
    }

    /** The IPv4 set as it is now (members as netfilter holds them); empty for an IPv6 set or no set. */
    public Optional<Ipset> set(String name) {
        if (!names().contains(name) || dump.map(d -> d.ipv6().containsKey(name)).orElse(false)) return Optional.empty();
        Optional<List<Ipset.Member>> members = netfilter.ipsetMembers(name);
        if (members.isEmpty()) return Optional.empty();
        Ipset.Type type = dump.flatMap(d -> d.set(name)).map(Ipset::type).orElse(Ipset.Type.HASH_IP);
        String header = dump.flatMap(d -> d.set(name)).map(Ipset::header).orElse(Ipset.DEFAULT_HEADER);
        return Optional.of(new Ipset(name, type, members.get(), header));
    }

    /** {@code ipset save [NAME]}. */
    public Result save(Optional<String> name) {
        StringBuilder sb = new StringBuilder();
        for (String n : name.map(List::of).orElseGet(this::names)) {
            if (!names().contains(n)) return Result.fail("The set with the given name does not exist", 1);
            Optional<List<String>> v6 = dump.map(d -> d.ipv6().get(n));
            if (v6.isPresent()) v6.get().forEach(l -> sb.append(l).append('\n'));
            else sb.append(IpsetSave.save(set(n).orElseThrow()));
        }
        return Result.ok(sb.toString());
    }

    /**
     * {@code ipset list [NAME]}: each set's Name, Type, Revision, Header, References (the live rules naming it),
     * Number of entries and Members; the kernel's "Size in memory" line is left out (vnetlab has no such size).
     */
    public Result list(Optional<String> name) {
        StringBuilder sb = new StringBuilder();
        for (String n : name.map(List::of).orElseGet(this::names)) {
            if (!names().contains(n)) return Result.fail("The set with the given name does not exist", 1);
            if (sb.length() > 0) sb.append('\n');
            Optional<List<String>> v6 = dump.map(d -> d.ipv6().get(n));
            String type, header;
            List<String> members = new ArrayList<>();
            if (v6.isPresent()) {
                String[] create = v6.get().get(0).split(" ", 4);
                type = create[2];
                header = create.length > 3 ? create[3] : "";
                for (String l : v6.get().subList(1, v6.get().size())) members.add(l.substring(("add " + n + " ").length()));
            } else {
                Ipset s = set(n).orElseThrow();
                type = s.type().text();
                header = s.header();
                for (Ipset.Member m : s.members()) members.add(m.text(s.type()));
            }
            sb.append("Name: ").append(n).append('\n').append("Type: ").append(type).append('\n')
                    .append("Revision: ").append(REVISIONS.getOrDefault(type, 0)).append('\n')
                    .append("Header: ").append(header).append('\n')
                    .append("References: ").append(references(n)).append('\n')
                    .append("Number of entries: ").append(members.size()).append('\n').append("Members:\n");
            members.forEach(m -> sb.append(m).append('\n'));
        }
        return Result.ok(sb.toString());
    }

    /** The kernel's newest revision of each type (Linux 6.1, as ipset list showed it). */
    private static final Map<String, Integer> REVISIONS = Map.of("hash:ip", 6, "hash:net", 7, "hash:ip,port", 7);

    private long references(String name) {
        long n = 0;
        for (Table t : iptables.ruleset().tables()) {
            for (Chain c : t.chains()) for (Rule r : c.rules()) n += IpsetReferences.names(r).stream().filter(name::equals).count();
        }
        return n;
    }

    /** {@code ipset add|del [-exist] NAME ELEMENT}. */
    public Result change(boolean add, String name, String element, boolean exist) {
        if (!names().contains(name)) return Result.fail("The set with the given name does not exist", 1);
        if (dump.map(d -> d.ipv6().containsKey(name)).orElse(false)) {
            return Result.fail("IPv6 sets are kept as the dump shows them: not changed here (ip6tables is not emulated)", 1);
        }
        Ipset s = set(name).orElseThrow();
        String el = element;
        boolean nomatch = false;
        if (el.endsWith(" nomatch")) {
            el = el.substring(0, el.length() - " nomatch".length());
            nomatch = true;
        }
        List<Ipset.Member> ms;
        try {
            ms = IpsetSaveParser.members(s.type(), el, nomatch);
        } catch (IllegalArgumentException e) {
            return Result.fail(e.getMessage(), 1);
        }
        boolean all = true;
        for (Ipset.Member m : ms) all &= netfilter.ipsetChange(name, m, add).orElse(false);
        if (!all && !exist) {
            return Result.fail(add ? "Element cannot be added to the set: it's already added"
                    : "Element cannot be deleted from the set: it's not added", 1);
        }
        return Result.ok("");
    }
}
