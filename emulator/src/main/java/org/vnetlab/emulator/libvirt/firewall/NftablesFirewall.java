package org.vnetlab.emulator.libvirt.firewall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkDefinition.ForwardMode;
import org.vnetlab.emulator.libvirt.NetworkDefinition.IpDefinition;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Tristate;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.nftables.Family;
import org.vnetlab.emulator.nftables.NftCommand;
import org.vnetlab.emulator.nftables.Source;
import org.vnetlab.emulator.nftables.Stmt;
import org.vnetlab.emulator.nftables.syntax.NftParser;

/**
 * The nft commands libvirt's nftables backend (libvirt 10.4 to 10.x, before it added a table comment and a
 * {@code tc} checksum filter) runs. libvirt keeps everything in its own {@code libvirt_network} table per
 * family with a forward-hook chain jumping to {@code guest_output}, {@code guest_input} and
 * {@code guest_cross}, and a postrouting NAT chain {@code guest_nat}. Unlike the iptables backend it adds no
 * host input/output rules (the table's policy is accept and nothing else in it rejects). Network rules are
 * inserted with {@code -ae} so nft echoes each rule's handle, which is how {@link #removal} deletes them.
 */
public final class NftablesFirewall {
    public static final String TABLE = "libvirt_network";

    private NftablesFirewall() {}

    /** A chain of libvirt's table; {@code parent} jumps to it, {@code spec} makes it a base chain. */
    private record Chain(String parent, String name, String spec) {}

    private static final List<Chain> CHAINS = List.of(
            new Chain(null, "forward", "{ type filter hook forward priority 0; policy accept; }"),
            new Chain("forward", "guest_output", null),
            new Chain("forward", "guest_input", null),
            new Chain("forward", "guest_cross", null),
            new Chain(null, "guest_nat", "{ type nat hook postrouting priority 100; policy accept; }"));

    private static final String LOCAL_MULTICAST_V4 = "224.0.0.0/24";
    private static final String LOCAL_MULTICAST_V6 = "ff02::/16";
    private static final String LOCAL_BROADCAST = "255.255.255.255/32";

    /**
     * The once-per-host setup for one family: {@code nft list table}, then whatever its output shows missing
     * (the table, each chain, each jump from {@code forward}).
     *
     * @param listing the output of {@code nft list table <family> libvirt_network}, one line per element (empty
     *     when the table does not exist yet)
     */
    public static List<FirewallCommand> privateChainSetup(Layer layer, List<String> listing) {
        String family = layer.nftFamily();
        List<FirewallCommand> out = new ArrayList<>();
        out.add(FirewallCommand.of(FirewallCommand.Tool.NFT, "list", "table", family, TABLE));
        boolean tableExists = false;
        Set<String> chains = new HashSet<>();
        Map<String, String> jumps = new HashMap<>();
        String current = null;
        for (String raw : listing) {
            String line = raw.strip();
            if (line.equals("table " + family + " " + TABLE + " {")) {
                tableExists = true;
            } else if (line.startsWith("chain ")) {
                String[] w = line.split(" ");
                current = w[1];
                chains.add(current);
            } else if (line.contains("jump ") && current != null) {
                jumps.put(line.substring(line.indexOf("jump ") + 5).strip(), current);
            }
        }
        if (!tableExists) out.add(FirewallCommand.of(FirewallCommand.Tool.NFT, "add", "table", family, TABLE));
        for (Chain c : CHAINS) {
            if (!(tableExists && chains.contains(c.name))) {
                List<String> args = new ArrayList<>(List.of("add", "chain", family, TABLE, c.name));
                if (c.spec != null) args.add(c.spec);
                out.add(new FirewallCommand(FirewallCommand.Tool.NFT, args));
            }
            if (c.parent != null && !c.parent.equals(jumps.get(c.name))) {
                out.add(FirewallCommand.of(FirewallCommand.Tool.NFT, "insert", "rule", family, TABLE, c.parent,
                        "counter", "jump", c.name));
            }
        }
        return out;
    }

    /** The setup on a fresh host: {@code ip}, then {@code ip6} ({@code base.nftables}). */
    public static List<FirewallCommand> privateChainSetup() {
        List<FirewallCommand> out = new ArrayList<>(privateChainSetup(Layer.IPV4, List.of()));
        out.addAll(privateChainSetup(Layer.IPV6, List.of()));
        return out;
    }

    /**
     * What {@code net-start} runs: the bridge catch-alls per family, then each {@code <ip>}'s NAT or routing
     * rules. Nothing for {@code open} networks or networks libvirt does not route.
     */
    public static List<FirewallCommand> add(NetworkDefinition def) throws NetworkStartException {
        if (!IptablesFirewall.firewalled(def)) return List.of();
        String bridge = IptablesFirewall.bridge(def);
        List<FirewallCommand> out = new ArrayList<>();
        general(out, Layer.IPV4, bridge);
        if (!def.ips(IpAddress.Family.IPV6).isEmpty() || def.ipv6NoGateway()) general(out, Layer.IPV6, bridge);
        for (IpDefinition ip : def.ips()) {
            ForwardMode mode = def.forward().mode();
            boolean v4 = ip.family() == IpAddress.Family.IPV4;
            if (mode == ForwardMode.NAT && (v4 || def.forward().natIpv6() == Tristate.YES)) {
                masquerading(out, def, bridge, ip);
            } else if (mode == ForwardMode.NAT || mode == ForwardMode.ROUTE) {
                routing(out, def, bridge, ip);
            }
        }
        return out;
    }

    /** A rule {@link #add} inserted, with the handle nft echoed for it. */
    public record AddedRule(FirewallCommand command, long handle) {}

    /**
     * What {@code net-destroy} runs: libvirt deletes the rules it added by their handles, newest first
     * ({@code nft delete rule <family> libvirt_network <chain> handle <n>}).
     */
    public static List<FirewallCommand> removal(List<AddedRule> added) {
        List<FirewallCommand> out = new ArrayList<>();
        for (int i = added.size() - 1; i >= 0; i--) {
            AddedRule r = added.get(i);
            List<String> a = r.command().args();
            // -ae insert rule FAMILY TABLE CHAIN ...
            if (a.size() < 6 || !a.get(1).equals("insert") || !a.get(2).equals("rule")) {
                throw new IllegalArgumentException("not a rule libvirt inserted: " + r.command());
            }
            out.add(FirewallCommand.of(FirewallCommand.Tool.NFT, "delete", "rule", a.get(3), a.get(4), a.get(5),
                    "handle", Long.toString(r.handle())));
        }
        return out;
    }

    /**
     * The removal libvirt saved when it started a network, recovered from the table as it is now, for a network
     * whose status is not known (a host taken over from its dump): each rule {@link #add} would insert for
     * {@code def} that {@code nft -a list table FAMILY libvirt_network} shows, matched by its statements
     * (counter values aside), deleted by handle, newest first. Rules no longer there are left out, as libvirt's
     * removal would fail on them and ignore the failure.
     *
     * @param listings per family ({@code ip}, {@code ip6}), the {@code nft -a list table} output
     */
    public static List<FirewallCommand> removalFromListing(NetworkDefinition def, Map<String, String> listings)
            throws NetworkStartException {
        Map<String, List<ListedRule>> listed = new HashMap<>();
        for (Map.Entry<String, String> e : listings.entrySet()) listed.put(e.getKey(), listedRules(e.getKey(), e.getValue()));
        List<AddedRule> found = new ArrayList<>();
        for (FirewallCommand c : add(def)) {
            List<String> a = c.args(); // -ae insert rule FAMILY TABLE CHAIN STATEMENTS...
            String family = a.get(3);
            List<Stmt> want;
            try {
                NftCommand.AddRule r = NftParser.rule(Source.none("libvirt"), Family.of(family).orElseThrow(), TABLE, a.get(5),
                        String.join(" ", a.subList(6, a.size())));
                want = withoutCounterValues(r.statements());
            } catch (InputException | RuntimeException e) {
                continue;
            }
            for (ListedRule l : listed.getOrDefault(family, List.of())) {
                if (!l.used && l.chain.equals(a.get(5)) && l.statements.equals(want)) {
                    l.used = true;
                    found.add(new AddedRule(c, l.handle));
                    break;
                }
            }
        }
        return removal(found);
    }

    private static final class ListedRule {
        final String chain;
        final long handle;
        final List<Stmt> statements;
        boolean used;

        ListedRule(String chain, long handle, List<Stmt> statements) {
            this.chain = chain;
            this.handle = handle;
            this.statements = statements;
        }
    }

    private static List<ListedRule> listedRules(String family, String listing) {
        List<ListedRule> out = new ArrayList<>();
        String chain = null;
        for (String raw : listing.lines().toList()) {
            String line = raw.strip();
            if (line.startsWith("chain ")) {
                chain = line.split(" ")[1];
                continue;
            }
            int h = line.lastIndexOf(" # handle ");
            if (chain == null || h < 0 || line.startsWith("type ") || line.startsWith("chain ")) continue;
            try {
                long handle = Long.parseLong(line.substring(h + " # handle ".length()).strip());
                NftCommand.AddRule r = NftParser.rule(Source.none("nft list"), Family.of(family).orElseThrow(), TABLE, chain,
                        line.substring(0, h));
                out.add(new ListedRule(chain, handle, withoutCounterValues(r.statements())));
            } catch (InputException | RuntimeException e) {
                // not a rule line libvirt could have written: it is not libvirt's to delete
            }
        }
        return out;
    }

    private static List<Stmt> withoutCounterValues(List<Stmt> statements) {
        return statements.stream().map(s -> s instanceof Stmt.Counter ? (Stmt) Stmt.Counter.ZERO : s).toList();
    }

    private static FirewallCommand rule(Layer l, String chain, List<String> match) {
        List<String> args = new ArrayList<>(List.of("-ae", "insert", "rule", l.nftFamily(), TABLE, chain));
        args.addAll(match);
        return new FirewallCommand(FirewallCommand.Tool.NFT, args);
    }

    private static void general(List<FirewallCommand> out, Layer l, String bridge) {
        out.add(rule(l, "guest_output", List.of("iif", bridge, "counter", "reject")));
        out.add(rule(l, "guest_input", List.of("oif", bridge, "counter", "reject")));
        out.add(rule(l, "guest_cross", List.of("iif", bridge, "oif", bridge, "counter", "accept")));
    }

    private static void masquerading(List<FirewallCommand> out, NetworkDefinition def, String bridge, IpDefinition ip)
            throws NetworkStartException {
        Layer l = Layer.of(ip.address());
        String fam = l.nftFamily();
        String net = ip.address().networkWithPrefix(ip.prefix());
        Optional<String> uplink = def.forward().uplink();

        out.add(allowOut(l, net, bridge, uplink));
        List<String> related = new ArrayList<>();
        uplink.ifPresent(u -> related.addAll(List.of("iifname", u)));
        related.addAll(List.of("oif", bridge, fam, "daddr", net, "ct", "state", "related,established", "counter", "accept"));
        out.add(rule(l, "guest_input", related));

        out.add(masquerade(l, net, uplink, def, null));
        out.add(masquerade(l, net, uplink, def, "udp"));
        out.add(masquerade(l, net, uplink, def, "tcp"));
        if (l == Layer.IPV4) out.add(dontMasquerade(l, net, uplink, LOCAL_BROADCAST));
        out.add(dontMasquerade(l, net, uplink, l == Layer.IPV4 ? LOCAL_MULTICAST_V4 : LOCAL_MULTICAST_V6));
    }

    private static void routing(List<FirewallCommand> out, NetworkDefinition def, String bridge, IpDefinition ip) {
        Layer l = Layer.of(ip.address());
        String net = ip.address().networkWithPrefix(ip.prefix());
        Optional<String> uplink = def.forward().uplink();
        out.add(allowOut(l, net, bridge, uplink));
        List<String> in = new ArrayList<>(List.of(l.nftFamily(), "daddr", net));
        uplink.ifPresent(u -> in.addAll(List.of("iifname", u)));
        in.addAll(List.of("oif", bridge, "counter", "accept"));
        out.add(rule(l, "guest_input", in));
    }

    private static FirewallCommand allowOut(Layer l, String net, String bridge, Optional<String> uplink) {
        List<String> m = new ArrayList<>(List.of(l.nftFamily(), "saddr", net, "iif", bridge));
        uplink.ifPresent(u -> m.addAll(List.of("oifname", u)));
        m.addAll(List.of("counter", "accept"));
        return rule(l, "guest_output", m);
    }

    private static FirewallCommand masquerade(Layer l, String net, Optional<String> uplink, NetworkDefinition def,
            String protocol) throws NetworkStartException {
        String fam = l.nftFamily();
        List<String> m = new ArrayList<>();
        if (protocol != null) m.addAll(List.of("meta", "l4proto", protocol));
        m.addAll(List.of(fam, "saddr", net, fam, "daddr", "!=", net));
        uplink.ifPresent(u -> m.addAll(List.of("oifname", u)));
        String ports = protocol == null ? null : ":" + IptablesFirewall.portRange(def);
        Optional<NetworkDefinition.AddressRange> snat = def.forward().natAddresses()
                .filter(r -> Layer.of(r.start()) == l);
        if (snat.isPresent()) {
            m.addAll(List.of("counter", "snat", "to",
                    snat.get().start() + "-" + snat.get().end() + (ports == null ? "" : ports)));
        } else {
            m.addAll(List.of("counter", "masquerade"));
            if (ports != null) m.addAll(List.of("to", ports));
        }
        return rule(l, "guest_nat", m);
    }

    private static FirewallCommand dontMasquerade(Layer l, String net, Optional<String> uplink, String dest) {
        List<String> m = new ArrayList<>();
        uplink.ifPresent(u -> m.addAll(List.of("oifname", u)));
        m.addAll(List.of(l.nftFamily(), "saddr", net, l.nftFamily(), "daddr", dest, "counter", "return"));
        return rule(l, "guest_nat", m);
    }
}
