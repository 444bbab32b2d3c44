package org.vnetlab.scenarios.dump;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.DumpContent;
import org.vnetlab.emulator.hostconf.DumpKind;
import org.vnetlab.emulator.hostconf.DumpedFile;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.emulator.hostconf.iface.HostInterfaces;
import org.vnetlab.emulator.hostconf.iface.InterfaceAddress;
import org.vnetlab.emulator.hostconf.iface.InterfaceConfig;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.hostconf.resolv.ResolvConfParser;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.emulator.hostconf.sysctl.SysctlCommand;
import org.vnetlab.emulator.hostconf.sysctl.SysctlConf;
import org.vnetlab.emulator.hostconf.sysctl.SysctlSetting;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.lab.BrNetfilter;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.libvirt.NetworkXmlParser;
import org.vnetlab.emulator.libvirt.driver.FirewallBackend;
import org.vnetlab.emulator.libvirt.driver.NetworkConf;
import org.vnetlab.emulator.libvirt.firewall.NftablesFirewall;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.nftables.firewall.HostFirewall;
import org.vnetlab.emulator.nftables.syntax.NftParser;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IpsetReferences;
import org.vnetlab.emulator.netfilter.iptables.IpsetSave;
import org.vnetlab.emulator.netfilter.iptables.IpsetSaveParser;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.scenarios.script.Topology;

/**
 * Reads a host dump folder (files recognised by content, or named explicitly) into a complete {@link
 * DumpedHost}. What the dump lacks takes the article host's value, and says so.
 */
public final class DumpReader {
    /** The article's network (libvirt's stock default.xml, started), for a dump without network XML. */
    public static final String DEFAULT_NETWORK = """
            <network>
              <name>default</name>
              <uuid>f1eff8aa-73e7-4573-8d36-571a85714777</uuid>
              <forward mode='nat'>
                <nat>
                  <port start='1024' end='65535'/>
                </nat>
              </forward>
              <bridge name='virbr0' stp='on' delay='0'/>
              <mac address='52:54:00:73:62:06'/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
            </network>
            """;
    static final String DEFAULT_RESOLV = "nameserver 8.8.8.8\nnameserver 1.1.1.1\n";
    static final MacAddress DEFAULT_UPLINK_MAC = MacAddress.parse("00:d8:61:0a:0b:10");

    private final List<String> assumptions = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    /** The guest's settings named explicitly (guest-settings=, --guest): the guest's, whatever its content suggests. */
    private Optional<DumpedFile> namedGuest = Optional.empty();

    private DumpReader() {}

    /**
     * @param folder    the dump folder; null when the topology names no dump (everything is assumed)
     * @param overrides files named explicitly, by part (absolute, or relative to {@code base})
     */
    public static DumpedHost read(Path folder, Map<Topology.DumpPart, String> overrides, Path base) throws InputException {
        return new DumpReader().load(folder, overrides, base);
    }

    private DumpedHost load(Path folder, Map<Topology.DumpPart, String> overrides, Path base) throws InputException {
        List<DumpedFile> files = new ArrayList<>();
        if (folder != null) {
            HostDump dump;
            try {
                dump = HostDump.load(folder);
            } catch (IOException e) {
                throw new InputException(folder.toString(), 0, 0, null, "cannot read the dump folder: " + e.getMessage(), null);
            }
            files.addAll(dump.files());
            notes.addAll(dump.notes());
        }
        for (Map.Entry<Topology.DumpPart, String> o : overrides.entrySet()) {
            Path p = base.resolve(o.getValue());
            String text;
            try {
                text = Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InputException(o.getValue(), 0, 0, null, "cannot read: " + e.getMessage(), null);
            }
            DumpedFile f = explicit(o.getKey(), o.getValue(), text);
            // an explicitly named file wins over any file of the same kind found in the folder
            files.removeIf(x -> replaces(o.getKey(), x));
            if (o.getKey() == Topology.DumpPart.GUEST_SETTINGS) namedGuest = Optional.of(f);
            else files.add(f);
        }

        Optional<DumpedFile> xml = first(files, DumpKind.NETWORK_XML);
        String networkFile = xml.map(DumpedFile::name).orElse("");
        String networkXml = xml.map(DumpedFile::text).orElse(DEFAULT_NETWORK);
        if (xml.isEmpty()) assume("No network XML (virsh net-dumpxml): assumed libvirt's 'default' network, 192.168.122.0/24 on virbr0 with NAT.");
        NetworkDefinition network = NetworkXmlParser.parse(xml.isEmpty() ? "default network" : networkFile, networkXml);
        if (files.stream().filter(f -> f.is(DumpKind.NETWORK_XML)).count() > 1) {
            notes.add("several network XML files; the network emulated is " + networkFile);
        }

        Optional<DumpedFile> routesFile = first(files, DumpKind.IP_ROUTE).or(() -> first(files, DumpKind.ROUTE_N));
        Optional<RoutingTable> routes = routesFile.map(f -> ((DumpContent.Routes) f.content()).table());
        // a guest's ip addr is no description of the host: the host's is the first listing that is not a guest's
        Optional<DumpedFile> addrFile = files.stream().filter(f -> f.is(DumpKind.IP_ADDR) && !isGuestListing(f)).findFirst()
                .or(() -> first(files, DumpKind.IP_ADDR_BRIEF));
        HostInterfaces interfaces = addrFile.map(f -> ((DumpContent.Interfaces) f.content()).interfaces())
                .orElse(HostInterfaces.of(List.of()));
        String bridge = network.bridgeName().orElse("virbr0");
        DumpedHost.Uplink uplink = uplink(routes, interfaces, bridge);

        Optional<DumpedFile> save = first(files, DumpKind.IPTABLES_SAVE);
        Optional<DumpedFile> nftDump = first(files, DumpKind.NFT_RULESET);
        Optional<DumpedFile> networkConf = first(files, DumpKind.LIBVIRT_NETWORK_CONF);
        Optional<FirewallBackend> configured = networkConf.isPresent()
                ? NetworkConf.firewallBackend(networkConf.get().text(), networkConf.get().name()) : Optional.empty();
        boolean libvirtTable = nftDump.map(f -> f.text().contains("table ip " + NftablesFirewall.TABLE + " {")).orElse(false);
        FirewallBackend backend = configured.orElse(libvirtTable ? FirewallBackend.NFTABLES : FirewallBackend.IPTABLES);
        if (configured.isEmpty() && libvirtTable) {
            assume("libvirt's firewall backend is nftables: " + (networkConf.isPresent() ? "network.conf does not set firewall_backend"
                    : "no network.conf") + ", and the nft ruleset holds libvirt's table ip " + NftablesFirewall.TABLE + ".");
        }
        Ruleset ruleset;
        RuleCounters counters;
        String rulesFile = save.map(DumpedFile::name).orElse("");
        NftRuleset nft = NftRuleset.EMPTY;
        if (save.isPresent()) {
            SaveFile sf = IptablesSaveParser.parse(save.get().text(), save.get().name());
            ruleset = sf.ruleset();
            counters = sf.counters();
        } else {
            ruleset = Ruleset.EMPTY;
            counters = new RuleCounters();
        }
        if (nftDump.isPresent()) {
            Set<String> iptablesNft = new HashSet<>();
            if (save.isPresent() && HostFirewall.backendOf(save.get().text()) != HostFirewall.Backend.LEGACY) {
                for (var t : ruleset.tables()) iptablesNft.add("ip " + t.name().iptablesName());
            }
            nft = NftRuleset.EMPTY.apply(NftParser.parse(nftDump.get().name(), nftDump.get().text(), iptablesNft));
        }
        if (save.isEmpty() && backend == FirewallBackend.NFTABLES) {
            if (nftDump.isEmpty()) {
                try {
                    nft = LibvirtRules.addNft(NftRuleset.EMPTY, network);
                } catch (NetworkStartException e) {
                    throw new InputException(networkFile, 0, 0, null, e.getMessage(), null);
                }
                assume("No nft ruleset: assumed exactly the table libvirt's nftables backend creates for this network.");
            }
        } else if (save.isEmpty()) {
            try {
                ruleset = LibvirtRules.add(Ruleset.EMPTY, counters, network);
            } catch (NetworkStartException e) {
                throw new InputException(networkFile, 0, 0, null, e.getMessage(), null);
            }
            assume("No iptables-save: assumed exactly the rules libvirt creates for this network, on an otherwise empty firewall.");
        }

        Optional<DumpedFile> ipsetDump = first(files, DumpKind.IPSET_SAVE);
        String ipsetFile = ipsetDump.map(DumpedFile::name).orElse("");
        if (ipsetDump.isPresent()) {
            IpsetSave sets = IpsetSaveParser.parse(ipsetDump.get().text(), ipsetFile);
            Optional<InputException> missing = IpsetReferences.firstMissing(ruleset, sets);
            if (missing.isPresent()) throw missing.get();
            sets.assumptions().forEach(this::assume);
        }

        Optional<DumpedFile> sysctlDump = first(files, DumpKind.SYSCTL_DUMP);
        Optional<DumpedFile> sysctlConfFile = first(files, DumpKind.SYSCTL_CONF);
        String sysctlConf = sysctlConfFile.map(DumpedFile::text).orElse("");
        // br_netfilter's keys exist only while it is loaded: as the dump's sysctl -a shows, else as the lab assumes it
        Optional<Sysctls> runtime = sysctlDump.map(f -> ((DumpContent.SysctlState) f.content()).sysctls());
        boolean brNetfilter = BrNetfilter.Initial.fromDump(runtime, ruleset).loaded();
        Sysctls sysctls = Sysctls.kernelDefaults(List.of("lo", uplink.name(), bridge), brNetfilter)
                .with("net.ipv4.ip_forward", "1").with("net.ipv4.conf.all.rp_filter", "2").with("net.ipv4.conf.default.rp_filter", "2");
        if (sysctlDump.isPresent()) {
            Sysctls dumped = ((DumpContent.SysctlState) sysctlDump.get().content()).sysctls();
            for (String k : dumped.keys()) {
                if (sysctls.exists(k)) sysctls = sysctls.with(k, dumped.get(k).orElseThrow());
            }
            if (!dumped.has("net.ipv4.ip_forward")) assume("The sysctl dump does not show net.ipv4.ip_forward: assumed 1 (libvirt sets it when it starts a NAT network).");
        } else if (sysctlConfFile.isPresent()) {
            SysctlConf conf = ((DumpContent.SysctlFile) sysctlConfFile.get().content()).conf();
            for (SysctlSetting s : conf.settings()) {
                if (s.value().isPresent() && sysctls.exists(s.key())) sysctls = sysctls.with(s.key(), s.value().get());
            }
            assume("No running sysctl values (sysctl -a): assumed " + sysctlConfFile.get().name() + " is in effect, on top of "
                    + "ip_forward=1 (libvirt sets it) and rp_filter=2 (systemd's default).");
        } else {
            assume("No sysctl values: assumed net.ipv4.ip_forward=1 (libvirt sets it for NAT) and rp_filter=2 (systemd's default).");
        }

        Optional<DumpedFile> resolvFile = first(files, DumpKind.RESOLV_CONF);
        String resolvText = resolvFile.map(DumpedFile::text).orElse(DEFAULT_RESOLV);
        ResolvConf resolv = resolvFile.isPresent() ? ((DumpContent.Resolver) resolvFile.get().content()).resolvConf()
                : ResolvConfParser.parse("/etc/resolv.conf", DEFAULT_RESOLV);
        if (resolvFile.isEmpty()) assume("No /etc/resolv.conf: assumed nameserver 8.8.8.8 and 1.1.1.1, which dnsmasq forwards to.");
        Optional<DumpedGuest> guest = namedGuest.flatMap(DumpedGuest::named);
        if (namedGuest.isPresent() && guest.isEmpty()) notes.add(namedGuest.get().name() + ": the guest's settings show no IPv4 address");
        for (DumpedFile f : namedGuest.isPresent() ? List.<DumpedFile>of() : files) {
            Optional<DumpedGuest> g = DumpedGuest.of(f);
            if (g.isEmpty()) {
                if (isGuestListing(f)) notes.add(f.name() + ": a guest's ip addr without an IPv4 address on its NIC");
                continue;
            }
            if (guest.isPresent()) {
                notes.add(f.name() + ": another guest's network settings; the diagnosis uses " + guest.get().file() + "'s");
                continue;
            }
            guest = g;
        }
        assume("The router at " + uplink.gateway() + " only routes (no NAT, no DNS) and has no route back to "
                + network.ips().stream().findFirst().map(ip -> ip.network() + "/" + ip.prefix()).orElse("the guest network")
                + "; the internet holds 8.8.8.8 and 1.1.1.1 (resolvers) and 142.250.1.1 (google.com, web on port 80, TCP handshakes on 443).");
        return new DumpedHost(networkFile, networkXml, network, rulesFile, ruleset, counters, interfaces, routes, uplink,
                sysctls, sysctlConf, resolvText, resolv, guest, assumptions, notes, nftDump.map(DumpedFile::name).orElse(""), nft, backend,
                ipsetFile);
    }

    static boolean isGuestListing(DumpedFile f) {
        return f.is(DumpKind.IP_ADDR) && f.content() instanceof DumpContent.Interfaces i && DumpedGuest.isGuests(i.interfaces());
    }

    private DumpedHost.Uplink uplink(Optional<RoutingTable> routes, HostInterfaces interfaces, String bridge) {
        Optional<Route> def = routes.flatMap(t -> t.routes(Route.MAIN).stream()
                .filter(r -> r.destination().equals(Ipv4Prefix.DEFAULT) && r.gateway().isPresent()).findFirst());
        String name;
        Ipv4Address gateway;
        if (def.isPresent()) {
            name = def.get().dev().orElse("enp3s0");
            gateway = def.get().gateway().get();
        } else {
            name = interfaces.interfaces().stream().map(InterfaceConfig::name)
                    .filter(n -> !n.equals("lo") && !n.equals(bridge) && !n.startsWith("vnet") && !n.startsWith("docker"))
                    .findFirst().orElse("enp3s0");
            gateway = Ipv4Address.parse("192.168.0.1");
            assume("No default route in the dump: assumed the host's default gateway is 192.168.0.1 on " + name + ".");
        }
        Optional<InterfaceConfig> ic = interfaces.byName(name);
        Optional<InterfaceAddress> addr = ic.flatMap(InterfaceConfig::primaryAddress);
        MacAddress mac = ic.flatMap(InterfaceConfig::mac).orElse(DEFAULT_UPLINK_MAC);
        if (ic.flatMap(InterfaceConfig::mac).isEmpty()) assume("The dump does not show " + name + "'s MAC address: assumed " + mac + ".");
        Ipv4Address address;
        int prefix;
        if (addr.isPresent()) {
            address = addr.get().address();
            prefix = addr.get().prefixLength();
        } else {
            Optional<Route> connected = routes.flatMap(t -> t.routes(Route.MAIN).stream()
                    .filter(r -> r.gateway().isEmpty() && r.dev().equals(Optional.of(name)) && r.destination().contains(gateway)).findFirst());
            prefix = connected.map(r -> r.destination().length()).orElse(24);
            Ipv4Prefix net = Ipv4Prefix.containing(gateway, prefix);
            // the article host's address on its LAN: .10 of the gateway's network, unless that is the gateway
            Ipv4Address guess = new Ipv4Address(net.network().bits() + 10);
            if (guess.equals(gateway)) guess = new Ipv4Address(net.network().bits() + 11);
            address = guess;
            assume("The dump does not show " + name + "'s address: assumed " + address + "/" + prefix + " (the article host's).");
        }
        return new DumpedHost.Uplink(name, mac, address, prefix, gateway);
    }

    private void assume(String sentence) { assumptions.add(sentence); }

    private static Optional<DumpedFile> first(List<DumpedFile> files, DumpKind kind) {
        return files.stream().filter(f -> f.is(kind)).findFirst();
    }

    /**
     * A file named for {@code part}, recognised by content and checked to be what the part needs: a guest's
     * settings are ipconfig output or an {@code ip addr} listing that is not a host's (no bridge, tap or enslaved
     * interface).
     */
    static DumpedFile explicit(Topology.DumpPart part, String name, String text) throws InputException {
        DumpedFile f = HostDump.recognise(name, text);
        if (!kinds(part).stream().anyMatch(f::is)) {
            throw new InputException(name, 0, 0, null, "this is not " + part.what() + " output", "check the file given for " + part.key());
        }
        if (part == Topology.DumpPart.GUEST_SETTINGS && f.is(DumpKind.IP_ADDR) && f.content() instanceof DumpContent.Interfaces i
                && DumpedGuest.looksLikeAHost(i.interfaces())) {
            throw new InputException(name, 0, 0, null, "this ip addr listing is a host's (it has a bridge, a tap or an enslaved interface), "
                    + "not a guest's", "give the output of 'ip addr' run inside the guest");
        }
        return f;
    }

    /** Whether a file found in the dump folder gives way to the file named for {@code part}. */
    static boolean replaces(Topology.DumpPart part, DumpedFile x) {
        return switch (part) {
            // a guest's listing and the host's are both ip addr: each replaces only its own
            case ADDRESSES -> (x.is(DumpKind.IP_ADDR) && !isGuestListing(x)) || x.is(DumpKind.IP_ADDR_BRIEF);
            case GUEST_SETTINGS -> x.is(DumpKind.IPCONFIG) || isGuestListing(x);
            default -> kinds(part).stream().anyMatch(x::is);
        };
    }

    private static List<DumpKind> kinds(Topology.DumpPart part) {
        return switch (part) {
            case NETWORK_XML -> List.of(DumpKind.NETWORK_XML);
            case IPTABLES -> List.of(DumpKind.IPTABLES_SAVE);
            case SYSCTL -> List.of(DumpKind.SYSCTL_DUMP, DumpKind.SYSCTL_CONF);
            case ROUTES -> List.of(DumpKind.IP_ROUTE, DumpKind.ROUTE_N);
            case ADDRESSES -> List.of(DumpKind.IP_ADDR, DumpKind.IP_ADDR_BRIEF);
            case RESOLV_CONF -> List.of(DumpKind.RESOLV_CONF);
            case NFT_RULESET -> List.of(DumpKind.NFT_RULESET);
            case IPSET -> List.of(DumpKind.IPSET_SAVE);
            case NETWORK_CONF -> List.of(DumpKind.LIBVIRT_NETWORK_CONF);
            case GUEST_SETTINGS -> List.of(DumpKind.IPCONFIG, DumpKind.IP_ADDR);
        };
    }
}
