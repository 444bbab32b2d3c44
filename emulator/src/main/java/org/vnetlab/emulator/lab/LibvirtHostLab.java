package org.vnetlab.emulator.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeConfig;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.hostconf.DumpKind;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.emulator.hostconf.iface.InterfaceAddress;
import org.vnetlab.emulator.hostconf.iface.InterfaceConfig;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Nexthop;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.internet.Internet;
import org.vnetlab.emulator.internet.Zone;
import org.vnetlab.emulator.libvirt.driver.DaemonConfig;
import org.vnetlab.emulator.libvirt.driver.FirewallBackend;
import org.vnetlab.emulator.libvirt.driver.NetworkConf;
import org.vnetlab.emulator.libvirt.firewall.NftablesFirewall;
import org.vnetlab.emulator.netfilter.iptables.IpsetReferences;
import org.vnetlab.emulator.netfilter.iptables.IpsetSave;
import org.vnetlab.emulator.netfilter.iptables.IpsetSaveParser;
import org.vnetlab.emulator.nftables.NftCounters;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.nftables.firewall.HostFirewall;
import org.vnetlab.emulator.nftables.syntax.NftParser;
import org.vnetlab.emulator.libvirt.driver.DnsmasqLauncher;
import org.vnetlab.emulator.libvirt.driver.GuestTap;
import org.vnetlab.emulator.libvirt.driver.LibvirtDaemon;
import org.vnetlab.emulator.libvirt.driver.LibvirtError;
import org.vnetlab.emulator.libvirt.driver.VirshResult;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.link.LinkProperties;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.router.Router;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.PcapngCaptureSink;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.pcap.PcapngWriter;

/**
 * A virtualization host in its world, ready to probe: the host (stack, live iptables, netfilter, libvirtd with
 * its networks running), its uplink on a LAN switch with the router and a LAN host, the router's WAN to the
 * emulated internet (by default the reference captures': 8.8.8.8 and 1.1.1.1 resolving google.com to
 * 142.250.1.1, a web server there), and the guests plugged into libvirt
 * networks through {@code vnetN} taps.
 *
 * <p>The article's host, from its dump files, in one line:
 * <pre>{@code
 * LibvirtHostLab lab = LibvirtHostLab.fromDump(HostDump.load(Path.of("article-host")), 1);
 * Guest win = lab.addGuest("win10", OsProfile.windows10("DESKTOP-1"), MacAddress.parse("52:54:00:3b:7d:11"));
 * }</pre>
 * Whatever the dump does not say is filled in with a stated default, listed in {@link #assumptions()}.
 *
 * <p>Topology (node/interface): {@code host/enp3s0} — switch {@code lan/lan0} — {@code router/lan}
 * (the dump's default gateway) and {@code lanhost/eth0} (routes the guest networks via the host, for inbound
 * probes); {@code router/wan} (203.0.113.2/30) — {@code internet/wan0}, 5 ms one way. Each guest's NIC is
 * wired to its tap {@code host/vnetN}, a port of the network's bridge.
 */
public final class LibvirtHostLab {
    /** Where the reference host sat; used when the dump does not give the uplink's own address. */
    public static final Ipv4Address REFERENCE_HOST_ADDRESS = Ipv4Address.parse("192.168.0.10");
    public static final MacAddress REFERENCE_UPLINK_MAC = MacAddress.parse("00:d8:61:0a:0b:10");
    public static final MacAddress LAN_HOST_MAC = MacAddress.parse("00:11:32:00:00:20");
    public static final long WAN_LATENCY = SimTime.millis(5);

    private final Lab lab;
    private final LibvirtHost host;
    private final Router router;
    private final Internet internet;
    private final IpStack lanHost;
    private final List<String> assumptions;
    private final Map<String, Guest> guests = new LinkedHashMap<>();
    private final List<String> capturedInterfaces = new ArrayList<>();
    private PcapngCaptureSink capture;

    private LibvirtHostLab(Lab lab, LibvirtHost host, Router router, Internet internet, IpStack lanHost,
            List<String> assumptions, List<String> capturedInterfaces) {
        this.lab = lab;
        this.host = host;
        this.router = router;
        this.internet = internet;
        this.lanHost = lanHost;
        this.assumptions = List.copyOf(assumptions);
        this.capturedInterfaces.addAll(capturedInterfaces);
    }

    // ------------------------------------------------------------------ building

    /** The host a dump describes, with its running libvirt networks, in its world. */
    public static LibvirtHostLab fromDump(HostDump dump, long seed) throws InputException, LibvirtError {
        return Builder.fromDump(dump, seed).build();
    }

    public static Builder builder(long seed) { return new Builder(seed); }

    /**
     * What a lab is built from. Every setter replaces a default; {@link #build} records the defaults that
     * were used in the lab's assumptions.
     */
    public static final class Builder {
        private final long seed;
        private final List<String> assumptions = new ArrayList<>();
        private String uplink;
        private MacAddress uplinkMac;
        private Ipv4Assignment uplinkAddress;
        private Ipv4Address gateway;
        private RoutingTable routes;
        private SaveFile ruleset;
        private HostFirewall.Backend iptablesBackend = HostFirewall.Backend.UNKNOWN;
        private NftRuleset nftRuleset;
        private String nftText;
        private String nftFile;
        private String ipsetText;
        private String ipsetFile;
        private Sysctls sysctls;
        private boolean sysctlsAreRuntime;
        private ResolvConf resolv;
        private BrNetfilter.Initial brNetfilter;
        private final List<String> networks = new ArrayList<>();
        private final List<InterfaceConfig> otherInterfaces = new ArrayList<>();
        private Ipv4Assignment lanHostAddress;
        private Router.Config routerConfig;
        private java.util.function.Function<Lab, Internet> internetFactory;
        private DaemonConfig daemonConfig = DaemonConfig.defaults();
        private DnsmasqFactory dnsmasq = (lab, host, resolv, epoch) -> new DnsmasqOnHost(host, resolv, epoch);

        private Builder(long seed) {
            this.seed = seed;
        }

        /** The host's uplink: its name, MAC and address (the default route leaves by it). */
        public Builder uplink(String name, MacAddress mac, Ipv4Assignment address) {
            this.uplink = name;
            this.uplinkMac = mac;
            this.uplinkAddress = address;
            return this;
        }

        /** The LAN's router, the host's default gateway. */
        public Builder gateway(Ipv4Address gw) {
            this.gateway = gw;
            return this;
        }

        /** The host's main routing table as dumped; replaces the routes the addresses would give. */
        public Builder routes(RoutingTable table) {
            this.routes = table;
            return this;
        }

        /** The host's live iptables ruleset (iptables-save text; its header names the backend). */
        public Builder iptablesSave(String text, String fileName) throws InputException {
            this.ruleset = IptablesSaveParser.parse(text, fileName);
            this.iptablesBackend = HostFirewall.backendOf(text);
            return this;
        }

        /**
         * The host's ipsets ({@code ipset save} or {@code ipset list} output): their members are loaded into the
         * host's netfilter, and rules naming a set it does not hold are refused as iptables refuses them. Without
         * it, every set a rule names is assumed empty. Parsed when the lab is built.
         */
        public Builder ipsetSave(String text, String fileName) {
            this.ipsetText = Objects.requireNonNull(text);
            this.ipsetFile = Objects.requireNonNull(fileName);
            return this;
        }

        /**
         * The host's live nftables ruleset ({@code nft list ruleset} output, or an {@code nft -f} file): native
         * tables run on the same hooks and conntrack as iptables'; tables iptables-nft manages are evaluated from
         * the iptables-save given (else read as nft lists them). Parsed when the lab is built, knowing which
         * tables the iptables-save shows.
         */
        public Builder nftRuleset(String text, String fileName) {
            this.nftText = Objects.requireNonNull(text);
            this.nftFile = Objects.requireNonNull(fileName);
            return this;
        }

        /** The host's sysctls; {@code runtime} when they are a {@code sysctl -a} dump, not boot files. */
        public Builder sysctls(Sysctls s, boolean runtime) {
            this.sysctls = s;
            this.sysctlsAreRuntime = runtime;
            return this;
        }

        /**
         * Whether br_netfilter is loaded and bridge-nf-call-iptables on; by default read from the {@code sysctl -a}
         * values, else assumed from Docker's chains in the iptables ruleset ({@link BrNetfilter.Initial#fromDump}).
         */
        public Builder brNetfilter(BrNetfilter.Initial state) {
            this.brNetfilter = Objects.requireNonNull(state);
            return this;
        }

        public Builder resolvConf(ResolvConf r) {
            this.resolv = r;
            return this;
        }

        /** A libvirt network running on the host, as {@code virsh net-dumpxml} printed it. */
        public Builder network(String liveXml) {
            networks.add(liveXml);
            return this;
        }

        /** A router of your own (its LAN address must be the gateway's); the internet stays at 203.0.113.1. */
        public Builder router(Router.Config c) {
            this.routerConfig = Objects.requireNonNull(c);
            return this;
        }

        /** An internet of your own (its edge must be the router's upstream). */
        public Builder internet(java.util.function.Function<Lab, Internet> factory) {
            this.internetFactory = Objects.requireNonNull(factory);
            return this;
        }

        public Builder lanHost(Ipv4Assignment address) {
            this.lanHostAddress = address;
            return this;
        }

        public Builder daemonConfig(DaemonConfig c) {
            this.daemonConfig = Objects.requireNonNull(c);
            return this;
        }

        /** How the network's dnsmasq runs on the host (the emulated dnsmasq by default). */
        public Builder dnsmasq(DnsmasqFactory f) {
            this.dnsmasq = Objects.requireNonNull(f);
            return this;
        }

        /** The lines of a vnetlab-collect manifest's "Not collected:" section. */
        static List<String> notCollected(String manifest) {
            List<String> out = new ArrayList<>();
            boolean in = false;
            for (String line : manifest.split("\n")) {
                if (line.equals("Not collected:")) {
                    in = true;
                } else if (in && line.startsWith("  ") && !line.isBlank()) {
                    out.add(line.strip());
                } else if (in) {
                    break;
                }
            }
            return out;
        }

        static Builder fromDump(HostDump dump, long seed) throws InputException {
            Builder b = new Builder(seed);
            for (String n : dump.notes()) b.assumptions.add("dump: " + n);
            // what vnetlab-collect could not gather, in its own words (e.g. virsh not installed: no network XML)
            for (var m : dump.of(DumpKind.COLLECTOR_MANIFEST)) {
                for (String skipped : notCollected(m.text())) b.assumptions.add(m.name() + ": vnetlab-collect did not collect " + skipped);
            }
            dump.networkXmls().values().forEach(b.networks::add);
            Optional<RoutingTable> table = dump.routingTable();
            if (table.isPresent()) b.routes = table.get();
            Optional<Route> dflt = table.flatMap(t -> t.routes(Route.MAIN).stream()
                    .filter(r -> r.destination().isDefault() && r.gateway().isPresent()).findFirst());
            if (dflt.isPresent()) {
                b.gateway = dflt.get().gateway().get();
                b.uplink = dflt.get().dev().orElse("enp3s0");
            }
            Optional<InterfaceConfig> up = dump.interfaces().flatMap(i -> b.uplink == null ? Optional.empty() : i.byName(b.uplink));
            if (up.isPresent()) {
                up.get().mac().ifPresent(m -> b.uplinkMac = m);
                up.get().ipv4().stream().findFirst().ifPresent(a -> b.uplinkAddress = Ipv4Assignment.from(a));
            }
            if (b.uplink != null && b.uplinkAddress == null && b.routes != null) {
                String dev = b.uplink;
                Optional<Ipv4Prefix> connected = b.routes.routes(Route.MAIN).stream()
                        .filter(r -> !r.destination().isDefault() && r.gateway().isEmpty() && r.dev().equals(Optional.of(dev)))
                        .map(Route::destination).findFirst();
                if (connected.isPresent()) {
                    Ipv4Prefix p = connected.get();
                    Ipv4Address guess = p.contains(REFERENCE_HOST_ADDRESS) ? REFERENCE_HOST_ADDRESS
                            : new Ipv4Address(p.network().bits() + 10);
                    b.uplinkAddress = Ipv4Assignment.of(guess, p.length());
                    b.assumptions.add("uplink " + dev + " address " + guess + "/" + p.length() + ": the dump has no ip addr"
                            + " for it; inferred from the connected route " + p + " (the reference host's address)");
                }
            }
            dump.interfaces().ifPresent(ifs -> {
                for (InterfaceConfig ic : ifs.interfaces()) {
                    if (!ic.name().equals("lo") && !ic.name().equals(b.uplink)) b.otherInterfaces.add(ic);
                }
            });
            Optional<String> save = dump.iptablesSave();
            if (save.isPresent()) {
                String name = dump.of(DumpKind.IPTABLES_SAVE).get(0).name();
                b.ruleset = IptablesSaveParser.parse(save.get(), name);
                b.iptablesBackend = HostFirewall.backendOf(save.get());
            }
            if (dump.ipsetSave().isPresent()) {
                b.ipsetSave(dump.ipsetSave().get(), dump.of(DumpKind.IPSET_SAVE).get(0).name());
            }
            if (dump.nftRuleset().isPresent()) {
                b.nftRuleset(dump.nftRuleset().get(), dump.of(DumpKind.NFT_RULESET).get(0).name());
            }
            Optional<FirewallBackend> configured = Optional.empty();
            if (dump.libvirtNetworkConf().isPresent()) {
                configured = NetworkConf.firewallBackend(dump.libvirtNetworkConf().get(), dump.of(DumpKind.LIBVIRT_NETWORK_CONF).get(0).name());
            }
            if (configured.isPresent()) {
                b.daemonConfig = b.daemonConfig.withFirewallBackend(configured.get());
            } else if (dump.nftRuleset().map(t -> t.contains("table ip " + NftablesFirewall.TABLE + " {")).orElse(false)) {
                b.daemonConfig = b.daemonConfig.withFirewallBackend(FirewallBackend.NFTABLES);
                b.assumptions.add("libvirt's firewall backend is nftables: " + (dump.libvirtNetworkConf().isPresent()
                        ? "network.conf does not set firewall_backend" : "the dump has no network.conf")
                        + ", and the nft ruleset holds libvirt's table ip " + NftablesFirewall.TABLE + " (libvirt 10.4+)");
            }
            dump.sysctls().ifPresent(run -> {
                b.sysctls = run.state();
                b.sysctlsAreRuntime = !dump.of(DumpKind.SYSCTL_DUMP).isEmpty();
            });
            dump.resolvConf().ifPresent(r -> b.resolv = r);
            return b;
        }

        public LibvirtHostLab build() throws InputException, LibvirtError {
            Lab lab = new Lab(seed);
            List<String> a = new ArrayList<>(assumptions);
            if (uplink == null) {
                uplink = "enp3s0";
                a.add("uplink enp3s0: the dump has no default route naming the host's uplink");
            }
            if (uplinkMac == null) {
                uplinkMac = REFERENCE_UPLINK_MAC;
                a.add("uplink " + uplink + " MAC " + REFERENCE_UPLINK_MAC + " (the reference host's): not in the dump");
            }
            if (uplinkAddress == null) {
                uplinkAddress = Ipv4Assignment.parse("192.168.0.10/24");
                a.add("uplink " + uplink + " 192.168.0.10/24 (the reference host): not in the dump");
            }
            if (gateway == null) {
                gateway = Ipv4Address.parse("192.168.0.1");
                a.add("default gateway 192.168.0.1 on " + uplink + ": the dump has no default route");
            }

            // the host
            IpStack stack = new IpStack(lab, "host");
            LinkDevice up = new LinkDevice(lab, "host", uplink, uplinkMac);
            stack.attach(up);
            stack.addAddress(uplink, uplinkAddress);
            up.setUp(true);
            for (InterfaceConfig ic : otherInterfaces) {
                if (ic.name().startsWith("vnet") || isNetworkBridge(ic.name())) continue;
                a.add("interface " + ic.name() + " from the dump exists on the host but is not wired to anything");
                LinkDevice d = new LinkDevice(lab, "host", ic.name(), ic.mac().orElse(MacAddress.parse("02:00:00:00:00:01")));
                stack.attach(d);
                for (InterfaceAddress ad : ic.ipv4()) stack.addAddress(ic.name(), Ipv4Assignment.from(ad));
                if (ic.isUp()) d.setUp(true);
            }

            SaveFile save = ruleset;
            boolean nftBackend = daemonConfig.firewallBackend() == FirewallBackend.NFTABLES;
            if (save == null && nftText == null) {
                a.add("no iptables-save nor nft ruleset in the dump: the host's firewall holds libvirt's rules only");
            } else if (save == null && !nftBackend) {
                a.add("no iptables-save in the dump: the host's iptables holds libvirt's rules only");
            }
            Ruleset initial = save == null ? Ruleset.EMPTY : save.ruleset();
            RuleCounters counters = save == null ? new RuleCounters() : save.counters();
            if (nftText != null) {
                Set<String> iptablesNft = new HashSet<>();
                if (iptablesBackend != HostFirewall.Backend.LEGACY) {
                    for (var t : initial.tables()) iptablesNft.add("ip " + t.name().iptablesName());
                }
                nftRuleset = NftRuleset.EMPTY.apply(NftParser.parse(nftFile, nftText, iptablesNft));
            }
            Optional<IpsetSave> ipsetSave = Optional.empty();
            if (ipsetText != null) {
                IpsetSave sets = IpsetSaveParser.parse(ipsetText, ipsetFile);
                Optional<InputException> missing = IpsetReferences.firstMissing(initial, sets);
                if (missing.isPresent()) throw missing.get();
                a.addAll(sets.assumptions());
                ipsetSave = Optional.of(sets);
            }
            HostIptables iptables = new HostIptables(initial, counters);
            HostFirewall.Builder fb = HostFirewall.builder().kernelLog(lab.log(), "host");
            // the iptables front end's backend: legacy unless its header says nf_tables (or nft shows its tables)
            if (nftRuleset != null && iptablesBackend != HostFirewall.Backend.LEGACY) fb.iptablesNft(initial, counters);
            else fb.iptablesLegacy(initial, counters);
            fb.nft(nftRuleset == null ? NftRuleset.EMPTY : nftRuleset, new NftCounters());
            HostFirewall firewall = fb.build(stack.hostNetwork(), ConntrackSettings.DEFAULTS, seed);
            Netfilter nf = firewall.netfilter();
            iptables.setKernel(r -> {
                nf.replaceRuleset(r, iptables.counters());
                firewall.iptablesChanged(r);
            });
            if (ipsetSave.isPresent()) {
                IpsetSave sets = ipsetSave.get();
                nf.loadIpsets(sets.sets());
                iptables.setParseCheck(r -> IpsetReferences.firstMissing(r, sets));
            }
            HostNftables nftables = new HostNftables(firewall.nft().ruleset(), firewall.nft().counters());
            nftables.setKernel(firewall.nft()::update);
            nftables.setListingView(firewall::listed);
            for (String f : firewall.report().findings()) a.add("firewall: " + f);
            NetfilterPacketFilter filter = new NetfilterPacketFilter(nf, lab);
            stack.setPacketFilter(filter);

            if (resolv == null) {
                a.add("/etc/resolv.conf: nameserver 8.8.8.8 (the reference host's): not in the dump; dnsmasq forwards there");
            }
            DnsmasqLauncher launcher = dnsmasq.create(lab, stack, Optional.ofNullable(resolv), daemonConfig.epoch());
            LibvirtDaemon daemon = new LibvirtDaemon(lab, stack, iptables, nftables, launcher, daemonConfig);
            BrNetfilter.Initial brState = brNetfilter != null ? brNetfilter
                    : BrNetfilter.Initial.fromDump(sysctlsAreRuntime ? Optional.ofNullable(sysctls) : Optional.empty(), initial);
            brState.assumption().ifPresent(a::add);
            BrNetfilter brnf = new BrNetfilter(filter, stack, brState);
            daemon.onBridgeCreated(brnf::install); // before the networks start: br_netfilter acts on every bridge
            if (networks.isEmpty()) {
                networks.add(STOCK_DEFAULT_NETWORK);
                a.add("no network XML in the dump: libvirt's stock 'default' network (virbr0, 192.168.122.1/24), running"
                        + " (add 'virsh net-dumpxml NETWORK' output to the dump, or name it with --net-xml)");
            }
            for (String xml : networks) {
                String name = daemon.adopt(xml, true);
                a.add("network '" + name + "' is running and marked autostart (virsh net-list is not in the dump)");
            }
            // as at boot, when the dump does not show the backend's rules: libvirtd installs its chains and the networks' rules
            if (nftBackend ? nftText == null : save == null) daemon.restart();

            // sysctls and routes as the dump has them, now that every device exists
            if (sysctls != null) {
                StackSysctls.apply(stack, sysctls, a);
                if (!sysctlsAreRuntime) {
                    stack.setIpForward(true);
                    a.add("net.ipv4.ip_forward = 1 at run time: libvirt writes it when it starts a forwarding network,"
                            + " whatever the boot-time sysctl files say (the dump has no sysctl -a)");
                }
            } else {
                stack.setIpForward(true);
                a.add("sysctls: Linux 6.18 defaults, with ip_forward = 1 as libvirt leaves it (not in the dump)");
            }
            if (sysctls == null || !sysctlsAreRuntime) {
                stack.setSettings(stack.settings().withAll(stack.settings().all().withRpFilter(2)));
                a.add("net.ipv4.conf.all.rp_filter = 2 (systemd's 50-default.conf, as on the reference host): no sysctl -a in the dump");
            }
            if (routes != null) {
                stack.setRoutes(routes);
                for (Route r : routes.routes()) {
                    if (r.dev().isPresent() && stack.iface(r.dev().get()).isEmpty()) {
                        a.add("route " + r.destination() + " via device " + r.dev().get() + " that the lab does not have");
                    }
                }
            } else {
                stack.addDefaultRoute(gateway, uplink, 0);
                a.add("routes: the connected ones and default via " + gateway + " (no ip route / route -n in the dump)");
            }

            // the LAN: a switch joining the host's uplink, the router and a LAN host
            Bridge sw = new Bridge(lab, "lan", BridgeConfig.of("lan0", MacAddress.parse("02:00:00:00:1a:00")));
            sw.setUp(true);
            int prefix = uplinkAddress.prefixLength();
            Router.Config rc = routerConfig;
            if (rc == null) {
                rc = new Router.Config(Ipv4Assignment.of(gateway, prefix), Router.DEFAULT_LAN_MAC,
                        Ipv4Assignment.parse("203.0.113.2/30"), Router.DEFAULT_WAN_MAC, Internet.DEFAULT_ADDRESS);
                a.add("router " + gateway + " (LAN) | 203.0.113.2/30 (WAN), routing only, no NAT, 5 ms from the internet");
            }
            Router router = new Router(lab, rc);
            Internet internet;
            if (internetFactory != null) {
                internet = internetFactory.apply(lab);
            } else {
                internet = Internet.reference(lab);
                a.add("the internet of the reference capture rig: resolvers 8.8.8.8 and 1.1.1.1 (google.com A 142.250.1.1),"
                        + " a web server at 142.250.1.1: HTTP on port 80, and port 443 completes TCP handshakes only (no TLS is emulated)");
            }
            Link.connect(lab, "wan", router.wan(), internet.device(), LinkProperties.IDEAL.withLatency(WAN_LATENCY));
            // a home router answers DNS for its LAN, and hosts commonly name it in resolv.conf (a collected dump of
            // such a host would otherwise find dnsmasq's upstream silent); a router no resolv.conf names stays quiet
            Ipv4Address routerLan = rc.lan().address();
            if (resolv != null && resolv.usedNameservers().contains(routerLan.toString())) {
                Zone zone = internet.hosts().stream().flatMap(h -> h.dns().stream()).findFirst().orElse(Zone.reference());
                router.answerDns(zone);
                a.add("the router " + routerLan + " answers DNS, as the host's resolv.conf expects, with the emulated internet's names"
                        + " (it does not forward: its answers are the internet resolvers')");
            }
            wire(lab, sw, "host", up);
            wire(lab, sw, "router", router.lan());

            if (lanHostAddress == null) {
                Ipv4Prefix net = uplinkAddress.network();
                lanHostAddress = Ipv4Assignment.of(new Ipv4Address(net.network().bits() + 20), prefix);
                a.add("LAN host " + lanHostAddress + " (lanhost/eth0) routing the guest networks via " + uplinkAddress.address());
            }
            IpStack lan = new IpStack(lab, "lanhost");
            LinkDevice lanNic = new LinkDevice(lab, "lanhost", "eth0", LAN_HOST_MAC);
            lan.attach(lanNic);
            lan.addAddress("eth0", lanHostAddress);
            lanNic.setUp(true);
            lan.addDefaultRoute(gateway, "eth0", 0);
            for (String n : daemon.list().stream().map(i -> i.name()).toList()) {
                for (var ip : daemon.definition(n).ips()) {
                    if (ip.address() instanceof org.vnetlab.emulator.libvirt.IpAddress.V4 v4) {
                        lan.addRoute(Route.unicast(Ipv4Prefix.containing(v4.address(), ip.prefix()),
                                Nexthop.via(uplinkAddress.address(), "eth0"), 0));
                    }
                }
            }
            wire(lab, sw, "lanhost", lanNic);

            LibvirtHost host = new LibvirtHost(lab, stack, iptables, nftables, firewall, filter, brnf, daemon, new LinkedHashMap<>(),
                    new HostIpsets(ipsetSave, nf, iptables));
            if (launcher instanceof DnsmasqOnHost d) host.useDnsmasq(d);
            List<String> captured = List.of("host/" + uplink, "router/lan", "lanhost/eth0", "router/wan");
            return new LibvirtHostLab(lab, host, router, internet, lan, a, captured);
        }

        private boolean isNetworkBridge(String dev) {
            // without network XML the stock default network runs (added later): its bridge is not a dumped device either
            for (String xml : networks.isEmpty() ? List.of(STOCK_DEFAULT_NETWORK) : networks) {
                if (xml.contains("name='" + dev + "'") || xml.contains("name=\"" + dev + "\"")) return true;
            }
            return false;
        }

        private static void wire(Lab lab, Bridge sw, String peerNode, LinkDevice peer) {
            LinkDevice port = new LinkDevice(lab, "lan", "to-" + peerNode, MacAddress.parse(
                    String.format("02:00:00:00:1a:%02x", sw.ports().size() + 1)));
            port.setUp(true);
            sw.addPort(port);
            Link.connect(lab, "lan-" + peerNode, peer, port);
        }
    }

    /** Starts a host's dnsmasq launcher (the emulated dnsmasq, or a test's). */
    @FunctionalInterface
    public interface DnsmasqFactory {
        DnsmasqLauncher create(Lab lab, IpStack host, Optional<ResolvConf> resolvConf, java.time.Instant epoch);
    }

    /** libvirt's stock default.xml, for a dump without network XML. */
    static final String STOCK_DEFAULT_NETWORK = """
            <network>
              <name>default</name>
              <bridge name='virbr0'/>
              <forward/>
              <ip address='192.168.122.1' netmask='255.255.255.0'>
                <dhcp>
                  <range start='192.168.122.2' end='192.168.122.254'/>
                </dhcp>
              </ip>
            </network>
            """;

    // ------------------------------------------------------------------ using

    public Lab lab() { return lab; }

    public LibvirtHost host() { return host; }

    public Router router() { return router; }

    public Internet internet() { return internet; }

    /** The LAN host (node {@code lanhost}), for probes into the guest networks from outside. */
    public IpStack lanHost() { return lanHost; }

    /** Every default the lab filled in for what the dump did not say, in the order they were decided. */
    public List<String> assumptions() { return assumptions; }

    /** {@code virsh ...} on the host. */
    public VirshResult virsh(String commandLine) { return host.virsh(commandLine); }

    /** A guest booted on the network {@code default}, its DHCP client started. */
    public Guest addGuest(String name, OsProfile profile, MacAddress mac) throws LibvirtError {
        return addGuest(name, profile, mac, "default", true);
    }

    /**
     * A guest on a libvirt network: libvirt plugs a tap {@code vnetN} into the network's bridge, the guest's NIC
     * is wired to it, and (with {@code dhcp}) its DHCP client starts as at boot.
     */
    public Guest addGuest(String name, OsProfile profile, MacAddress mac, String network, boolean dhcp) throws LibvirtError {
        if (guests.containsKey(name)) throw new IllegalArgumentException("guest " + name + " exists");
        GuestTap tap = host.libvirtd().plugGuest(name, network, mac);
        Guest g = Guest.create(lab, name, profile, mac);
        Link.connect(lab, tap.device().name(), tap.device(), g.nic());
        capturedInterfaces.add(tap.device().path());
        if (capture != null) lab.addCaptureSink(tap.device().path(), capture);
        guests.put(name, g);
        if (dhcp) g.startDhcp();
        return g;
    }

    public Guest guest(String name) {
        Guest g = guests.get(name);
        if (g == null) throw new IllegalArgumentException("no guest " + name);
        return g;
    }

    public List<Guest> guests() { return List.copyOf(guests.values()); }

    /**
     * Records every link into one pcapng stream from now on: one interface per link, named after the end that
     * is recorded ({@code host/enp3s0}, {@code host/vnet0}, {@code router/wan}...), virtual timestamps. Close
     * it with {@link #closeCapture()}.
     */
    public void startCapture(OutputStream out) throws IOException {
        if (capture != null) throw new IllegalStateException("already capturing");
        capture = new PcapngCaptureSink(new PcapngWriter(out, "vnetlab"));
        for (String path : capturedInterfaces) lab.addCaptureSink(path, capture);
    }

    public void closeCapture() throws IOException {
        if (capture != null) capture.close();
    }

    /** Traces of every packet through the host's netfilter. */
    public List<Trace> traces() { return host.traces(); }

    /** Lets virtual time pass (timers, retransmissions, STP). */
    public void runFor(long nanos) { lab.scheduler().runFor(nanos); }
}
