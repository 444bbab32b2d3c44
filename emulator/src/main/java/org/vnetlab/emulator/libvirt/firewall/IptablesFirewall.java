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

/**
 * The iptables commands libvirt's iptables backend runs, in its order: once per host, the private chains
 * ({@code LIBVIRT_INP}, {@code LIBVIRT_OUT}, {@code LIBVIRT_FWO/FWI/FWX}, {@code LIBVIRT_PRT}) hooked into the
 * built-in chains; per network, the rules that open DHCP/DNS/TFTP to the host, reject forwarding to and from
 * the bridge except what the forward mode allows, masquerade NAT traffic and fix DHCP checksums. Every rule is
 * {@code --insert}ed, so each chain ends up in the reverse of command order. {@link #remove} gives the
 * {@code --delete} commands {@code net-destroy} runs.
 */
public final class IptablesFirewall {
    private static final String LOCAL_MULTICAST_V4 = "224.0.0.0/24";
    private static final String LOCAL_MULTICAST_V6 = "ff02::/16";
    private static final String LOCAL_BROADCAST = "255.255.255.255/32";

    private IptablesFirewall() {}

    private enum Action {
        INSERT("--insert"), DELETE("--delete");

        final String option;

        Action(String option) {
            this.option = option;
        }

        /** Adds {@code rules}, written in insertion order: inserted so, deleted in the reverse order (as libvirt does). */
        void addInOrder(List<FirewallCommand> out, List<FirewallCommand> rules) {
            for (int i = 0; i < rules.size(); i++) out.add(rules.get(this == INSERT ? i : rules.size() - 1 - i));
        }
    }

    /** One private chain and the built-in chain that jumps to it. */
    private record Chain(String table, String parent, String child) {}

    private static final List<Chain> PRIVATE_CHAINS = List.of(
            new Chain("filter", "INPUT", "LIBVIRT_INP"),
            new Chain("filter", "OUTPUT", "LIBVIRT_OUT"),
            new Chain("filter", "FORWARD", "LIBVIRT_FWO"),
            new Chain("filter", "FORWARD", "LIBVIRT_FWI"),
            new Chain("filter", "FORWARD", "LIBVIRT_FWX"),
            new Chain("nat", "POSTROUTING", "LIBVIRT_PRT"),
            new Chain("mangle", "POSTROUTING", "LIBVIRT_PRT"));

    private static final List<String> TABLES = List.of("filter", "nat", "mangle");

    /**
     * The once-per-host setup for one layer: the three {@code --list-rules} queries, then what their output says
     * is missing: a {@code --new-chain} for each private chain not there yet, an {@code --insert} of the jump
     * into it unless the built-in chain already has it.
     *
     * @param listRules the output of {@code --list-rules} for each table ("filter", "nat", "mangle"); a table
     *     absent from the map counts as empty, as on a fresh host
     */
    public static List<FirewallCommand> privateChainSetup(Layer layer, Map<String, List<String>> listRules) {
        List<FirewallCommand> out = new ArrayList<>();
        for (String table : TABLES) out.add(cmd(layer, "--table", table, "--list-rules"));
        for (String table : TABLES) {
            Set<String> chains = new HashSet<>();
            Map<String, String> jumps = new HashMap<>();
            for (String line : listRules.getOrDefault(table, List.of())) {
                if (line.startsWith("-N ")) {
                    chains.add(line.substring(3).strip());
                } else if (line.startsWith("-A ")) {
                    String[] w = line.substring(3).split(" ");
                    if (w.length == 3 && w[1].equals("-j")) jumps.put(w[2], w[0]);
                }
            }
            for (Chain c : PRIVATE_CHAINS) {
                if (!c.table.equals(table)) continue;
                if (!chains.contains(c.child)) out.add(cmd(layer, "--table", table, "--new-chain", c.child));
                if (!c.parent.equals(jumps.get(c.child))) {
                    out.add(cmd(layer, "--table", table, "--insert", c.parent, "--jump", c.child));
                }
            }
        }
        return out;
    }

    /** The setup libvirt runs on a host without any of its chains: IPv4, then IPv6 ({@code base.iptables}). */
    public static List<FirewallCommand> privateChainSetup() {
        List<FirewallCommand> out = new ArrayList<>(privateChainSetup(Layer.IPV4, Map.of()));
        out.addAll(privateChainSetup(Layer.IPV6, Map.of()));
        return out;
    }

    /**
     * What {@code net-start} runs for the network: general rules (IPv4, then IPv6), the rules of each
     * {@code <ip>} in document order, then the DHCP checksum fix. Nothing for {@code open} networks and for
     * networks libvirt does not route itself (bridge, macvtap, hostdev modes).
     */
    public static List<FirewallCommand> add(NetworkDefinition def) throws NetworkStartException {
        if (!firewalled(def)) return List.of();
        String bridge = bridge(def);
        List<FirewallCommand> out = new ArrayList<>();
        generalIpv4(out, def, bridge, Action.INSERT);
        generalIpv6(out, def, bridge, Action.INSERT);
        for (IpDefinition ip : def.ips()) ipSpecific(out, def, bridge, ip, Action.INSERT);
        checksum(out, def, bridge, Action.INSERT);
        return out;
    }

    /** What {@code net-destroy} runs: the same rules deleted, checksum fix first, general rules last. */
    public static List<FirewallCommand> remove(NetworkDefinition def) throws NetworkStartException {
        if (!firewalled(def)) return List.of();
        String bridge = bridge(def);
        List<FirewallCommand> out = new ArrayList<>();
        checksum(out, def, bridge, Action.DELETE);
        for (IpDefinition ip : def.ips()) ipSpecific(out, def, bridge, ip, Action.DELETE);
        generalIpv4(out, def, bridge, Action.DELETE);
        generalIpv6(out, def, bridge, Action.DELETE);
        return out;
    }

    static boolean firewalled(NetworkDefinition def) {
        ForwardMode mode = def.forward().mode();
        return mode.virtual() && mode != ForwardMode.OPEN;
    }

    static String bridge(NetworkDefinition def) throws NetworkStartException {
        return def.bridgeName().orElseThrow(() -> new NetworkStartException(
                "network '" + def.name() + "' has no <bridge name=...>; give the name net-dumpxml shows"));
    }

    private static FirewallCommand cmd(Layer layer, String... args) {
        List<String> all = new ArrayList<>(args.length + 1);
        all.add("-w");
        all.addAll(List.of(args));
        return new FirewallCommand(layer.iptables(), all);
    }

    /** The first IPv4 {@code <ip>} with DHCP (and, if {@code tftp}, TFTP) service, as libvirt looks it up. */
    private static Optional<IpDefinition> firstIpv4(NetworkDefinition def, boolean countTftp) {
        return def.ips(IpAddress.Family.IPV4).stream()
                .filter(ip -> ip.hasDhcp() || (countTftp && ip.tftpRoot().isPresent()))
                .findFirst();
    }

    private static FirewallCommand input(Layer l, Action a, String bridge, String proto, int port) {
        return cmd(l, "--table", "filter", a.option, "LIBVIRT_INP", "--in-interface", bridge,
                "--protocol", proto, "--destination-port", Integer.toString(port), "--jump", "ACCEPT");
    }

    private static FirewallCommand output(Layer l, Action a, String bridge, String proto, int port) {
        return cmd(l, "--table", "filter", a.option, "LIBVIRT_OUT", "--out-interface", bridge,
                "--protocol", proto, "--destination-port", Integer.toString(port), "--jump", "ACCEPT");
    }

    private static FirewallCommand rejectOut(Layer l, Action a, String bridge) {
        return cmd(l, "--table", "filter", a.option, "LIBVIRT_FWO", "--in-interface", bridge, "--jump", "REJECT");
    }

    private static FirewallCommand rejectIn(Layer l, Action a, String bridge) {
        return cmd(l, "--table", "filter", a.option, "LIBVIRT_FWI", "--out-interface", bridge, "--jump", "REJECT");
    }

    private static FirewallCommand allowCross(Layer l, Action a, String bridge) {
        return cmd(l, "--table", "filter", a.option, "LIBVIRT_FWX", "--in-interface", bridge,
                "--out-interface", bridge, "--jump", "ACCEPT");
    }

    /** DHCP and DNS to the host always; TFTP when the first DHCP/TFTP address has a root; bridge catch-alls. */
    private static void generalIpv4(List<FirewallCommand> out, NetworkDefinition def, String bridge, Action a) {
        Layer l = Layer.IPV4;
        boolean tftp = firstIpv4(def, true).flatMap(IpDefinition::tftpRoot).isPresent();
        if (a == Action.INSERT) {
            out.add(input(l, a, bridge, "tcp", 67));
            out.add(input(l, a, bridge, "udp", 67));
            out.add(output(l, a, bridge, "tcp", 68));
            out.add(output(l, a, bridge, "udp", 68));
            out.add(input(l, a, bridge, "tcp", 53));
            out.add(input(l, a, bridge, "udp", 53));
            out.add(output(l, a, bridge, "tcp", 53));
            out.add(output(l, a, bridge, "udp", 53));
            if (tftp) {
                out.add(input(l, a, bridge, "udp", 69));
                out.add(output(l, a, bridge, "udp", 69));
            }
            out.add(rejectOut(l, a, bridge));
            out.add(rejectIn(l, a, bridge));
            out.add(allowCross(l, a, bridge));
        } else {
            // libvirt's removal order, which is not quite the reverse of its insertion order
            out.add(allowCross(l, a, bridge));
            out.add(rejectIn(l, a, bridge));
            out.add(rejectOut(l, a, bridge));
            if (tftp) {
                out.add(input(l, a, bridge, "udp", 69));
                out.add(output(l, a, bridge, "udp", 69));
            }
            out.add(input(l, a, bridge, "udp", 53));
            out.add(input(l, a, bridge, "tcp", 53));
            out.add(output(l, a, bridge, "udp", 53));
            out.add(output(l, a, bridge, "tcp", 53));
            out.add(output(l, a, bridge, "udp", 68));
            out.add(output(l, a, bridge, "tcp", 68));
            out.add(input(l, a, bridge, "udp", 67));
            out.add(input(l, a, bridge, "tcp", 67));
        }
    }

    /** Only with an IPv6 address (or {@code <network ipv6='yes'>}): catch-alls, then DNS and DHCPv6 to the host. */
    private static void generalIpv6(List<FirewallCommand> out, NetworkDefinition def, String bridge, Action a) {
        Layer l = Layer.IPV6;
        boolean hasIpv6 = !def.ips(IpAddress.Family.IPV6).isEmpty();
        if (!hasIpv6 && !def.ipv6NoGateway()) return;
        List<FirewallCommand> rules = new ArrayList<>(List.of(rejectOut(l, a, bridge), rejectIn(l, a, bridge),
                allowCross(l, a, bridge)));
        if (hasIpv6) {
            rules.addAll(List.of(input(l, a, bridge, "tcp", 53), input(l, a, bridge, "udp", 53),
                    output(l, a, bridge, "tcp", 53), output(l, a, bridge, "udp", 53),
                    input(l, a, bridge, "udp", 547), output(l, a, bridge, "udp", 546)));
        }
        a.addInOrder(out, rules);
    }

    /** NAT for IPv4 (and IPv6 with {@code <nat ipv6='yes'>}); plain routing for the rest of NAT and routed networks. */
    private static void ipSpecific(List<FirewallCommand> out, NetworkDefinition def, String bridge, IpDefinition ip,
            Action a) throws NetworkStartException {
        ForwardMode mode = def.forward().mode();
        boolean v4 = ip.family() == IpAddress.Family.IPV4;
        if (mode == ForwardMode.NAT) {
            if (v4 || def.forward().natIpv6() == Tristate.YES) masquerading(out, def, bridge, ip, a);
            else routing(out, def, bridge, ip, a);
        } else if (mode == ForwardMode.ROUTE) {
            routing(out, def, bridge, ip, a);
        }
    }

    private static void masquerading(List<FirewallCommand> out, NetworkDefinition def, String bridge, IpDefinition ip,
            Action a) throws NetworkStartException {
        Layer l = Layer.of(ip.address());
        String net = ip.address().networkWithPrefix(ip.prefix());
        Optional<String> uplink = def.forward().uplink();
        boolean v4 = l == Layer.IPV4;
        String multicast = v4 ? LOCAL_MULTICAST_V4 : LOCAL_MULTICAST_V6;
        List<FirewallCommand> rules = new ArrayList<>();
        rules.add(allowOut(l, a, net, bridge, uplink));
        rules.add(allowRelatedIn(l, a, net, bridge, uplink));
        // inserted at the chain's head, so written in reverse: multicast and broadcast exemptions end up first
        rules.add(masquerade(l, a, net, uplink, def, null));
        rules.add(masquerade(l, a, net, uplink, def, "udp"));
        rules.add(masquerade(l, a, net, uplink, def, "tcp"));
        if (v4) rules.add(dontMasquerade(l, a, net, uplink, LOCAL_BROADCAST));
        rules.add(dontMasquerade(l, a, net, uplink, multicast));
        a.addInOrder(out, rules);
    }

    private static void routing(List<FirewallCommand> out, NetworkDefinition def, String bridge, IpDefinition ip, Action a) {
        Layer l = Layer.of(ip.address());
        String net = ip.address().networkWithPrefix(ip.prefix());
        Optional<String> uplink = def.forward().uplink();
        a.addInOrder(out, List.of(allowOut(l, a, net, bridge, uplink), allowIn(l, a, net, bridge, uplink)));
    }

    private static FirewallCommand allowOut(Layer l, Action a, String net, String bridge, Optional<String> uplink) {
        List<String> args = new ArrayList<>(List.of("--table", "filter", a.option, "LIBVIRT_FWO",
                "--source", net, "--in-interface", bridge));
        uplink.ifPresent(u -> args.addAll(List.of("--out-interface", u)));
        args.addAll(List.of("--jump", "ACCEPT"));
        return cmd(l, args.toArray(String[]::new));
    }

    private static FirewallCommand allowRelatedIn(Layer l, Action a, String net, String bridge, Optional<String> uplink) {
        return allowIn(l, a, net, bridge, uplink, "--match", "conntrack", "--ctstate", "ESTABLISHED,RELATED");
    }

    private static FirewallCommand allowIn(Layer l, Action a, String net, String bridge, Optional<String> uplink, String... match) {
        List<String> args = new ArrayList<>(List.of("--table", "filter", a.option, "LIBVIRT_FWI", "--destination", net));
        uplink.ifPresent(u -> args.addAll(List.of("--in-interface", u)));
        args.addAll(List.of("--out-interface", bridge));
        args.addAll(List.of(match));
        args.addAll(List.of("--jump", "ACCEPT"));
        return cmd(l, args.toArray(String[]::new));
    }

    /**
     * The source NAT rule: MASQUERADE, or SNAT when {@code <nat><address>} names public addresses; for tcp and
     * udp the source ports are confined to {@code <nat><port>} (default 1024-65535, so guests never get
     * privileged ports).
     */
    private static FirewallCommand masquerade(Layer l, Action a, String net, Optional<String> uplink,
            NetworkDefinition def, String protocol) throws NetworkStartException {
        List<String> args = new ArrayList<>(List.of("--table", "nat", a.option, "LIBVIRT_PRT", "--source", net));
        if (protocol != null) args.addAll(List.of("-p", protocol));
        args.addAll(List.of("!", "--destination", net));
        uplink.ifPresent(u -> args.addAll(List.of("--out-interface", u)));
        String ports = protocol == null ? null : portRange(def);
        Optional<NetworkDefinition.AddressRange> snat = def.forward().natAddresses()
                .filter(r -> Layer.of(r.start()) == l);
        if (snat.isPresent()) {
            String to = snat.get().start() + "-" + snat.get().end() + (ports == null ? "" : ":" + ports);
            args.addAll(List.of("--jump", "SNAT", "--to-source", to));
        } else {
            args.addAll(List.of("--jump", "MASQUERADE"));
            if (ports != null) args.addAll(List.of("--to-ports", ports));
        }
        return cmd(l, args.toArray(String[]::new));
    }

    /** {@code start-end} of the NAT source ports; libvirt refuses a range whose start is not below its end. */
    static String portRange(NetworkDefinition def) throws NetworkStartException {
        int start = def.forward().natPorts().map(NetworkDefinition.PortRange::start).orElse(0);
        int end = def.forward().natPorts().map(NetworkDefinition.PortRange::end).orElse(0);
        if (start == 0 && end == 0) {
            start = 1024;
            end = 65535;
        }
        if (!(start < end && end < 65536)) throw new NetworkStartException("Invalid port range '" + start + "-" + end + "'.");
        return start + "-" + end;
    }

    private static FirewallCommand dontMasquerade(Layer l, Action a, String net, Optional<String> uplink, String dest) {
        List<String> args = new ArrayList<>(List.of("--table", "nat", a.option, "LIBVIRT_PRT"));
        uplink.ifPresent(u -> args.addAll(List.of("--out-interface", u)));
        args.addAll(List.of("--source", net, "--destination", dest, "--jump", "RETURN"));
        return cmd(l, args.toArray(String[]::new));
    }

    /**
     * DHCP replies leave the host with a partial checksum when the guest's NIC offloads it; libvirt asks the
     * mangle table to fill it in, for the first IPv4 address with DHCP.
     */
    private static void checksum(List<FirewallCommand> out, NetworkDefinition def, String bridge, Action a) {
        if (firstIpv4(def, false).isEmpty()) return;
        out.add(cmd(Layer.IPV4, "--table", "mangle", a.option, "LIBVIRT_PRT", "--out-interface", bridge,
                "--protocol", "udp", "--destination-port", "68", "--jump", "CHECKSUM", "--checksum-fill"));
    }
}
