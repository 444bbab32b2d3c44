package org.vnetlab.scenarios.world;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeConfig;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.dnsmasq.DnsmasqSettings;
import org.vnetlab.emulator.dnsmasq.HostFiles;
import org.vnetlab.emulator.dnsmasq.LibvirtSettings;
import org.vnetlab.emulator.dnsmasq.StackDnsmasq;
import org.vnetlab.emulator.hostconf.iface.InterfaceAddress;
import org.vnetlab.emulator.hostconf.iface.InterfaceConfig;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfParser;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfig;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.InterfaceConf;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.emulator.stack.StackSettings;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.scenarios.dump.DumpedHost;
import org.vnetlab.scenarios.dump.LibvirtRules;

/**
 * The emulated host: its IP stack with the uplink and the libvirt bridge, the netfilter ruleset in force,
 * its sysctls and files, and its one libvirt network's lifecycle (persistent and running definitions,
 * dnsmasq, the guests' taps). All the host's mutable state lives here.
 */
final class HostMachine {
    final Lab lab;
    final IpStack stack;
    final LinkDevice uplink;
    final Bridge bridge;
    final DumpedHost dump;
    private final long seed;

    private Ruleset ruleset;
    private final RuleCounters counters;
    private NetfilterPacketFilter filter;
    private final List<Trace> archivedTraces = new ArrayList<>();

    Sysctls sysctls;
    final Map<String, String> files = new LinkedHashMap<>();

    /** The persistent definition (what {@code --inactive} shows) and the running one, if the network runs. */
    NetworkXml persistent;
    Optional<NetworkXml> running;
    boolean autostart = true;
    private Optional<StackDnsmasq.Running> dnsmasq = Optional.empty();

    /** Guest taps by guest name, and whether each is plugged into the bridge. */
    final Map<String, LinkDevice> taps = new LinkedHashMap<>();
    final Map<String, Boolean> plugged = new LinkedHashMap<>();

    static final String RESOLV_CONF = "/etc/resolv.conf";
    static final String SYSCTL_CONF = "/etc/sysctl.conf";

    HostMachine(Lab lab, DumpedHost dump, long seed) throws InputException {
        this.lab = lab;
        this.dump = dump;
        this.seed = seed;
        this.stack = new IpStack(lab, "host");
        DumpedHost.Uplink up = dump.uplink();
        this.uplink = new LinkDevice(lab, "host", up.name(), up.mac());
        stack.attach(uplink);
        stack.addAddress(up.name(), Ipv4Assignment.of(up.address(), up.prefixLength()));
        uplink.setUp(true);

        NetworkDefinition def = dump.network();
        String bridgeName = def.bridgeName().orElse("virbr0");
        MacAddress bridgeMac = def.mac().orElse(MacAddress.parse("52:54:00:73:62:06"));
        BridgeConfig bc = BridgeConfig.of(bridgeName, bridgeMac);
        NetworkDefinition.Bridge b = def.bridge().orElse(null);
        if (b != null) {
            if (b.stp().isPresent()) bc = bc.withStp(b.stp().get());
            if (b.delay().isPresent()) bc = bc.withForwardDelay(SimTime.seconds(b.delay().getAsLong()));
        }
        this.bridge = new Bridge(lab, "host", bc);
        stack.attach(bridge);

        // other interfaces of the dump (docker0, ...): present, addressed, with nothing behind them
        for (InterfaceConfig ic : dump.interfaces().interfaces()) {
            String n = ic.name();
            if (n.equals("lo") || n.equals(up.name()) || n.equals(bridgeName) || n.startsWith("vnet")) continue;
            if (stack.iface(n).isPresent()) continue;
            LinkDevice d = new LinkDevice(lab, "host", n, ic.mac().orElse(MacAddress.parse("02:00:00:00:00:01")));
            stack.attach(d);
            for (InterfaceAddress a : ic.ipv4()) stack.addAddress(n, Ipv4Assignment.from(a));
            if (ic.isUp()) d.setUp(true);
        }

        this.counters = dump.counters();
        this.sysctls = dump.sysctls();
        files.put(RESOLV_CONF, dump.resolvText());
        files.put(SYSCTL_CONF, dump.sysctlConf());
        this.persistent = new NetworkXml(org.vnetlab.emulator.libvirt.xml.SecureXmlReader.read(
                dump.networkFile().isEmpty() ? "network" : dump.networkFile(), dump.networkXml()), def);
        this.running = Optional.of(persistent);
        bringUpBridge(def);
        if (dump.routes().isPresent()) {
            RoutingTable t = dump.routes().get();
            List<Route> main = new ArrayList<>();
            for (Route r : t.routes(Route.MAIN)) {
                if (r.dev().map(d -> stack.iface(d).isPresent()).orElse(true)) main.add(r);
            }
            stack.setRoutes(RoutingTable.of(main));
        } else {
            stack.addDefaultRoute(up.gateway(), up.name(), 0);
        }
        applySysctls();
        loadRules(dump.ruleset());
        startDnsmasq(def);
    }

    // ---- netfilter -------------------------------------------------------------------------------------

    Ruleset ruleset() { return ruleset; }

    RuleCounters counters() { return counters; }

    /**
     * Puts a ruleset in force, as the kernel does after iptables commits a table. The emulated engine is
     * rebuilt from the new ruleset, so connection tracking starts afresh (the kernel would keep its entries).
     */
    void loadRules(Ruleset r) throws InputException {
        Netfilter nf = Netfilter.iptables(r, counters, stack.hostNetwork(), ConntrackSettings.DEFAULTS, seed);
        if (filter != null) archivedTraces.addAll(filter.traces());
        filter = new NetfilterPacketFilter(nf, lab);
        stack.setPacketFilter(filter);
        ruleset = r;
    }

    /** Every packet trace so far, oldest first. */
    List<Trace> traces() {
        List<Trace> all = new ArrayList<>(archivedTraces);
        all.addAll(filter.traces());
        return all;
    }

    // ---- sysctls ---------------------------------------------------------------------------------------

    void applySysctls() {
        stack.setIpForward(sysctls.intValue("net.ipv4.ip_forward") != 0);
        StackSettings s = stack.settings();
        s = s.withAll(s.all().withRpFilter(sysctls.intValue("net.ipv4.conf.all.rp_filter")));
        for (var iface : stack.interfaces()) {
            String key = "net.ipv4.conf." + iface.name() + ".rp_filter";
            if (sysctls.exists(key)) {
                InterfaceConf c = s.interfaceConf(iface.name());
                s = s.withInterface(iface.name(), c.withRpFilter(sysctls.intValue(key)));
            }
        }
        stack.setSettings(s);
    }

    void setSysctls(Sysctls s) {
        sysctls = s;
        applySysctls();
    }

    // ---- the libvirt network ----------------------------------------------------------------------------

    boolean active() { return running.isPresent(); }

    int connections() { return (int) plugged.values().stream().filter(b -> b).count(); }

    /** {@code virsh net-start}: bridge up with its address, libvirt's rules, forwarding on, dnsmasq. */
    void start() throws InputException, NetworkStartException {
        NetworkDefinition def = persistent.definition();
        String name = def.bridgeName().orElse("virbr0");
        if (!name.equals(bridge.name())) {
            throw new NetworkStartException("vnetlab emulates one bridge, " + bridge.name() + "; the definition names " + name);
        }
        Ruleset r = LibvirtRules.add(ruleset, counters, def);
        bringUpBridge(def);
        loadRules(r);
        if (def.forward().mode() == NetworkDefinition.ForwardMode.NAT || def.forward().mode() == NetworkDefinition.ForwardMode.ROUTE) {
            // networkEnableIPForwarding: libvirt turns forwarding on for networks it routes
            sysctls = sysctls.with("net.ipv4.ip_forward", "1");
            applySysctls();
        }
        running = Optional.of(persistent);
        startDnsmasq(def);
    }

    /** {@code virsh net-destroy}: dnsmasq stops, libvirt's rules go, the bridge and its taps go down. */
    void destroy() throws InputException, NetworkStartException {
        NetworkDefinition def = running.orElseThrow().definition();
        dnsmasq.ifPresent(d -> d.stop().run());
        dnsmasq = Optional.empty();
        loadRules(LibvirtRules.remove(ruleset, counters, def));
        for (String guest : taps.keySet()) unplug(guest);
        for (Ipv4Assignment a : List.copyOf(stack.iface(bridge.name()).orElseThrow().addresses())) {
            stack.removeAddress(bridge.name(), a.address());
        }
        bridge.setUp(false);
        running = Optional.empty();
    }

    /** {@code systemctl restart libvirtd}: running networks get their rules re-applied and taps plugged back. */
    void restartDaemon() throws InputException, NetworkStartException {
        if (running.isPresent()) {
            NetworkDefinition def = running.get().definition();
            Ruleset r = LibvirtRules.remove(ruleset, counters, def);
            loadRules(LibvirtRules.add(r, counters, def));
            for (String guest : taps.keySet()) plug(guest);
        } else if (autostart) {
            start();
            for (String guest : taps.keySet()) plug(guest);
        }
    }

    void plug(String guest) {
        if (Boolean.TRUE.equals(plugged.get(guest)) || !active()) return;
        bridge.addPort(taps.get(guest));
        plugged.put(guest, true);
    }

    void unplug(String guest) {
        if (!Boolean.TRUE.equals(plugged.get(guest))) return;
        bridge.removePort(taps.get(guest));
        plugged.put(guest, false);
    }

    private void bringUpBridge(NetworkDefinition def) {
        for (NetworkDefinition.IpDefinition ip : def.ips()) {
            if (ip.address() instanceof IpAddress.V4 v4) {
                stack.addAddress(bridge.name(), Ipv4Assignment.of(v4.address(), ip.prefix()));
            }
        }
        bridge.setUp(true);
    }

    private void startDnsmasq(NetworkDefinition def) throws InputException {
        if (!DnsmasqConfig.needed(def)) return;
        try {
            DnsmasqConfig cfg = DnsmasqConfig.generate(def, DnsmasqConfig.Options.libvirtDefaults());
            DnsmasqOptions o = DnsmasqConfParser.parse(cfg.confPath(), cfg.conf());
            Map<String, String> side = new LinkedHashMap<>();
            side.put(cfg.hostsFilePath(), cfg.hostsFile());
            side.put(cfg.addnHostsPath(), cfg.addnHosts());
            DnsmasqSettings settings = LibvirtSettings.from(cfg.confPath(), o, side);
            dnsmasq = Optional.of(StackDnsmasq.startStoppable(stack, settings, hostFiles()));
        } catch (NetworkStartException e) {
            throw new InputException(persistent.name(), 0, 0, null, e.getMessage(), null);
        } catch (SocketException e) {
            throw new IllegalStateException("dnsmasq could not open its sockets: " + e.getMessage(), e);
        }
    }

    /**
     * /etc/resolv.conf changed: dnsmasq reads it again (it polls the file). The emulated dnsmasq is restarted
     * with the new upstream servers, so it forgets its leases (a real one keeps them in its lease file).
     */
    void resolvChanged() {
        if (dnsmasq.isEmpty() || running.isEmpty()) return;
        dnsmasq.get().stop().run();
        dnsmasq = Optional.empty();
        try {
            startDnsmasq(running.get().definition());
        } catch (InputException e) {
            throw new IllegalStateException("dnsmasq cannot restart with the new resolv.conf: " + e.getMessage(), e);
        }
    }

    private HostFiles hostFiles() throws InputException {
        ResolvConf resolv = org.vnetlab.emulator.hostconf.resolv.ResolvConfParser.parse(RESOLV_CONF, files.get(RESOLV_CONF));
        return LibvirtSettings.hostFiles(RESOLV_CONF, resolv, "");
    }

    Ipv4Address bridgeAddress() {
        return persistent.definition().ips().stream().filter(ip -> ip.address() instanceof IpAddress.V4)
                .map(ip -> ((IpAddress.V4) ip.address()).address()).findFirst().orElse(Ipv4Address.parse("192.168.122.1"));
    }

    int bridgePrefix() {
        return persistent.definition().ips().stream().filter(ip -> ip.address() instanceof IpAddress.V4)
                .mapToInt(NetworkDefinition.IpDefinition::prefix).findFirst().orElse(24);
    }
}
