package org.vnetlab.emulator.libvirt.driver;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeConfig;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Nexthop;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkDefinition.ForwardMode;
import org.vnetlab.emulator.libvirt.NetworkDefinition.IpDefinition;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfig;
import org.vnetlab.emulator.libvirt.firewall.FirewallCommand;
import org.vnetlab.emulator.libvirt.firewall.IptablesFirewall;
import org.vnetlab.emulator.libvirt.firewall.Layer;
import org.vnetlab.emulator.libvirt.firewall.NftablesFirewall;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.protocols.MacAddress;

/**
 * libvirt's network driver on one host: the network objects with their persistent definition (what
 * {@code net-define} stored) and live definition (what the running network was started from), autostart
 * flags, the lease status files, and the host resources a running network owns.
 *
 * <p>{@link #start} follows {@code networkStartNetworkVirtual}: check the subnet is not routed elsewhere,
 * create the bridge with the XML's MAC, forward delay then STP, insert the firewall rules (the private chains
 * are set up once per daemon lifetime first), add the bridge's addresses, bring it up, add the
 * {@code <route>}s, write {@code ip_forward=1} for every mode but isolated, start dnsmasq. A failure undoes
 * what was done. {@link #destroy} stops dnsmasq, takes the bridge down, deletes the firewall rules (the
 * commands saved when they were added, else the regenerated deletions of libvirt up to 10.2, errors ignored)
 * and deletes the bridge: guests' taps fall off it and stay off until the daemon restarts.
 *
 * <p>Editing or redefining a running network changes only its persistent definition; the live one is kept
 * until the network is destroyed and started again.
 *
 * <p>IPv4 only, like the emulated stack: IPv6 addresses and ip6tables rules of a definition are skipped and
 * reported in {@link #notes()}. Forward modes libvirt does not build itself (bridge, macvtap, hostdev) are
 * refused at start.
 */
public final class LibvirtDaemon {
    private static final int MAX_BRIDGE_ID = 256;

    private final Lab lab;
    private final IpStack host;
    private final IptablesRunner iptables;
    private final Optional<NftRunner> nft;
    private final DnsmasqLauncher dnsmasq;
    private final DaemonConfig config;
    private final SeededRandom random;
    private final Map<String, NetworkObject> networks = new LinkedHashMap<>();
    private final Map<String, List<DhcpLeaseRecord>> statusFiles = new HashMap<>();
    private final List<GuestTap> taps = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private boolean chainInitDone;
    private Optional<LibvirtError> chainInitError = Optional.empty();
    private int nextTap;
    private java.util.function.Consumer<Bridge> bridgeCreated = b -> { };

    /** One network object (virNetworkObj). */
    private static final class NetworkObject {
        NetworkDocument persistent; // null: transient
        NetworkDocument live; // null: inactive
        boolean autostart;
        Bridge bridge;
        DnsmasqLauncher.Process dnsmasqProcess;
        Optional<List<FirewallCommand>> firewallRemoval = Optional.empty();

        boolean active() { return live != null; }

        NetworkDocument current() { return live != null ? live : persistent; }

        String name() { return current().def().name(); }

        String uuid() { return current().def().uuid().orElseThrow(); }

        Optional<String> bridgeName() { return current().def().bridgeName(); }
    }

    /**
     * @param host     the host's network namespace, where bridges, addresses and routes go
     * @param iptables the host's live IPv4 ruleset
     * @param dnsmasq  starts the network's dnsmasq on the host
     */
    public LibvirtDaemon(Lab lab, IpStack host, IptablesRunner iptables, DnsmasqLauncher dnsmasq, DaemonConfig config) {
        this(lab, host, iptables, Optional.empty(), dnsmasq, config);
    }

    /**
     * A daemon on a host with nftables: {@code nft} runs the nftables backend's commands when {@code network.conf}
     * chooses it ({@link DaemonConfig#firewallBackend()}).
     */
    public LibvirtDaemon(Lab lab, IpStack host, IptablesRunner iptables, NftRunner nft, DnsmasqLauncher dnsmasq, DaemonConfig config) {
        this(lab, host, iptables, Optional.of(Objects.requireNonNull(nft, "nft")), dnsmasq, config);
    }

    private LibvirtDaemon(Lab lab, IpStack host, IptablesRunner iptables, Optional<NftRunner> nft, DnsmasqLauncher dnsmasq,
            DaemonConfig config) {
        this.lab = Objects.requireNonNull(lab, "lab");
        this.host = Objects.requireNonNull(host, "host");
        this.iptables = Objects.requireNonNull(iptables, "iptables");
        this.nft = nft;
        this.dnsmasq = Objects.requireNonNull(dnsmasq, "dnsmasq");
        this.config = Objects.requireNonNull(config, "config");
        this.random = lab.random(host.node() + "/libvirtd");
    }

    public DaemonConfig config() { return config; }

    public Lab lab() { return lab; }

    /** What the emulation skipped or could not do (IPv6 parts, ignored XML), in order. */
    public List<String> notes() { return List.copyOf(notes); }

    /** Wall-clock seconds since the Unix epoch, on the lab's clock. */
    long epochSeconds() {
        return config.epoch().getEpochSecond() + lab.now() / SimTime.NANOS_PER_SECOND;
    }

    // ------------------------------------------------------------------ lookups

    private NetworkObject byName(String name) throws LibvirtError {
        NetworkObject o = networks.get(name);
        if (o == null) throw new LibvirtError(LibvirtError.Code.NO_NETWORK, "no network with matching name '" + name + "'");
        return o;
    }

    /** virNetworkLookupByName. */
    public NetworkInfo lookupByName(String name) throws LibvirtError {
        return info(byName(name));
    }

    /** virNetworkLookupByUUIDString; the UUID is compared case-insensitively, as a parsed UUID is. */
    public NetworkInfo lookupByUuid(String uuid) throws LibvirtError {
        for (NetworkObject o : networks.values()) {
            if (o.uuid().equalsIgnoreCase(uuid)) return info(o);
        }
        throw new LibvirtError(LibvirtError.Code.NO_NETWORK, "no network with matching uuid '" + uuid + "'");
    }

    /** Every network, active or not, sorted by name as virsh sorts them (case-insensitively). */
    public List<NetworkInfo> list() {
        List<NetworkInfo> out = new ArrayList<>();
        for (NetworkObject o : networks.values()) out.add(info(o));
        out.sort(Comparator.comparing(i -> i.name().toLowerCase(Locale.ROOT)));
        return out;
    }

    private NetworkInfo info(NetworkObject o) {
        return new NetworkInfo(o.name(), o.uuid(), o.active(), o.persistent != null, o.autostart, o.bridgeName(),
                connections(o));
    }

    private int connections(NetworkObject o) {
        if (!o.active()) return 0;
        int n = 0;
        for (GuestTap t : taps) if (o.bridge != null && t.bridge().equals(Optional.of(o.bridge.name()))) n++;
        return n;
    }

    /** The running network's bridge device, when active. */
    public Optional<Bridge> bridge(String network) throws LibvirtError {
        return Optional.ofNullable(byName(network).bridge);
    }

    /** The definition the network runs with (live), or its persistent one when inactive. */
    public NetworkDefinition definition(String network) throws LibvirtError {
        return byName(network).current().def();
    }

    // ------------------------------------------------------------------ define / undefine

    /**
     * networkDefineXMLFlags: parse (schema only with {@code validate}), fill in the bridge name, MAC and UUID
     * libvirt assigns, and store as the persistent definition: a new inactive network, the next configuration
     * of a running one, or the new configuration of an inactive one.
     *
     * @return the network's name
     */
    public String define(String xml, boolean validate) throws LibvirtError {
        NetworkDocument doc = NetworkDocument.read(xml, validate, this::generateUuid);
        doc = validate(doc);
        for (String i : doc.ignored()) notes.add("network '" + doc.def().name() + "': libvirt ignores " + i);
        NetworkDefinition def = doc.def();
        NetworkObject sameUuid = null;
        for (NetworkObject o : networks.values()) if (o.uuid().equalsIgnoreCase(def.uuid().orElseThrow())) sameUuid = o;
        if (sameUuid != null) {
            if (!sameUuid.name().equals(def.name())) {
                throw new LibvirtError(LibvirtError.Code.OPERATION_FAILED,
                        "network '" + sameUuid.name() + "' is already defined with uuid " + sameUuid.uuid());
            }
            sameUuid.persistent = doc;
            return def.name();
        }
        NetworkObject sameName = networks.get(def.name());
        if (sameName != null) {
            throw new LibvirtError(LibvirtError.Code.OPERATION_FAILED,
                    "network '" + def.name() + "' already exists with uuid " + sameName.uuid());
        }
        NetworkObject o = new NetworkObject();
        o.persistent = doc;
        networks.put(def.name(), o);
        return def.name();
    }

    /** networkUndefine: an inactive network goes with its lease file; a running one becomes transient. */
    public void undefine(String name) throws LibvirtError {
        NetworkObject o = byName(name);
        if (o.persistent == null) throw new LibvirtError(LibvirtError.Code.OPERATION_INVALID, "can't undefine transient network");
        o.autostart = false;
        if (!o.active()) removeInactive(o);
        else o.persistent = null;
    }

    private void removeInactive(NetworkObject o) {
        o.bridgeName().ifPresent(statusFiles::remove);
        networks.remove(o.name());
    }

    /** networkValidate: the bridge name (given and free, or the first free virbrN) and a MAC for it. */
    private NetworkDocument validate(NetworkDocument doc) throws LibvirtError {
        NetworkDefinition def = doc.def();
        if (def.forward().mode().virtual()) {
            Optional<String> given = def.bridgeName().filter(b -> !b.contains("%d"));
            if (given.isPresent()) {
                for (NetworkObject o : networks.values()) {
                    if (!o.name().equals(def.name()) && o.bridgeName().equals(given)) {
                        throw new LibvirtError(LibvirtError.Code.INTERNAL_ERROR, "bridge name '" + given.get() + "' already in use.");
                    }
                }
            } else {
                def = Definitions.withBridgeName(def, unusedBridgeName(def));
            }
            if (def.mac().isEmpty()) def = Definitions.withMac(def, generateMac());
        }
        int dhcp4 = 0;
        for (IpDefinition ip : def.ips(IpAddress.Family.IPV4)) if (ip.hasDhcp()) dhcp4++;
        if (dhcp4 > 1) {
            throw new LibvirtError(LibvirtError.Code.CONFIG_UNSUPPORTED,
                    "Multiple IPv4 dhcp sections found -- dhcp is supported only for a single IPv4 address on each network");
        }
        return doc.withDefinition(def);
    }

    /** networkFindUnusedBridgeName: virbr0, virbr1, ... (or the given template), unused by networks and devices. */
    private String unusedBridgeName(NetworkDefinition def) throws LibvirtError {
        String template = def.bridgeName().filter(b -> b.indexOf("%d") >= 0 && b.indexOf('%') == b.lastIndexOf('%'))
                .orElse("virbr%d");
        for (int id = 0; id <= MAX_BRIDGE_ID; id++) {
            String name = template.replace("%d", Integer.toString(id));
            boolean used = host.iface(name).isPresent();
            for (NetworkObject o : networks.values()) {
                if (!o.name().equals(def.name()) && o.bridgeName().equals(Optional.of(name))) used = true;
            }
            if (!used) return name;
        }
        throw new LibvirtError(LibvirtError.Code.INTERNAL_ERROR, "Bridge generation exceeded max id " + MAX_BRIDGE_ID);
    }

    /** virUUIDGenerate: random bytes with the RFC 4122 version 4 and variant bits, from the lab's seed. */
    private String generateUuid() {
        long hi = random.nextLong();
        long lo = random.nextLong();
        hi = (hi & ~0xf000L) | 0x4000L;
        lo = (lo & ~(0xc000L << 48)) | (0x8000L << 48);
        return new java.util.UUID(hi, lo).toString();
    }

    /** virMacAddrGenerate with libvirt's 52:54:00 prefix. */
    private MacAddress generateMac() {
        return new MacAddress(0x5254_0000_0000L | (random.nextLong() & 0xff_ffffL));
    }

    // ------------------------------------------------------------------ autostart, XML, leases

    /** networkSetAutostart: only persistent networks have an autostart link. */
    public void setAutostart(String name, boolean on) throws LibvirtError {
        NetworkObject o = byName(name);
        if (o.persistent == null) {
            throw new LibvirtError(LibvirtError.Code.OPERATION_INVALID, "cannot set autostart for transient network");
        }
        o.autostart = on;
    }

    /**
     * networkGetXMLDesc: the live definition (with {@code connections}), or with {@code inactive} the
     * persistent one a running network will be restarted with.
     */
    public String xml(String name, boolean inactive) throws LibvirtError {
        NetworkObject o = byName(name);
        NetworkDocument doc = inactive && o.persistent != null ? o.persistent : o.current();
        return NetworkXmlFormatter.format(doc.def(), doc.source(), inactive, connections(o));
    }

    /**
     * networkGetDHCPLeases: the unexpired entries of the network's status file, running or not (the file
     * outlives dnsmasq), optionally for one MAC.
     */
    public List<DhcpLeaseRecord> dhcpLeases(String name, Optional<MacAddress> mac) throws LibvirtError {
        NetworkObject o = byName(name);
        syncStatusFile(o);
        List<DhcpLeaseRecord> out = new ArrayList<>();
        long now = epochSeconds();
        for (DhcpLeaseRecord r : o.bridgeName().map(statusFiles::get).orElse(List.of())) {
            if (r.expiredAt(now)) continue;
            if (mac.isPresent() && !mac.get().equals(r.mac())) continue;
            out.add(r);
        }
        return out;
    }

    /** The prefix length net-dhcp-leases prints after a lease's address: the network's first IPv4 {@code <ip>}'s. */
    int leasePrefix(String name) throws LibvirtError {
        return byName(name).current().def().ips(IpAddress.Family.IPV4).stream().findFirst().map(IpDefinition::prefix).orElse(0);
    }

    // ------------------------------------------------------------------ start / destroy

    /** networkCreate ({@code net-start}). */
    public void start(String name) throws LibvirtError {
        NetworkObject o = byName(name);
        if (o.active()) throw new LibvirtError(LibvirtError.Code.OPERATION_INVALID, "network is already active");
        startNetwork(o);
    }

    private void startNetwork(NetworkObject o) throws LibvirtError {
        // virNetworkObjDeleteAllPorts: ports of an earlier run are forgotten; taps are not re-plugged
        NetworkDocument doc = o.persistent;
        ForwardMode mode = doc.def().forward().mode();
        if (!mode.virtual()) {
            throw new LibvirtError(LibvirtError.Code.NO_SUPPORT, "vnetlab: forward mode '" + mode.xmlName()
                    + "' networks use a host device libvirt does not create; they are not emulated");
        }
        o.live = doc;
        try {
            startVirtual(o, doc.def());
        } catch (LibvirtError e) {
            o.live = null;
            throw e;
        }
    }

    /** networkStartNetworkVirtual, with its undo on failure. */
    private void startVirtual(NetworkObject o, NetworkDefinition def) throws LibvirtError {
        checkRouteCollision(def);
        String name = def.bridgeName().orElseThrow(() -> new LibvirtError(LibvirtError.Code.INTERNAL_ERROR,
                "network '" + def.name() + "' has no bridge name defined"));
        if (host.iface(name).isPresent() || lab.element(host.node() + "/" + name).isPresent()) {
            throw new LibvirtError(LibvirtError.Code.SYSTEM_ERROR, "Unable to create bridge " + name + ": File exists");
        }
        Bridge bridge = createBridge(o, def);
        boolean firewallAdded = false;
        try {
            if (def.forward().mode() != ForwardMode.OPEN) {
                o.firewallRemoval = Optional.of(addFirewallRules(def));
                firewallAdded = true;
            }
            boolean v4 = false;
            boolean v6 = false;
            for (IpDefinition ip : def.ips()) {
                if (ip.address() instanceof IpAddress.V4 a) {
                    v4 = true;
                    host.addAddress(name, Ipv4Assignment.of(a.address(), ip.prefix()));
                } else {
                    v6 = true;
                    notes.add("network '" + def.name() + "': IPv6 address " + ip.address() + "/" + ip.prefix()
                            + " not added (the emulated stack is IPv4 only)");
                }
            }
            bridge.setUp(true);
            for (NetworkDefinition.Route r : def.routes()) {
                if (r.address() instanceof IpAddress.V4 a && r.gateway() instanceof IpAddress.V4 gw) {
                    try {
                        host.addRoute(Route.unicast(Ipv4Prefix.containing(a.address(), r.prefix()),
                                Nexthop.via(gw.address(), name), r.metric().orElse(1)));
                    } catch (IllegalArgumentException e) {
                        notes.add("network '" + def.name() + "': route " + a + "/" + r.prefix() + " not added: " + e.getMessage());
                    }
                }
            }
            // networkEnableIPForwarding writes /proc/sys/net/ipv4/ip_forward (all + default + every interface)
            if (def.forward().mode() != ForwardMode.NONE && v4) host.setIpForward(true);
            if (v4 || v6) startDnsmasq(o, def);
        } catch (LibvirtError | RuntimeException e) {
            stopDnsmasq(o);
            bridge.setUp(false);
            if (firewallAdded) removeFirewallRules(o, def);
            deleteBridge(o);
            throw e;
        }
    }

    /** virNetDevBridgeCreate with the XML's MAC, then the MTU, the forward delay (while STP is off), then STP. */
    private Bridge createBridge(NetworkObject o, NetworkDefinition def) {
        NetworkDefinition.Bridge b = def.bridge().orElseThrow();
        BridgeConfig bc = BridgeConfig.of(def.bridgeName().orElseThrow(), def.mac().orElseThrow())
                .withForwardDelay(SimTime.seconds(b.delay().orElse(0)))
                .withStp(b.stp().orElse(true));
        Bridge bridge = new Bridge(lab, host.node(), bc);
        bridgeCreated.accept(bridge);
        host.attach(bridge);
        def.mtu().ifPresent(bridge::setMtu);
        o.bridge = bridge;
        return bridge;
    }

    /** networkCheckRouteCollision: a route to one of the network's subnets on another device refuses the start. */
    private void checkRouteCollision(NetworkDefinition def) throws LibvirtError {
        for (IpDefinition ip : def.ips(IpAddress.Family.IPV4)) {
            Ipv4Prefix net = Ipv4Prefix.containing(((IpAddress.V4) ip.address()).address(), ip.prefix());
            for (Route r : host.routes().routes(Route.MAIN)) {
                if (r.destination().equals(net) && r.dev().isPresent()) {
                    throw new LibvirtError(LibvirtError.Code.INTERNAL_ERROR,
                            "Network is already in use by interface " + r.dev().get());
                }
            }
        }
    }

    private void startDnsmasq(NetworkObject o, NetworkDefinition def) throws LibvirtError {
        if (!DnsmasqConfig.needed(def)) return;
        DnsmasqConfig files;
        try {
            files = DnsmasqConfig.generate(def, DnsmasqConfig.Options.libvirtDefaults()
                    .withPidFile("/run/libvirt/network/" + def.name() + ".pid"));
        } catch (NetworkStartException e) {
            throw new LibvirtError(LibvirtError.Code.CONFIG_UNSUPPORTED, e.getMessage());
        }
        String bridge = def.bridgeName().orElseThrow();
        List<DhcpLeaseRecord> known = new ArrayList<>();
        long now = epochSeconds();
        for (DhcpLeaseRecord r : statusFiles.getOrDefault(bridge, List.of())) if (!r.expiredAt(now)) known.add(r);
        o.dnsmasqProcess = dnsmasq.start(files, bridge, known);
    }

    /** The helper's status file follows dnsmasq's lease events; it stays when dnsmasq stops. */
    private void syncStatusFile(NetworkObject o) {
        if (o.dnsmasqProcess != null && o.bridgeName().isPresent()) {
            statusFiles.put(o.bridgeName().get(), List.copyOf(o.dnsmasqProcess.leases()));
        }
    }

    private void stopDnsmasq(NetworkObject o) {
        if (o.dnsmasqProcess == null) return;
        syncStatusFile(o);
        o.dnsmasqProcess.stop();
        o.dnsmasqProcess = null;
    }

    /**
     * Called with every bridge this daemon creates, before it has ports or addresses: the host's kernel
     * modules that act on all bridges (br_netfilter) hook it there.
     */
    public void onBridgeCreated(java.util.function.Consumer<Bridge> hook) { this.bridgeCreated = Objects.requireNonNull(hook); }

    /** networkDestroy ({@code net-destroy}). */
    public void destroy(String name) throws LibvirtError {
        NetworkObject o = byName(name);
        if (!o.active()) throw new LibvirtError(LibvirtError.Code.OPERATION_INVALID, "network '" + name + "' is not active");
        NetworkDefinition def = o.live.def();
        stopDnsmasq(o);
        o.bridge.setUp(false);
        if (def.forward().mode() != ForwardMode.OPEN) removeFirewallRules(o, def);
        deleteBridge(o);
        if (o.persistent == null) removeInactive(o); // a transient network is gone with its status file
        o.live = null;
    }

    /** virNetDevBridgeDelete: the ports leave (the taps stay, detached), the addresses and routes go with it. */
    private void deleteBridge(NetworkObject o) {
        Bridge bridge = o.bridge;
        bridge.setUp(false);
        for (var p : bridge.ports()) bridge.removePort(p.device());
        for (GuestTap t : taps) if (t.bridge().equals(Optional.of(bridge.name()))) t.setBridge(Optional.empty());
        host.detach(bridge.name());
        lab.remove(bridge);
        o.bridge = null;
    }

    // ------------------------------------------------------------------ firewall

    /** The commands iptablesAddFirewallRules runs; returns the removal libvirt saves in the status (rollback). */
    private List<FirewallCommand> addFirewallRules(NetworkDefinition def) throws LibvirtError {
        if (config.firewallBackend() == FirewallBackend.NFTABLES) return addNftRules(def);
        setupPrivateChains(false);
        if (chainInitError.isPresent()) throw chainInitError.get();
        List<FirewallCommand> add;
        try {
            add = IptablesFirewall.add(def);
        } catch (NetworkStartException e) {
            throw new LibvirtError(LibvirtError.Code.INTERNAL_ERROR, e.getMessage());
        }
        // two transactions: the rules (rolled back on failure), then the DHCP checksum fix (errors ignored)
        List<FirewallCommand> rules = new ArrayList<>();
        List<FirewallCommand> checksum = new ArrayList<>();
        for (FirewallCommand c : add) (c.args().contains("mangle") ? checksum : rules).add(c);
        List<FirewallCommand> applied = new ArrayList<>();
        for (FirewallCommand c : rules) {
            if (skipIpv6(def, c)) continue;
            try {
                iptables.run(c.args());
                applied.add(c);
            } catch (InputException e) {
                List<FirewallCommand> rollback = deletions(applied);
                for (FirewallCommand r : rollback) runIgnoringErrors(r);
                throw new LibvirtError(LibvirtError.Code.INTERNAL_ERROR,
                        "Failed to apply firewall command '" + String.join(" ", c.argv()) + "': " + e.problem());
            }
        }
        List<FirewallCommand> appliedChecksum = new ArrayList<>();
        for (FirewallCommand c : checksum) {
            try {
                iptables.run(c.args());
                appliedChecksum.add(c);
            } catch (InputException e) {
                notes.add("network '" + def.name() + "': ignored failure of '" + String.join(" ", c.argv()) + "': " + e.problem());
            }
        }
        // virFirewallNewFromRollback: groups in reverse, each group's rollback in reverse
        List<FirewallCommand> removal = new ArrayList<>(deletions(appliedChecksum));
        removal.addAll(deletions(applied));
        return removal;
    }

    private boolean skipIpv6(NetworkDefinition def, FirewallCommand c) {
        if (c.tool() != FirewallCommand.Tool.IP6TABLES) return false;
        notes.add("network '" + def.name() + "': ip6tables rule not applied (IPv6 not emulated): " + String.join(" ", c.argv()));
        return true;
    }

    private static List<FirewallCommand> deletions(List<FirewallCommand> added) {
        List<FirewallCommand> out = new ArrayList<>();
        for (FirewallCommand c : added) {
            List<String> args = new ArrayList<>(c.args());
            args.replaceAll(a -> a.equals("--insert") ? "--delete" : a);
            out.add(new FirewallCommand(c.tool(), args));
        }
        Collections.reverse(out);
        return out;
    }

    /**
     * nftablesAddFirewallRules: the private table and chains once per daemon lifetime, then each rule inserted
     * with {@code -ae} so nft echoes its handle; the removal saved is {@code nft delete rule ... handle N} for each,
     * newest first (virFirewallCmdNftablesApply's rollback). A failing command rolls back what was added.
     */
    private List<FirewallCommand> addNftRules(NetworkDefinition def) throws LibvirtError {
        NftRunner runner = nftRunner();
        setupPrivateChains(false);
        if (chainInitError.isPresent()) throw chainInitError.get();
        List<FirewallCommand> add;
        try {
            add = NftablesFirewall.add(def);
        } catch (NetworkStartException e) {
            throw new LibvirtError(LibvirtError.Code.INTERNAL_ERROR, e.getMessage());
        }
        List<NftablesFirewall.AddedRule> added = new ArrayList<>();
        for (FirewallCommand c : add) {
            try {
                String out = runner.run(c.args());
                added.add(new NftablesFirewall.AddedRule(c, echoedHandle(c, out)));
            } catch (InputException e) {
                for (FirewallCommand r : NftablesFirewall.removal(added)) runIgnoringErrors(r);
                throw new LibvirtError(LibvirtError.Code.INTERNAL_ERROR,
                        "Failed to apply firewall command '" + String.join(" ", c.argv()) + "': " + e.problem());
            }
        }
        return NftablesFirewall.removal(added);
    }

    private NftRunner nftRunner() throws LibvirtError {
        return nft.orElseThrow(() -> new LibvirtError(LibvirtError.Code.NO_SUPPORT, "vnetlab: this host has no nft to run"
                + " libvirt's nftables firewall backend; set firewall_backend = \"iptables\" in /etc/libvirt/network.conf"));
    }

    /** The {@code # handle N} nft -ae printed for a rule. */
    private static long echoedHandle(FirewallCommand c, String out) throws InputException {
        int at = out.indexOf("# handle ");
        if (at >= 0) {
            String digits = out.substring(at + 9).split("\\D", 2)[0];
            if (!digits.isEmpty()) return Long.parseLong(digits);
        }
        throw new InputException("nft", 1, 0, null, "couldn't register rollback command - command '" + String.join(" ", c.argv())
                + "' had no valid handle in output ('" + out.strip() + "')");
    }

    /** networkRemoveFirewallRules: the saved removal, or for a network without one the old-style deletions. */
    private void removeFirewallRules(NetworkObject o, NetworkDefinition def) {
        List<FirewallCommand> removal;
        if (o.firewallRemoval.isPresent()) {
            removal = o.firewallRemoval.get();
        } else {
            try {
                removal = config.firewallBackend() == FirewallBackend.NFTABLES ? nftRemovalFromTable(def) : IptablesFirewall.remove(def);
            } catch (NetworkStartException e) {
                notes.add("network '" + def.name() + "': firewall rules not removed: " + e.getMessage());
                return;
            }
        }
        for (FirewallCommand c : removal) {
            if (c.tool() == FirewallCommand.Tool.IPTABLES || c.tool() == FirewallCommand.Tool.NFT) runIgnoringErrors(c);
        }
        o.firewallRemoval = Optional.empty();
    }

    /**
     * A network taken over from a dump has no saved removal (libvirt keeps it in the network's status file,
     * which a dump does not hold): it is recovered from the live table, the rules libvirt inserts for the
     * network found by their statements and deleted by handle.
     */
    private List<FirewallCommand> nftRemovalFromTable(NetworkDefinition def) throws NetworkStartException {
        if (nft.isEmpty()) return List.of();
        Map<String, String> listings = new LinkedHashMap<>();
        for (String family : List.of("ip", "ip6")) {
            try {
                listings.put(family, nft.get().run(List.of("-a", "list", "table", family, NftablesFirewall.TABLE)));
            } catch (InputException e) {
                // no table of this family: nothing of the network's there
            }
        }
        return NftablesFirewall.removalFromListing(def, listings);
    }

    private void runIgnoringErrors(FirewallCommand c) {
        try {
            if (c.tool() == FirewallCommand.Tool.NFT) {
                if (nft.isPresent()) nft.get().run(c.args());
            } else {
                iptables.run(c.args());
            }
        } catch (InputException e) {
            // removal transactions ignore errors: a rule the user already deleted is simply not there
        }
    }

    /**
     * networkSetupPrivateChains: once per daemon lifetime (or forced after a firewalld reload), list each
     * table's rules and create the LIBVIRT_* chains and the jumps to them that are missing. A failure is kept
     * and reported when a network needing the chains starts.
     */
    private void setupPrivateChains(boolean force) {
        if (chainInitDone && !force) return;
        chainInitError = Optional.empty();
        if (config.firewallBackend() == FirewallBackend.NFTABLES) {
            setupNftPrivateChains();
            chainInitDone = true;
            return;
        }
        try {
            Map<String, List<String>> listing = new HashMap<>();
            for (String table : List.of("filter", "nat", "mangle")) {
                String out = iptables.run(List.of("-w", "--table", table, "--list-rules"));
                listing.put(table, out.lines().toList());
            }
            for (FirewallCommand c : IptablesFirewall.privateChainSetup(Layer.IPV4, listing)) {
                if (c.args().contains("--list-rules")) continue;
                iptables.run(c.args());
            }
        } catch (InputException e) {
            chainInitError = Optional.of(new LibvirtError(LibvirtError.Code.INTERNAL_ERROR,
                    "Failed to apply firewall command: " + e.problem()));
        }
        chainInitDone = true;
    }

    /**
     * nftablesSetupPrivateChains for ip then ip6: {@code nft list table FAMILY libvirt_network} (a missing table is
     * an empty listing, not an error), then the table, chains and jumps the listing lacks.
     */
    private void setupNftPrivateChains() {
        try {
            NftRunner runner = nftRunner();
            for (Layer layer : List.of(Layer.IPV4, Layer.IPV6)) {
                String listing;
                try {
                    listing = runner.run(List.of("list", "table", layer.nftFamily(), NftablesFirewall.TABLE));
                } catch (InputException e) {
                    listing = "";
                }
                for (FirewallCommand c : NftablesFirewall.privateChainSetup(layer, listing.lines().toList())) {
                    if (c.args().get(0).equals("list")) continue;
                    runner.run(c.args());
                }
            }
        } catch (InputException e) {
            chainInitError = Optional.of(new LibvirtError(LibvirtError.Code.INTERNAL_ERROR,
                    "Failed to apply firewall command: " + e.problem()));
        } catch (LibvirtError e) {
            chainInitError = Optional.of(e);
        }
    }

    /** networkReloadFirewallRulesHelper: every running NAT, routed or isolated network's rules, removed and added again. */
    private void reloadFirewallRules(boolean force) {
        boolean anyWithFirewall = false;
        for (NetworkObject o : networks.values()) {
            if (o.active() && o.live.def().forward().mode() != ForwardMode.OPEN) anyWithFirewall = true;
        }
        if (chainInitDone && force) setupPrivateChains(true);
        else if (anyWithFirewall) setupPrivateChains(false);
        for (NetworkObject o : networks.values()) {
            if (!o.active()) continue;
            NetworkDefinition def = o.live.def();
            if (def.forward().mode() == ForwardMode.OPEN) continue;
            removeFirewallRules(o, def);
            try {
                o.firewallRemoval = Optional.of(addFirewallRules(def));
            } catch (LibvirtError e) {
                notes.add("network '" + def.name() + "': firewall rules not reloaded: " + e.text());
            }
        }
    }

    // ------------------------------------------------------------------ daemon life

    /**
     * {@code systemctl restart libvirtd} (or virtnetworkd + virtqemud): running networks stay up (their bridges
     * exist), the private chains are checked once more, every running network's firewall rules are removed and
     * inserted again, dnsmasq gets a SIGHUP, autostart networks that are down are started, and the QEMU driver,
     * reconnecting to its guests, puts every tap back on its network's bridge. Returns the start failures of
     * autostart networks (libvirt logs them and carries on).
     */
    public List<LibvirtError> restart() {
        chainInitDone = false;
        chainInitError = Optional.empty();
        reloadFirewallRules(false);
        List<LibvirtError> failures = new ArrayList<>();
        for (NetworkObject o : List.copyOf(networks.values())) {
            if (o.autostart && !o.active()) {
                try {
                    startNetwork(o);
                } catch (LibvirtError e) {
                    failures.add(e);
                }
            }
        }
        reattachTaps();
        return failures;
    }

    /**
     * firewalld's {@code Reloaded} D-Bus signal (after {@code firewall-cmd --reload}, which with firewalld's
     * iptables backend flushed every table): libvirt recreates its private chains and re-adds every running
     * network's rules.
     */
    public void firewalldReloaded() {
        reloadFirewallRules(true);
    }

    /** qemuProcessReconnect's virDomainNetNotifyActualDevice: a tap not on its running network's bridge goes back. */
    private void reattachTaps() {
        for (GuestTap t : taps) {
            NetworkObject o = networks.get(t.network());
            if (o == null || !o.active() || t.bridge().isPresent()) continue;
            o.bridge.addPort(t.device());
            t.setBridge(Optional.of(o.bridge.name()));
        }
    }

    // ------------------------------------------------------------------ guests

    /**
     * The QEMU driver starting a guest with {@code <interface type='network'><source network='NAME'/>}: a port
     * is allocated on the running network, a tap {@code vnetN} (numbers never reused while the daemon runs) is
     * created with the guest's MAC and first byte {@code fe}, the bridge's MTU, and plugged into the bridge.
     */
    public GuestTap plugGuest(String domain, String network, MacAddress guestMac) throws LibvirtError {
        NetworkObject o = byName(network);
        if (!o.active()) throw new LibvirtError(LibvirtError.Code.OPERATION_INVALID, "network '" + network + "' is not active");
        LinkDevice tap = new LinkDevice(lab, host.node(), "vnet" + nextTap++, GuestTap.tapMac(guestMac));
        tap.setSpeedMbps(10); // a tap reports 10 Mb/s: STP path cost 100
        tap.setMtu(o.bridge.mtu());
        tap.setUp(true);
        o.bridge.addPort(tap);
        GuestTap t = new GuestTap(domain, network, guestMac, tap);
        t.setBridge(Optional.of(o.bridge.name()));
        taps.add(t);
        return t;
    }

    public List<GuestTap> taps() { return List.copyOf(taps); }

    // ------------------------------------------------------------------ adopting a running host

    /**
     * Takes over a network that is already running on the host being modelled (from a host dump): the
     * definition is stored as persistent and live, its bridge and address are built, dnsmasq is started; the
     * firewall rules and {@code ip_forward} are left as the dump has them (they are the host's real state),
     * and since the daemon has been running, its private chains count as set up. Without saved removal
     * commands, a later {@code net-destroy} deletes the rules libvirt regenerates from the definition.
     *
     * @return the network's name
     */
    public String adopt(String liveXml, boolean autostart) throws LibvirtError {
        String name = define(liveXml, false);
        NetworkObject o = networks.get(name);
        if (o.active()) throw new LibvirtError(LibvirtError.Code.OPERATION_INVALID, "network is already active");
        NetworkDefinition def = o.persistent.def();
        if (!def.forward().mode().virtual()) {
            throw new LibvirtError(LibvirtError.Code.NO_SUPPORT, "vnetlab: forward mode '" + def.forward().mode().xmlName()
                    + "' networks use a host device libvirt does not create; they are not emulated");
        }
        o.autostart = autostart;
        o.live = o.persistent;
        Bridge bridge = createBridge(o, def);
        boolean any = false;
        for (IpDefinition ip : def.ips()) {
            if (ip.address() instanceof IpAddress.V4 a) host.addAddress(bridge.name(), Ipv4Assignment.of(a.address(), ip.prefix()));
            any = true;
        }
        bridge.setUp(true);
        chainInitDone = true;
        if (any) startDnsmasq(o, def);
        return name;
    }
}
