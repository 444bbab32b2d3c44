package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.vnetlab.emulator.hostconf.iface.HostInterfaces;
import org.vnetlab.emulator.hostconf.iface.InterfaceAddress;
import org.vnetlab.emulator.hostconf.iface.InterfaceConfig;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Nexthop;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.hostconf.route.RouteScope;
import org.vnetlab.emulator.hostconf.route.RouteType;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.emulator.link.NetDevice;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.sim.Element;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.arp.ArpMessage;
import org.vnetlab.protocols.arp.ArpOperation;
import org.vnetlab.protocols.arp.ArpPacket;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpErrors;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.icmp.IcmpType;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.udp.UdpDatagram;

/**
 * One Linux-like IPv4 stack (a network namespace): its interfaces and addresses, the kernel's local table
 * and a main {@link RoutingTable}, sysctls ({@link StackSettings}), the neighbour cache, the sockets, and the
 * receive, forward and output paths with the netfilter hooks where the kernel calls them.
 *
 * <p>Receive: Ethernet → ARP or IPv4 (frames for another MAC dropped); IPv4 header checks (InHdrErrors,
 * InCsumErrors, InTruncatedPkts) → PREROUTING → route input (martians, rp_filter, local/broadcast/forward,
 * ip_error for no route or forwarding off) → INPUT → ICMP/UDP/TCP, or forward: TTL ≤ 1 → time exceeded
 * (before FORWARD), DF and too big → fragmentation needed, TTL − 1, redirect, FORWARD → POSTROUTING →
 * fragmentation → neighbour → transmit. Output: route (source selection) → OUTPUT (re-route if NAT moved the
 * destination) → POSTROUTING → neighbour → transmit; local destinations loop through {@code lo}.
 *
 * <p>Mutable state lives in few places: the {@link NeighbourCache}, the socket tables, {@link IcmpRateLimiter},
 * {@link IpIdents} and the lab's counters under this stack's path ({@link Mib} names). Configuration
 * (settings, routing table, address lists) is immutable and replaced on change.
 */
public final class IpStack implements Element {
    static final int PROTO_ICMP = 1;
    static final int PROTO_TCP = 6;
    static final int PROTO_UDP = 17;
    private static final Ipv4Address INADDR_DUMMY = Ipv4Address.of(192, 0, 0, 8);

    private final Lab lab;
    private final String node;
    private final OsProfile os;
    private final SeededRandom random;
    private final Map<String, StackInterface> interfaces = new LinkedHashMap<>();
    private final StackInterface loopback;
    private final NeighbourCache neighbours;
    private final IcmpRateLimiter icmpLimits;
    private final IpIdents idents;
    private final Reassembly reassembly;
    private final Sockets sockets;
    private final Tcp tcp;
    private StackSettings settings;
    private FragmentLimits fragmentLimits = FragmentLimits.KERNEL_DEFAULT;
    private RoutingTable routes = RoutingTable.empty();
    private PacketFilter filter = PacketFilter.ACCEPT_ALL;
    private int globalIpId;
    private int nextIndex = 1;

    /** A stack on {@code node} with {@code lo} up at 127.0.0.1/8 and the OS's defaults. */
    public IpStack(Lab lab, String node, OsProfile os) {
        this.lab = Objects.requireNonNull(lab, "lab");
        this.node = Objects.requireNonNull(node, "node");
        this.os = Objects.requireNonNull(os, "os");
        this.random = lab.random(node + "/stack");
        this.settings = StackSettings.defaults(os);
        this.icmpLimits = new IcmpRateLimiter(lab.random(node + "/stack/icmp"), () -> new IcmpRateLimiter.Settings(
                settings.icmpRatelimitMillis(), settings.icmpRatemask(), settings.icmpMsgsPerSec(), settings.icmpMsgsBurst()));
        this.idents = new IpIdents(lab.random(node + "/stack/ipid"));
        this.globalIpId = lab.random(node + "/stack/ipid-global").nextInt(65536);
        this.neighbours = new NeighbourCache(lab, node, this::solicit, settings.neighbour(), lab.random(node + "/stack/neigh"));
        this.reassembly = new Reassembly(this);
        this.sockets = new Sockets(this);
        this.tcp = new Tcp(this);
        lab.add(this);
        LoopbackDevice lo = new LoopbackDevice(lab, node);
        this.loopback = attach(lo);
        lo.setUp(true);
        addAddress("lo", new Ipv4Assignment(Ipv4Address.of(127, 0, 0, 1), 8, Optional.empty(), RouteScope.HOST, false));
    }

    public IpStack(Lab lab, String node) { this(lab, node, OsProfile.LINUX); }

    /**
     * A stack configured from a host dump: every interface of {@code ifaces} except {@code lo} must have a
     * device in {@code devices} (by name); its addresses are added in printed order, then {@code table}
     * replaces the main table (so the dump's own connected routes are the ones used).
     */
    public static IpStack fromHostConf(Lab lab, String node, OsProfile os, HostInterfaces ifaces, RoutingTable table,
                                       Map<String, NetDevice> devices) {
        IpStack s = new IpStack(lab, node, os);
        for (InterfaceConfig ic : ifaces.interfaces()) {
            if (ic.name().equals("lo")) continue;
            NetDevice d = devices.get(ic.name());
            if (d == null) throw new IllegalArgumentException("no device given for interface " + ic.name() + " of the host dump");
            s.attach(d);
            if (ic.mtu().isPresent()) d.setMtu(ic.mtu().getAsInt());
            for (InterfaceAddress a : ic.ipv4()) s.addAddress(ic.name(), Ipv4Assignment.from(a));
            if (ic.isUp()) d.setUp(true);
        }
        s.setRoutes(table);
        return s;
    }

    @Override
    public String path() { return node; }

    public String node() { return node; }

    public Lab lab() { return lab; }

    public OsProfile os() { return os; }

    // ------------------------------------------------------------------ configuration

    /** Makes {@code device} an interface of this stack: the stack receives its frames. */
    public StackInterface attach(NetDevice device) {
        if (!device.node().equals(node)) throw new IllegalArgumentException(device.path() + " is not on node " + node);
        if (interfaces.containsKey(device.name())) throw new IllegalArgumentException(device.path() + " is already attached");
        StackInterface i = new StackInterface(device, nextIndex++);
        interfaces.put(device.name(), i);
        device.setReceiver(this::receive);
        device.addListener(d -> {
            if (!d.isUp()) neighbours.flush(d.name());
        });
        if (settings.ipForward() && !settings.interfaces().containsKey(device.name())) {
            settings = settings.withInterface(device.name(), settings.defaults());
        }
        return i;
    }

    /**
     * The device is deleted ({@code ip link del}, libvirt's net-destroy of its bridge): the interface, its
     * addresses, its neighbour entries and every route through it go, as the kernel's NETDEV_UNREGISTER
     * handling flushes them (fib_disable_ip). The device stops delivering to this stack.
     */
    public void detach(String dev) {
        StackInterface i = requireInterface(dev);
        if (i.isLoopback()) throw new IllegalArgumentException("cannot delete lo");
        neighbours.flush(dev);
        List<Route> keep = new ArrayList<>();
        for (Route r : routes.routes()) {
            boolean through = r.nexthops().stream().anyMatch(n -> n.dev().equals(Optional.of(dev)));
            if (!through) keep.add(r);
        }
        routes = RoutingTable.of(keep, routes.noted(), routes.warnings());
        interfaces.remove(dev);
        i.device().setReceiver(null);
    }

    public Collection<StackInterface> interfaces() { return List.copyOf(interfaces.values()); }

    public StackInterface loopback() { return loopback; }

    public Optional<StackInterface> iface(String name) { return Optional.ofNullable(interfaces.get(name)); }

    private StackInterface requireInterface(String name) {
        StackInterface i = interfaces.get(name);
        if (i == null) throw new IllegalArgumentException("no interface " + name + " on " + node);
        return i;
    }

    /**
     * {@code ip addr add}: the address, and like the kernel the connected route in table main
     * ({@code proto kernel scope link src ADDR}) unless noprefixroute, for /32 or on {@code lo}.
     */
    public void addAddress(String dev, Ipv4Assignment a) {
        StackInterface i = requireInterface(dev);
        if (i.hasAddress(a.address())) throw new IllegalArgumentException(a.address() + " already on " + dev);
        i.add(a);
        if (!i.isLoopback() && !a.noPrefixRoute() && a.prefixLength() < 32) {
            Route r = new Route(RouteType.UNICAST, a.network(), 0, Route.MAIN, Optional.of("kernel"), RouteScope.LINK,
                    Optional.of(a.address()), 0, List.of(Nexthop.dev(dev)), java.util.OptionalInt.empty(), List.of());
            boolean present = routes.routes().stream().anyMatch(e -> e.table().equals(Route.MAIN)
                    && e.destination().equals(r.destination()) && e.dev().equals(r.dev()) && e.metric() == 0);
            if (!present) {
                try {
                    routes = routes.append(r);
                } catch (org.vnetlab.emulator.hostconf.route.RouteExistsException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    public void addAddress(String dev, String cidr) { addAddress(dev, Ipv4Assignment.parse(cidr)); }

    /**
     * {@code ip addr del}: the address and the kernel routes it brought. When it was the device's last IPv4
     * address the kernel disables IP on the device (fib_inetaddr_event → fib_disable_ip → arp_ifdown): its
     * neighbour entries go, and with them every packet still waiting in one for its next hop's address.
     */
    public void removeAddress(String dev, Ipv4Address address) {
        StackInterface i = requireInterface(dev);
        Optional<Ipv4Assignment> a = i.assignment(address);
        if (a.isEmpty() || !i.remove(address)) throw new IllegalArgumentException(address + " is not on " + dev);
        List<Route> keep = new ArrayList<>();
        for (Route r : routes.routes()) {
            boolean kernelRoute = r.protocol().equals(Optional.of("kernel")) && r.prefsrc().equals(Optional.of(address));
            if (!kernelRoute) keep.add(r);
        }
        routes = RoutingTable.of(keep, routes.noted(), routes.warnings());
        if (i.addresses().isEmpty()) neighbours.flush(dev);
    }

    /** The main table (and default table) as the stack uses it. */
    public RoutingTable routes() { return routes; }

    /** Replaces tables main and default (e.g. with hostconf's parsed {@code ip route}). */
    public void setRoutes(RoutingTable table) { this.routes = Objects.requireNonNull(table, "table"); }

    /** {@code ip route add}. */
    public void addRoute(Route r) {
        try {
            routes = routes.add(r);
        } catch (org.vnetlab.emulator.hostconf.route.RouteExistsException e) {
            throw new IllegalArgumentException("RTNETLINK answers: File exists (" + r.destination() + ")", e);
        }
    }

    /** {@code ip route add default via GW dev DEV metric M}. */
    public void addDefaultRoute(Ipv4Address gateway, String dev, long metric) {
        addRoute(Route.unicast(Ipv4Prefix.DEFAULT, Nexthop.via(gateway, dev), metric));
    }

    public StackSettings settings() { return settings; }

    public void setSettings(StackSettings s) {
        this.settings = Objects.requireNonNull(s, "settings");
        neighbours.setParams(s.neighbour());
    }

    /** net.ipv4.ipfrag_time, ipfrag_high_thresh, ipfrag_low_thresh, ipfrag_max_dist. */
    public FragmentLimits fragmentLimits() { return fragmentLimits; }

    /** Takes effect for the next fragment (a queue's timer keeps the ipfrag_time it was opened with). */
    public void setFragmentLimits(FragmentLimits limits) { this.fragmentLimits = Objects.requireNonNull(limits, "limits"); }

    /** The memory the fragment queues hold now, by {@link Reassembly}'s truesize rule. */
    public long fragmentMemory() { return reassembly.memory(); }

    /**
     * br_netfilter hands a bridged IPv4 frame to this namespace's hooks: a fragment can be gathered by
     * nf_defrag_ipv4 in this stack's queues (as IP_DEFRAG_CONNTRACK_BRIDGE_IN while it is in PREROUTING).
     */
    public void offerBridgedFragment(FilterPacket bridged) {
        if (isFragment(bridged.datagram())) bridged.setDefragmenter((f, user) -> reassembly.add(f, null, user));
    }

    /** {@code sysctl net.ipv4.ip_forward=0|1}: all, default and every interface follow. */
    public void setIpForward(boolean on) {
        setSettings(settings.withIpForward(on, interfaces.keySet()));
    }

    public NeighbourCache neighbours() { return neighbours; }

    public PacketFilter filter() { return filter; }

    /** Plugs netfilter in (or {@link PacketFilter#ACCEPT_ALL} out). */
    public void setPacketFilter(PacketFilter f) { this.filter = Objects.requireNonNull(f, "filter"); }

    /** A counter of this stack by its {@link Mib} name. */
    public long counter(String name) { return lab.counters().get(node, name); }

    void count(String name) { lab.counters().increment(node, name); }

    /** Counts into this stack's namespace from outside the stack (br_netfilter's drops count in the bridge's netns). */
    public void countMib(String name) { count(name); }

    SeededRandom random() { return random; }

    Sockets sockets() { return sockets; }

    Tcp tcp() { return tcp; }

    // ------------------------------------------------------------------ sockets (public API)

    /** socket(AF_INET, SOCK_DGRAM): unbound; bind or send to get a port. */
    public UdpSocket openUdp() { return sockets.newUdp(); }

    /** A ping socket (raw ICMP, filtered on its echo identifier) sending echo requests with {@code identifier}. */
    public PingSocket openPing(int identifier) { return sockets.newPing(identifier); }

    /** socket(AF_PACKET, SOCK_RAW, ETH_P_ALL) bound to {@code dev}: whole frames in and out, no IP processing. */
    public PacketSocket openPacketSocket(String dev, Consumer<ByteBuf> receiver) {
        return sockets.newPacket(requireInterface(dev), receiver);
    }

    /** listen() on {@code address:port} (ANY for all addresses). */
    public TcpListener listen(Ipv4Address address, int port, TcpListener.Acceptor acceptor) throws SocketException {
        return tcp.listen(address, port, acceptor);
    }

    /** connect(): the SYN goes out now; the handler hears connected, data, close and errors. */
    public TcpConnection connect(Ipv4Address destination, int port, TcpConnection.Handler handler) throws SocketException {
        return tcp.connect(Optional.empty(), 0, destination, port, handler);
    }

    /** connect() from a bound local port (e.g. 700 as in the article's low-port probes). */
    public TcpConnection connect(Ipv4Address destination, int port, int localPort, TcpConnection.Handler handler)
            throws SocketException {
        return tcp.connect(Optional.empty(), localPort, destination, port, handler);
    }

    /** {@code ip route get DST}. */
    public RouteResult routeGet(Ipv4Address dst) { return route(dst, Optional.empty(), true); }

    // ------------------------------------------------------------------ routing helpers

    RouteResult route(Ipv4Address dst, Optional<StackInterface> oif, boolean output) {
        return Fib.lookup(interfaces.values(), loopback, routes, dst, oif, output);
    }

    Optional<Ipv4Address> selectSource(RouteResult.Path p) { return Fib.selectSource(interfaces.values(), p); }

    /** A local address of this host (the kernel's local table, on an interface that is up). */
    public boolean isLocalAddress(Ipv4Address a) {
        RouteResult r = route(a, Optional.empty(), false);
        return r instanceof RouteResult.Path p && p.kind() == RouteResult.Kind.LOCAL;
    }

    boolean isBroadcastAddress(Ipv4Address a) {
        if (a.isBroadcast()) return true;
        RouteResult r = route(a, Optional.empty(), false);
        return r instanceof RouteResult.Path p && p.kind() == RouteResult.Kind.BROADCAST;
    }

    private StackInterface interfaceOf(NetDevice d) { return interfaces.get(d.name()); }

    // ------------------------------------------------------------------ receive

    private enum PacketType { HOST, BROADCAST, MULTICAST, OTHERHOST }

    /** A frame from one of the stack's devices (the device's FrameReceiver). */
    void receive(NetDevice device, ByteBuf frame) {
        StackInterface in = interfaceOf(device);
        if (in == null) return;
        EthernetFrame eth;
        try {
            eth = EthernetFrame.checked(frame);
        } catch (ParseException e) {
            device.counters().countRxLengthError();
            return;
        }
        MacAddress dst = eth.destination();
        PacketType type = dst.equals(device.mac()) ? PacketType.HOST
                : dst.isBroadcast() ? PacketType.BROADCAST
                : dst.isMulticast() ? PacketType.MULTICAST : PacketType.OTHERHOST;
        if (type != PacketType.OTHERHOST) sockets.deliverFrame(in, eth.buffer());
        if (eth.isTagged()) {
            device.counters().countRxDropped(); // no VLAN device on top of it
            return;
        }
        EtherType et = eth.etherType();
        if (et.equals(EtherType.ARP)) {
            receiveArp(in, eth, type);
        } else if (et.equals(EtherType.IPV4)) {
            receiveIpv4(in, eth, type);
        } else {
            device.counters().countRxDropped();
        }
    }

    // ------------------------------------------------------------------ ARP

    private void receiveArp(StackInterface in, EthernetFrame eth, PacketType type) {
        if (type == PacketType.OTHERHOST) return;
        ArpPacket arp;
        try {
            arp = ArpPacket.checked(eth.payload());
        } catch (ParseException e) {
            return; // arp_rcv drops what it cannot read; no counter
        }
        ArpMessage m = ArpMessage.parse(arp);
        Ipv4Address sip = m.senderIp();
        Ipv4Address tip = m.targetIp();
        if (tip.isMulticast() || (tip.isLoopback() && settings.effective(in.name()).routeLocalnet() == 0)) return;
        if (sip.isMulticast() || sip.isLoopback()) return;
        boolean request = m.operation().equals(ArpOperation.REQUEST);
        InterfaceConf conf = settings.effective(in.name());
        if (sip.isAny()) {
            // duplicate address detection probe: answered if the target is ours, nothing learnt
            if (request && isLocalAddress(tip) && !arpIgnore(conf, in, sip, tip)) sendArpReply(in, tip, m.senderMac(), sip, m.senderMac());
            return;
        }
        if (request && isLocalAddress(tip) && !sip.equals(tip)) {
            if (!arpIgnore(conf, in, sip, tip)) {
                neighbours.update(in.name(), sip, m.senderMac(), false, true, true);
                sendArpReply(in, tip, m.senderMac(), sip, m.senderMac());
            }
            return;
        }
        boolean garp = sip.equals(tip) && (request || m.targetMac().equals(MacAddress.ZERO) || m.targetMac().equals(m.senderMac())
                || m.targetMac().isBroadcast());
        if (neighbours.exists(in.name(), sip)) {
            boolean reachable = !request && type == PacketType.HOST;
            neighbours.update(in.name(), sip, m.senderMac(), reachable, false, garp);
        }
    }

    /** arp_ignore 0: any local address; 1: only addresses of the receiving interface; 2: and the sender in its subnet. */
    private boolean arpIgnore(InterfaceConf conf, StackInterface in, Ipv4Address sip, Ipv4Address tip) {
        return switch (conf.arpIgnore()) {
            case 0 -> false;
            case 1 -> !in.hasAddress(tip);
            case 2 -> !in.assignment(tip).map(a -> a.sameSubnet(sip)).orElse(false);
            default -> true;
        };
    }

    private void sendArpReply(StackInterface out, Ipv4Address senderIp, MacAddress ethDst, Ipv4Address targetIp, MacAddress targetMac) {
        ArpMessage reply = ArpMessage.reply(out.device().mac(), senderIp, targetMac, targetIp);
        out.device().transmit(Frames.arp(new EthernetHeader(ethDst, out.device().mac(), EtherType.ARP), reply));
        count(Mib.ARP_REPLIES_SENT);
    }

    /** arp_solicit with arp_announce 0: the waiting packet's source if it is ours, else inet_select_addr. */
    private void solicit(String dev, Ipv4Address target, Optional<MacAddress> to, Optional<Ipv4Address> sourceHint) {
        StackInterface out = interfaces.get(dev);
        if (out == null || !out.device().isOperUp()) return;
        Ipv4Address sip = sourceHint.filter(this::isLocalAddress)
                .or(() -> out.selectAddress(Optional.of(target), RouteScope.LINK.value()))
                .orElse(Ipv4Address.ANY);
        ArpMessage req = ArpMessage.request(out.device().mac(), sip, target);
        out.device().transmit(Frames.arp(new EthernetHeader(to.orElse(MacAddress.BROADCAST), out.device().mac(), EtherType.ARP), req));
        count(Mib.ARP_REQUESTS_SENT);
    }

    // ------------------------------------------------------------------ IPv4 input

    private void receiveIpv4(StackInterface in, EthernetFrame eth, PacketType type) {
        if (type == PacketType.OTHERHOST) {
            count(Mib.STACK_OTHERHOST);
            return;
        }
        count(Mib.IP_IN_RECEIVES);
        ByteBuf payload = eth.payload();
        int available = payload.readableBytes();
        if (available < Ipv4Packet.MIN_HEADER_LENGTH) {
            count(Mib.IP_IN_HDR_ERRORS);
            return;
        }
        int vihl = payload.getUnsignedByte(payload.readerIndex());
        int ihl = (vihl & 0x0f) * 4;
        if ((vihl >>> 4) != 4 || ihl < 20 || ihl > available) {
            count(Mib.IP_IN_HDR_ERRORS);
            return;
        }
        if (!InternetChecksum.verify(payload, payload.readerIndex(), ihl)) {
            count(Mib.IP_EXT_IN_CSUM_ERRORS);
            count(Mib.IP_IN_HDR_ERRORS);
            return;
        }
        int total = payload.getUnsignedShort(payload.readerIndex() + 2);
        if (total > available) {
            count(Mib.IP_EXT_IN_TRUNCATED_PKTS);
            return;
        }
        if (total < ihl) {
            count(Mib.IP_IN_HDR_ERRORS);
            return;
        }
        Ipv4Packet ip;
        try {
            ip = Ipv4Packet.checked(payload.slice(payload.readerIndex(), total));
        } catch (ParseException e) {
            count(Mib.IP_IN_HDR_ERRORS); // bad options
            return;
        }
        // our own copy, trimmed of link padding (pskb_trim_rcsum), that NAT may rewrite
        ByteBuf datagram = Unpooled.copiedBuffer(ip.buffer());
        FilterPacket fp = FilterPacket.received(datagram, in.name(), eth.source(), eth.destination());
        Arrival arrival = new Arrival(in, type == PacketType.HOST, type != PacketType.HOST);
        if (isFragment(datagram)) fp.setDefragmenter((f, user) -> reassembly.add(f, arrival, user));
        if (!hook(Hook.PREROUTING, fp, arrival)) return;
        routeInput(fp, arrival);
    }

    /** How a received packet arrived: interface, addressed to our MAC, link-layer broadcast/multicast. */
    record Arrival(StackInterface in, boolean linkUnicast, boolean linkBroadcast) { }

    /** ip_route_input_slow and dst_input. */
    private void routeInput(FilterPacket fp, Arrival arrival) {
        StackInterface in = arrival.in();
        Ipv4Address src = fp.source();
        Ipv4Address dst = fp.destination();
        boolean viaLoopback = in.isLoopback();
        InterfaceConf conf = settings.effective(in.name());
        if (dst.isMulticast()) {
            // no group membership is emulated beyond all-hosts (224.0.0.1), which every interface joins
            if (dst.equals(Ipv4Address.of(224, 0, 0, 1)) && !src.isMulticast()) localDeliver(fp, arrival, false, true);
            else finish(fp, PacketFate.DISCARDED, "multicast group " + dst + " not joined");
            return;
        }
        if (!viaLoopback) {
            if (src.isMulticast() || src.isBroadcast()) {
                martian(fp, "martian source " + src);
                return;
            }
            if (dst.isBroadcast() || (src.isAny() && dst.isAny())) {
                if (!src.isAny() && validateSource(src, dst, in, conf, Optional.empty()) < 0) {
                    martian(fp, "martian source " + src + " (reverse path)");
                    return;
                }
                localDeliver(fp, arrival, true, false);
                return;
            }
            if (src.isAny()) {
                martian(fp, "martian source 0.0.0.0");
                return;
            }
            if (dst.isAny()) {
                martian(fp, "martian destination 0.0.0.0");
                return;
            }
            if (conf.routeLocalnet() == 0 && (src.isLoopback() || dst.isLoopback())) {
                martian(fp, "martian " + (src.isLoopback() ? "source " + src : "destination " + dst));
                return;
            }
        }
        RouteResult r = route(dst, Optional.empty(), false);
        if (r instanceof RouteResult.Failure f) {
            Errno err = conf.forwarding() == 0 ? Errno.EHOSTUNREACH : f.errno();
            ipError(fp, arrival, err, f.why());
            return;
        }
        RouteResult.Path p = (RouteResult.Path) r;
        if (p.kind() == RouteResult.Kind.BROADCAST) {
            if (!viaLoopback && validateSource(src, dst, in, conf, Optional.empty()) < 0) {
                martian(fp, "martian source " + src + " (reverse path)");
                return;
            }
            localDeliver(fp, arrival, true, false);
            return;
        }
        if (p.kind() == RouteResult.Kind.LOCAL) {
            if (!viaLoopback) {
                int v = validateSource(src, dst, in, conf, Optional.empty());
                if (v < 0) {
                    if (v == RPF_FAILED) count(Mib.TCP_EXT_IP_REVERSE_PATH_FILTER);
                    martian(fp, "martian source " + src + (v == RPF_FAILED ? " (rp_filter)" : ""));
                    return;
                }
            }
            localDeliver(fp, arrival, false, false);
            return;
        }
        if (conf.forwarding() == 0) {
            ipError(fp, arrival, Errno.EHOSTUNREACH, "forwarding disabled on " + in.name());
            return;
        }
        int v = validateSource(src, dst, in, conf, Optional.of(p.dev()));
        if (v < 0) {
            if (v == RPF_FAILED) count(Mib.TCP_EXT_IP_REVERSE_PATH_FILTER);
            martian(fp, "martian source " + src + (v == RPF_FAILED ? " (rp_filter)" : ""));
            return;
        }
        boolean redirect = p.dev() == in && v > 0 && settings.effective(p.dev().name()).sendRedirects() != 0
                && p.dev().primaryAddresses().stream().anyMatch(a -> a.sameSubnet(src) && a.sameSubnet(p.nextHop()));
        forward(fp, arrival, p, redirect);
    }

    private static final int RPF_FAILED = -2;

    /**
     * fib_validate_source: negative to drop (−1 martian/EINVAL, {@link #RPF_FAILED} for rp_filter's EXDEV),
     * 1 when the sender is directly connected on {@code in} (what makes a redirect possible), else 0.
     */
    private int validateSource(Ipv4Address src, Ipv4Address dst, StackInterface in, InterfaceConf conf,
                               Optional<StackInterface> out) {
        int rpf = conf.rpFilter();
        boolean acceptLocal = conf.acceptLocal() != 0;
        boolean sameDevRedirect = out.isPresent() && out.get() == in && conf.sendRedirects() != 0;
        if (rpf == 0 && !sameDevRedirect) {
            if (acceptLocal) return 0;
            return isLocalAddress(src) ? -1 : 0;
        }
        RouteResult back = route(src, Optional.empty(), false);
        boolean noAddr = in.addresses().isEmpty();
        if (back instanceof RouteResult.Failure f) {
            if (f.errno() == Errno.ENETUNREACH) return rpf != 0 ? RPF_FAILED : 0; // last_resort
            return -1; // reject route type: e_inval
        }
        RouteResult.Path p = (RouteResult.Path) back;
        if (p.kind() != RouteResult.Kind.UNICAST && !(p.kind() == RouteResult.Kind.LOCAL && acceptLocal)) return -1;
        if (p.dev() == in) return p.viaGateway() ? 0 : 1;
        if (noAddr) return rpf != 0 ? RPF_FAILED : 0;
        if (rpf == 1) return RPF_FAILED;
        return 0;
    }

    private void martian(FilterPacket fp, String why) {
        count(Mib.STACK_MARTIANS);
        if (fp.in().isPresent() && settings.effective(fp.in().get()).logMartians() != 0) {
            lab.log().ratelimited(node, org.vnetlab.emulator.sim.KernelLog.Level.WARNING,
                    "IPv4: " + why + " from " + fp.source() + ", on dev " + fp.in().get());
        }
        lost(fp, PacketFate.MARTIAN, why);
    }

    /** ip_error: the destination cannot be reached; answer only when forwarding is on for the interface. */
    private void ipError(FilterPacket fp, Arrival arrival, Errno err, String why) {
        InterfaceConf conf = settings.effective(arrival.in().name());
        if (conf.forwarding() == 0) {
            if (err == Errno.EHOSTUNREACH) count(Mib.IP_IN_ADDR_ERRORS);
            else if (err == Errno.ENETUNREACH) count(Mib.IP_EXT_IN_NO_ROUTES);
            lost(fp, PacketFate.FORWARDING_DISABLED, "not forwarded (forwarding off on " + arrival.in().name() + "): " + why);
            return;
        }
        int code = switch (err) {
            case EHOSTUNREACH -> IcmpCode.HOST_UNREACHABLE;
            case ENETUNREACH -> IcmpCode.NET_UNREACHABLE;
            case EACCES -> IcmpCode.ADMIN_PROHIBITED;
            default -> -1;
        };
        if (err == Errno.ENETUNREACH) count(Mib.IP_EXT_IN_NO_ROUTES);
        if (code >= 0 && icmpLimits.allowRouteError(fp.source(), lab.now())) {
            icmpSend(fp, arrival, IcmpType.DESTINATION_UNREACHABLE, code, 0, true, false);
        }
        lost(fp, PacketFate.NO_ROUTE, why);
    }

    // ------------------------------------------------------------------ forwarding

    private void forward(FilterPacket fp, Arrival arrival, RouteResult.Path p, boolean redirect) {
        if (!arrival.linkUnicast()) {
            lost(fp, PacketFate.DISCARDED, "not forwarded: arrived as link-layer broadcast/multicast");
            return;
        }
        fp.setOut(p.dev().name());
        fp.setNextHop(p.nextHop());
        ByteBuf d = fp.datagram();
        int ttl = d.getUnsignedByte(d.readerIndex() + 8);
        if (ttl <= 1) {
            count(Mib.IP_IN_HDR_ERRORS);
            icmpSend(fp, arrival, IcmpType.TIME_EXCEEDED, IcmpCode.TTL_EXCEEDED, 0, true, false);
            lost(fp, PacketFate.TTL_EXCEEDED, "ttl " + ttl + " at forwarding");
            return;
        }
        boolean df = (d.getUnsignedShort(d.readerIndex() + 6) & 0x4000) != 0;
        if (exceedsMtu(fp, p.mtu())) {
            count(Mib.IP_FRAG_FAILS);
            icmpSend(fp, arrival, IcmpType.DESTINATION_UNREACHABLE, IcmpCode.FRAGMENTATION_NEEDED, p.mtu(), true, false);
            lost(fp, PacketFate.TOO_BIG, "needs fragmentation to " + p.mtu() + " bytes but DF is set");
            return;
        }
        ipv4(d).decrementTtlWithChecksumUpdate();
        if (redirect && icmpLimits.allowRedirect(fp.source(), lab.now())) {
            icmpSend(fp, arrival, IcmpType.REDIRECT, IcmpCode.REDIRECT_HOST, p.nextHop().bits(), true, false);
        }
        if (!hook(Hook.FORWARD, fp, arrival)) return;
        count(Mib.IP_FORW_DATAGRAMS);
        postRouting(fp, p, PacketFate.FORWARDED, Optional.of(arrival));
    }

    /**
     * ip_exceeds_mtu: bigger than the MTU with DF set. A datagram nf_defrag_ipv4 gathered may be cut again
     * (skb->ignore_df) unless one of its original fragments was itself bigger than the MTU.
     */
    private static boolean exceedsMtu(FilterPacket fp, int mtu) {
        ByteBuf d = fp.datagram();
        if (d.readableBytes() <= mtu || (d.getUnsignedShort(d.readerIndex() + 6) & 0x4000) == 0) return false;
        return fp.fragMaxSize() == 0 || fp.fragMaxSize() > mtu;
    }

    /** ip_is_fragment: MF set or a non-zero offset. */
    private static boolean isFragment(ByteBuf datagram) {
        return (datagram.getUnsignedShort(datagram.readerIndex() + 6) & 0x3fff) != 0;
    }

    static Ipv4Packet ipv4(ByteBuf datagram) {
        try {
            return Ipv4Packet.checked(datagram);
        } catch (ParseException e) {
            throw new IllegalStateException("a datagram the stack accepted became unreadable", e);
        }
    }

    // ------------------------------------------------------------------ hooks

    /** NF_HOOK: true to go on. A REJECT's reply is sent through local output; the packet is finished otherwise. */
    private boolean hook(Hook h, FilterPacket fp, Arrival arrival) {
        FilterVerdict v = filter.hook(h, fp);
        if (v instanceof FilterVerdict.Accept) return true;
        if (v instanceof FilterVerdict.Drop dr) {
            filter.finished(fp, PacketFate.FILTERED, h.name() + ": dropped by " + dr.by());
            return false;
        }
        if (v instanceof FilterVerdict.Stolen st) {
            filter.finished(fp, PacketFate.STOLEN, h.name() + ": taken by " + st.by());
            return false;
        }
        FilterVerdict.Reject rj = (FilterVerdict.Reject) v;
        filter.finished(fp, PacketFate.FILTERED, h.name() + ": rejected by " + rj.by() + " with " + rj.with());
        rj.reply().ifPresent(reply -> sendRejectReply(reply, rj.replyState(), arrival));
        return false;
    }

    private void sendRejectReply(ByteBuf reply, Object state, Arrival arrival) {
        ByteBuf datagram = Unpooled.copiedBuffer(reply);
        FilterPacket rp = FilterPacket.local(datagram);
        rp.setEngineState(state);
        Ipv4Address dst = rp.destination();
        RouteResult r = route(dst, Optional.empty(), true);
        if (!(r instanceof RouteResult.Path p)) {
            count(Mib.IP_OUT_NO_ROUTES);
            return;
        }
        if (rp.protocol() == PROTO_ICMP && datagram.readableBytes() >= 28) {
            // REJECT built this error through icmp_send, which already asked this host's limits (allowIcmpError)
            int type = datagram.getUnsignedByte(20);
            count(Mib.ICMP_OUT_MSGS);
            count(Mib.icmpMsgOut(type));
        } else if (rp.protocol() == PROTO_TCP) {
            count(Mib.TCP_OUT_RSTS);
        }
        localOut(rp, p);
    }

    // ------------------------------------------------------------------ local delivery

    private void localDeliver(FilterPacket fp, Arrival arrival, boolean broadcast, boolean multicast) {
        ByteBuf d = fp.datagram();
        int flags = d.getUnsignedShort(d.readerIndex() + 6);
        if ((flags & 0x3fff) != 0) {
            // ip_local_deliver reassembles before INPUT (with conntrack loaded, nf_defrag_ipv4 did at PREROUTING)
            if (!(reassembly.add(fp, arrival, DefragUser.LOCAL_DELIVER) instanceof DefragOutcome.Whole whole)) return;
            FilterPacket joined = FilterPacket.received(whole.datagram().datagram(), arrival.in().name(),
                    fp.sourceMac().orElse(MacAddress.ZERO), fp.destinationMac().orElse(MacAddress.ZERO));
            joined.setEngineState(fp.engineState());
            fp = joined;
        }
        if (!hook(Hook.INPUT, fp, arrival)) return;
        count(Mib.IP_IN_DELIVERS);
        Ipv4Packet ip = ipv4(fp.datagram());
        boolean toBroadcast = broadcast || multicast;
        switch (ip.protocol().value()) {
            case PROTO_ICMP -> receiveIcmp(fp, ip, arrival, toBroadcast);
            case PROTO_UDP -> receiveUdp(fp, ip, arrival, toBroadcast, multicast);
            case PROTO_TCP -> {
                if (toBroadcast || !arrival.linkUnicast() && !arrival.in().isLoopback()) {
                    finish(fp, PacketFate.DISCARDED, "TCP to a broadcast address");
                    return;
                }
                tcp.receive(fp, ip, arrival);
            }
            default -> {
                if (!sockets.rawDeliver(ip)) {
                    count(Mib.IP_IN_UNKNOWN_PROTOS);
                    if (!toBroadcast) icmpSend(fp, arrival, IcmpType.DESTINATION_UNREACHABLE, IcmpCode.PROTOCOL_UNREACHABLE, 0, true, true);
                    finish(fp, PacketFate.DISCARDED, "no handler for protocol " + ip.protocol());
                    return;
                }
                finish(fp, PacketFate.DELIVERED, "raw socket");
            }
        }
    }

    /** The highest ICMP type icmp_rcv knows (NR_ICMP_TYPES); higher ones are errors, except PROBE (RFC 8335). */
    private static final int NR_ICMP_TYPES = 18;
    private static final int ICMP_EXT_ECHO = 42;
    private static final int ICMP_EXT_ECHOREPLY = 43;
    private static final int ICMP_TIMESTAMP = 13;
    private static final int ICMP_ADDRESS = 17;
    private static final int ICMP_ADDRESSREPLY = 18;

    /** icmp_rcv: InMsgs, checksum (InCsumErrors + InErrors), header, type, broadcast rules, then the handler. */
    private void receiveIcmp(FilterPacket fp, Ipv4Packet ip, Arrival arrival, boolean toBroadcast) {
        count(Mib.ICMP_IN_MSGS);
        ByteBuf b = ip.payload();
        if (!InternetChecksum.verify(b, b.readerIndex(), b.readableBytes())) {
            count(Mib.ICMP_IN_CSUM_ERRORS);
            count(Mib.ICMP_IN_ERRORS);
            finish(fp, PacketFate.DISCARDED, "ICMP checksum error");
            return;
        }
        IcmpPacket icmp;
        try {
            icmp = IcmpPacket.checked(b);
        } catch (ParseException e) {
            count(Mib.ICMP_IN_ERRORS);
            finish(fp, PacketFate.DISCARDED, "ICMP header truncated");
            return;
        }
        int type = icmp.type();
        count(Mib.icmpMsgIn(type));
        if (type > NR_ICMP_TYPES && type != ICMP_EXT_ECHO && type != ICMP_EXT_ECHOREPLY) {
            count(Mib.ICMP_IN_ERRORS);
            finish(fp, PacketFate.DISCARDED, "unknown ICMP type " + type);
            return;
        }
        if (toBroadcast) {
            // RFC 1122 3.2.2.6/3.2.2.8: to a broadcast or multicast address only echo, timestamp and address mask
            // requests/replies are handled, and echo/timestamp not at all under icmp_echo_ignore_broadcasts
            boolean echoLike = type == IcmpType.ECHO_REQUEST || type == ICMP_TIMESTAMP;
            if ((echoLike && settings.icmpEchoIgnoreBroadcasts()) || (!echoLike && type != ICMP_ADDRESS && type != ICMP_ADDRESSREPLY)) {
                count(Mib.ICMP_IN_ERRORS);
                finish(fp, PacketFate.DISCARDED, "ICMP " + IcmpType.name(type) + " to a broadcast address");
                return;
            }
        }
        sockets.pingDeliver(ip, icmp, lab.now());
        if (type == IcmpType.ECHO_REQUEST) {
            if (settings.icmpEchoIgnoreAll()) {
                finish(fp, PacketFate.DISCARDED, "echo request ignored (icmp_echo_ignore_all)");
                return;
            }
            echoReply(fp, ip, icmp, arrival, toBroadcast);
            finish(fp, PacketFate.DELIVERED, "echo request answered");
            return;
        }
        if (IcmpType.isError(type)) deliverIcmpError(ip, icmp);
        finish(fp, PacketFate.DELIVERED, "ICMP " + IcmpType.name(type));
    }

    /**
     * icmp_unreach / icmp_redirect, then icmp_socket_deliver: the quoted header must be there (20 bytes, IHL at
     * least 5, for errors other than redirect) with 8 bytes of its transport header, else InErrors; then the
     * transport whose packet it quotes hears it. The kernel reads nothing else of the quoted header.
     */
    private void deliverIcmpError(Ipv4Packet outer, IcmpPacket icmp) {
        ByteBuf q = icmp.data();
        int available = q.readableBytes();
        boolean redirect = icmp.type() == IcmpType.REDIRECT;
        int ihl = available < Ipv4Packet.MIN_HEADER_LENGTH ? 0 : (q.getUnsignedByte(q.readerIndex()) & 0x0f) * 4;
        if (available < Ipv4Packet.MIN_HEADER_LENGTH || (!redirect && ihl < Ipv4Packet.MIN_HEADER_LENGTH)) {
            count(Mib.ICMP_IN_ERRORS);
            return;
        }
        if (icmp.type() == IcmpType.TIME_EXCEEDED && icmp.code() == IcmpCode.REASSEMBLY_TIME_EXCEEDED) return;
        if (icmp.type() == IcmpType.DESTINATION_UNREACHABLE && icmp.code() > 15) return;
        if (available < ihl + 8) {
            count(Mib.ICMP_IN_ERRORS);
            return;
        }
        if (redirect) return; // no route cache to update
        Optional<Ipv4Packet> quoted = quotedAsTheKernelReadsIt(q, ihl);
        if (quoted.isEmpty()) return;
        int info = icmp.code() == IcmpCode.FRAGMENTATION_NEEDED ? icmp.nextHopMtu() : 0;
        SocketError.Icmp report = new SocketError.Icmp(icmp.type(), icmp.code(), outer.source(), info);
        switch (quoted.get().protocol().value()) {
            case PROTO_UDP -> sockets.udpError(quoted.get(), report);
            case PROTO_TCP -> tcp.icmpError(quoted.get(), report);
            default -> { }
        }
    }

    /**
     * The quoted datagram as the transports read it: by IHL, protocol and addresses only. A version, total
     * length or options the decoder refuses are set right on a copy (the kernel never looks at them here).
     */
    private static Optional<Ipv4Packet> quotedAsTheKernelReadsIt(ByteBuf q, int ihl) {
        try {
            return Optional.of(Ipv4Packet.checkedTruncated(q));
        } catch (ParseException e) {
            ByteBuf copy = Unpooled.copiedBuffer(q);
            copy.setByte(0, 0x40 | ihl / 4);
            if (copy.getUnsignedShort(2) < ihl) copy.setShort(2, copy.readableBytes());
            for (int i = Ipv4Packet.MIN_HEADER_LENGTH; i < ihl; i++) copy.setByte(i, 1); // NOPs
            try {
                return Optional.of(Ipv4Packet.checkedTruncated(copy));
            } catch (ParseException again) {
                return Optional.empty();
            }
        }
    }

    /** icmp_echo / icmp_reply: same id, sequence and data, back to the sender; no DF (the ICMP socket's PMTUDISC_DONT). */
    private void echoReply(FilterPacket fp, Ipv4Packet request, IcmpPacket icmp, Arrival arrival, boolean toBroadcast) {
        IcmpMessage.Echo reply = new IcmpMessage.Echo(false, icmp.identifier(), icmp.sequence(),
                io.netty.buffer.ByteBufUtil.getBytes(icmp.data()));
        Ipv4Address to = request.source();
        Ipv4Address from = toBroadcast ? arrival.in().selectAddress(Optional.of(to), RouteScope.LINK.value()).orElse(Ipv4Address.ANY)
                : request.destination();
        RouteResult r = route(to, Optional.empty(), true);
        if (!(r instanceof RouteResult.Path p)) return;
        int ttl = settings.defaultTtl();
        int id = ipId(from, to, PROTO_ICMP, false, false, null);
        Ipv4Header h = new Ipv4Header(request.tos(), id, false, false, 0, ttl, IpProtocol.ICMP, from, to, new byte[0], reply.length());
        ByteBuf datagram = Frames.ipv4(h, reply);
        count(Mib.ICMP_OUT_MSGS);
        count(Mib.icmpMsgOut(IcmpType.ECHO_REPLY));
        localOut(FilterPacket.local(datagram), p);
    }

    /**
     * __udp4_lib_rcv: a header cut short or a length outside 8..payload is an InErrors drop; a bad checksum is
     * InCsumErrors + InErrors wherever the kernel checks it (at the socket, or before NoPorts); a broadcast
     * nobody listens to is IgnoredMulti, and each listener finds a bad checksum on its own.
     */
    private void receiveUdp(FilterPacket fp, Ipv4Packet ip, Arrival arrival, boolean toBroadcast, boolean multicast) {
        UdpDatagram udp;
        try {
            udp = UdpDatagram.checked(ip.payload());
        } catch (ParseException e) {
            count(Mib.UDP_IN_ERRORS);
            finish(fp, PacketFate.DISCARDED, "UDP short packet: " + e.getMessage());
            return;
        }
        boolean checksumOk = udp.verifyChecksum(ip.source(), ip.destination());
        if (toBroadcast) {
            int listeners = sockets.udpBroadcastListeners(ip, udp, arrival.in());
            if (listeners == 0) {
                if (!multicast) count(Mib.UDP_IGNORED_MULTI);
                finish(fp, PacketFate.DISCARDED, "no UDP socket (broadcast)");
                return;
            }
            if (!checksumOk) {
                for (int i = 0; i < listeners; i++) {
                    count(Mib.UDP_IN_CSUM_ERRORS);
                    count(Mib.UDP_IN_ERRORS);
                }
                finish(fp, PacketFate.DISCARDED, "UDP checksum error");
                return;
            }
            int n = sockets.udpBroadcastDeliver(ip, udp, arrival.in());
            finish(fp, PacketFate.DELIVERED, "UDP to " + n + " socket(s)");
            return;
        }
        if (!checksumOk) {
            count(Mib.UDP_IN_CSUM_ERRORS);
            count(Mib.UDP_IN_ERRORS);
            finish(fp, PacketFate.DISCARDED, "UDP checksum error");
            return;
        }
        if (!sockets.udpDeliver(ip, udp, arrival.in())) {
            count(Mib.UDP_NO_PORTS);
            icmpSend(fp, arrival, IcmpType.DESTINATION_UNREACHABLE, IcmpCode.PORT_UNREACHABLE, 0, true, true);
            finish(fp, PacketFate.DISCARDED, "no UDP socket on port " + udp.destinationPort());
            return;
        }
        finish(fp, PacketFate.DELIVERED, "UDP port " + udp.destinationPort());
    }

    // ------------------------------------------------------------------ ICMP errors (icmp_send)

    /** icmpv4_global_allow, counted in IcmpOutRateLimitGlobal when it refuses. */
    private IcmpRateLimiter.GlobalCheck globalLimit(int type, int code, boolean inOnLoopback) {
        IcmpRateLimiter.GlobalCheck g = icmpLimits.globalAllow(type, code, inOnLoopback, lab.now());
        if (g == IcmpRateLimiter.GlobalCheck.REFUSED) count(Mib.ICMP_OUT_RATE_LIMIT_GLOBAL);
        return g;
    }

    /** icmpv4_xrlim_allow on the route back, counted in IcmpOutRateLimitHost when it refuses. */
    private boolean peerLimit(IcmpRateLimiter.GlobalCheck global, Ipv4Address destination, RouteResult.Path back) {
        boolean ok = icmpLimits.peerAllow(global, destination, back.kind() == RouteResult.Kind.LOCAL, lab.now());
        if (!ok) count(Mib.ICMP_OUT_RATE_LIMIT_HOST);
        return ok;
    }

    /**
     * icmp_send's limits for an error netfilter builds (REJECT, and the engine's own TTL/no-route errors):
     * the same checks, in the same order, on the same per-namespace state as {@link #icmpSend}, so REJECT and
     * the stack's own errors draw from one budget. False also when there is no route back.
     */
    boolean icmpErrorAllowed(int type, int code, Ipv4Address destination, boolean inOnLoopback) {
        IcmpRateLimiter.GlobalCheck global = globalLimit(type, code, inOnLoopback);
        if (global == IcmpRateLimiter.GlobalCheck.REFUSED) return false;
        RouteResult r = route(destination, Optional.empty(), true);
        return r instanceof RouteResult.Path p && peerLimit(global, destination, p);
    }

    /** ip_error's per-sender bucket, for a no-route error netfilter's path builds. */
    boolean routeErrorAllowed(Ipv4Address source) { return icmpLimits.allowRouteError(source, lab.now()); }

    /**
     * __icmp_send about {@code fp}'s datagram. {@code inputRoute}: the original was received (not generated
     * here); {@code originalLocal}: its destination was one of our addresses (the error then comes from it).
     */
    void icmpSend(FilterPacket fp, Arrival arrival, int type, int code, int info, boolean inputRoute, boolean originalLocal) {
        ByteBuf d = fp.datagram();
        Ipv4Packet original = ipv4(d);
        if (arrival != null && !arrival.linkUnicast() && !arrival.in().isLoopback()) return;
        if (isBroadcastAddress(original.destination()) || original.destination().isMulticast()) return;
        if (original.fragmentOffset() != 0) return;
        if (IcmpType.isError(type) && !IcmpErrors.mayAnswerWithError(original)) return;
        boolean inLoop = arrival != null && arrival.in().isLoopback();
        IcmpRateLimiter.GlobalCheck global = globalLimit(type, code, inLoop);
        if (global == IcmpRateLimiter.GlobalCheck.REFUSED) return;
        Optional<Ipv4Address> saddr = Optional.empty();
        if (originalLocal) saddr = Optional.of(original.destination());
        else if (inputRoute && arrival != null && settings.icmpErrorsUseInboundIfaddr()) {
            saddr = arrival.in().selectAddress(Optional.of(original.source()), RouteScope.LINK.value());
        }
        RouteResult r = route(original.source(), Optional.empty(), true);
        if (!(r instanceof RouteResult.Path p)) return;
        if (!peerLimit(global, original.source(), p)) return;
        Ipv4Address source = saddr.or(() -> selectSource(p)).orElse(INADDR_DUMMY);
        if (IcmpErrors.quoteLength(original.totalLength(), p.mtu()) < 0) return;
        byte[] quote = IcmpErrors.quote(original, p.mtu());
        IcmpMessage msg = switch (type) {
            case IcmpType.TIME_EXCEEDED -> new IcmpMessage.TimeExceeded(code, quote);
            case IcmpType.DESTINATION_UNREACHABLE -> code == IcmpCode.FRAGMENTATION_NEEDED
                    ? new IcmpMessage.DestinationUnreachable(code, info, quote) : new IcmpMessage.DestinationUnreachable(code, quote);
            default -> new IcmpMessage.Other(type, code, info, quote);
        };
        int id = ipId(source, original.source(), PROTO_ICMP, false, false, null);
        Ipv4Header h = IcmpErrors.header(source, original, id, settings.defaultTtl(), msg);
        ByteBuf datagram = Frames.ipv4(h, msg);
        FilterPacket reply = FilterPacket.local(datagram);
        filter.attachRelated(reply, fp);
        count(Mib.ICMP_OUT_MSGS);
        count(Mib.icmpMsgOut(type));
        localOut(reply, p);
    }

    // ------------------------------------------------------------------ output

    /**
     * IP identification (ip_select_ident): a connected socket's own counter; 0 for a DF packet of a socket
     * that forbids fragmentation (IP_PMTUDISC_DO: TCP resets and SYN-ACKs); otherwise the hashed
     * per-destination counters. Windows: one global counter.
     */
    int ipId(Ipv4Address src, Ipv4Address dst, int protocol, boolean df, boolean zeroIfDf, int[] socketCounter) {
        if (os.ipIdMode() == OsProfile.IpIdMode.GLOBAL_COUNTER) {
            int id = globalIpId;
            globalIpId = (globalIpId + 1) & 0xffff;
            return id;
        }
        if (socketCounter != null) {
            int id = socketCounter[0] & 0xffff;
            socketCounter[0] = (socketCounter[0] + 1) & 0xffff;
            return id;
        }
        if (df && zeroIfDf) return 0;
        return idents.next(src, dst, protocol, lab.now());
    }

    /** What a socket hands the stack to send: everything but the IP header's ID and DF, decided here. */
    record Outgoing(int protocol, Optional<Ipv4Address> source, Ipv4Address destination, SendOptions options,
                    boolean broadcastAllowed, int[] idCounter, boolean zeroIdIfDf, Payload payload) { }

    /** The transport header and data, checksummed once the addresses are known. */
    interface Payload {
        int length();

        void write(ByteBuf buf, int offset, Ipv4Address source, Ipv4Address destination);
    }

    /**
     * Sends a locally generated datagram: route, source selection, header, OUTPUT, POSTROUTING, neighbour.
     * Errors the kernel returns from sendmsg come back here; later failures reach the socket as ICMP.
     */
    Optional<Errno> send(Outgoing o) {
        Optional<StackInterface> oif = Optional.empty();
        if (o.options().device().isPresent()) {
            oif = iface(o.options().device().get());
            if (oif.isEmpty()) return Optional.of(Errno.EINVAL);
        }
        RouteResult r = route(o.destination(), oif, true);
        if (r instanceof RouteResult.Failure f) {
            count(Mib.IP_OUT_NO_ROUTES);
            return Optional.of(f.errno());
        }
        RouteResult.Path p = (RouteResult.Path) r;
        if (p.kind() == RouteResult.Kind.BROADCAST && !o.broadcastAllowed()) return Optional.of(Errno.EACCES);
        Ipv4Address src = o.source().or(() -> selectSource(p)).orElse(Ipv4Address.ANY);
        int total = Ipv4Packet.MIN_HEADER_LENGTH + o.payload().length();
        SendOptions.Pmtu pmtu = settings.ipNoPmtuDisc() != 0 && o.options().pmtu() == SendOptions.Pmtu.WANT
                ? SendOptions.Pmtu.DONT : o.options().pmtu();
        if (total > p.mtu() && pmtu == SendOptions.Pmtu.DO) return Optional.of(Errno.EMSGSIZE);
        boolean df = pmtu == SendOptions.Pmtu.DO || (pmtu == SendOptions.Pmtu.WANT && total <= p.mtu());
        int ttl = o.options().ttl().orElse(settings.defaultTtl());
        int id = ipId(src, o.destination(), o.protocol(), df, o.zeroIdIfDf(), o.idCounter());
        Ipv4Header h = new Ipv4Header(o.options().tos(), id, df, false, 0, ttl, IpProtocol.of(o.protocol()), src,
                o.destination(), new byte[0], o.payload().length());
        ByteBuf datagram = Unpooled.buffer(total);
        datagram.writerIndex(total);
        o.payload().write(datagram, Ipv4Packet.MIN_HEADER_LENGTH, src, o.destination());
        h.emit(datagram, 0);
        count(Mib.IP_OUT_REQUESTS);
        return localOut(FilterPacket.local(datagram), p);
    }

    /** __ip_local_out: OUTPUT hook, re-route on a changed destination, then POSTROUTING and out. */
    Optional<Errno> localOut(FilterPacket fp, RouteResult.Path p) {
        fp.setOut(p.dev().name());
        fp.setNextHop(p.nextHop());
        if (isFragment(fp.datagram())) fp.setDefragmenter((f, user) -> reassembly.add(f, null, user));
        Ipv4Address before = fp.destination();
        FilterVerdict v = filter.hook(Hook.OUTPUT, fp);
        if (v instanceof FilterVerdict.Stolen st) {
            filter.finished(fp, PacketFate.STOLEN, "OUTPUT: taken by " + st.by());
            return Optional.empty();
        }
        if (v instanceof FilterVerdict.Drop dr) {
            filter.finished(fp, PacketFate.FILTERED, "OUTPUT: dropped by " + dr.by());
            return Optional.of(Errno.EPERM);
        }
        if (v instanceof FilterVerdict.Reject rj) {
            filter.finished(fp, PacketFate.FILTERED, "OUTPUT: rejected by " + rj.by() + " with " + rj.with());
            rj.reply().ifPresent(reply -> sendRejectReply(reply, rj.replyState(), null));
            return Optional.of(Errno.EPERM);
        }
        RouteResult.Path path = p;
        if (!fp.destination().equals(before)) {
            RouteResult r = route(fp.destination(), Optional.empty(), true);
            if (r instanceof RouteResult.Failure f) {
                count(Mib.IP_OUT_NO_ROUTES);
                lost(fp, PacketFate.NO_ROUTE, "no route after NAT: " + f.why());
                return Optional.of(f.errno());
            }
            path = (RouteResult.Path) r;
            fp.setOut(path.dev().name());
            fp.setNextHop(path.nextHop());
        }
        postRouting(fp, path, PacketFate.SENT, Optional.empty());
        return Optional.empty();
    }

    /** ip_output: POSTROUTING, then ip_finish_output (fragmentation, neighbour). */
    private void postRouting(FilterPacket fp, RouteResult.Path p, PacketFate fate, Optional<Arrival> arrival) {
        if (!hook(Hook.POSTROUTING, fp, arrival.orElse(null))) return;
        ByteBuf d = fp.datagram();
        if (p.kind() == RouteResult.Kind.LOCAL) {
            transmitFrame(loopback, MacAddress.ZERO, d);
            finish(fp, fate, "over lo");
            return;
        }
        List<ByteBuf> pieces;
        int maxFrag = fp.fragMaxSize();
        if (d.readableBytes() > p.mtu() || maxFrag > 0) {
            // ip_finish_output: a gathered datagram is always cut again, to no more than its largest fragment
            boolean df = (d.getUnsignedShort(d.readerIndex() + 6) & 0x4000) != 0;
            if (df && (maxFrag == 0 || maxFrag > p.mtu())) {
                count(Mib.IP_FRAG_FAILS);
                if (maxFrag > 0) {
                    icmpSend(fp, arrival.orElse(null), IcmpType.DESTINATION_UNREACHABLE, IcmpCode.FRAGMENTATION_NEEDED, p.mtu(),
                            !fp.isLocallyGenerated(), false);
                }
                // a locally generated DF packet bigger than the route allows (only after NAT grew nothing; kept for safety)
                lost(fp, PacketFate.TOO_BIG, "DF packet of " + d.readableBytes() + " bytes for MTU " + p.mtu());
                return;
            }
            pieces = Fragmenter.fragment(d, maxFrag > 0 ? Math.min(p.mtu(), maxFrag) : p.mtu(), fp.fragmentPayloads());
            count(Mib.IP_FRAG_OKS);
            for (int i = 0; i < pieces.size(); i++) count(Mib.IP_FRAG_CREATES);
        } else {
            pieces = List.of(d);
        }
        for (ByteBuf piece : pieces) output(fp, piece, p);
        finish(fp, fate, "out " + p.dev().name() + (p.viaGateway() ? " via " + p.nextHop() : ""));
    }

    /** neigh_output: broadcast and multicast map directly; unicast waits for ARP. */
    private void output(FilterPacket fp, ByteBuf datagram, RouteResult.Path p) {
        StackInterface out = p.dev();
        if (p.kind() == RouteResult.Kind.BROADCAST) {
            transmitFrame(out, MacAddress.BROADCAST, datagram);
            return;
        }
        if (p.kind() == RouteResult.Kind.MULTICAST || p.nextHop().isMulticast()) {
            long mac = 0x01005e000000L | (p.nextHop().bits() & 0x7fffffL);
            transmitFrame(out, new MacAddress(mac), datagram);
            return;
        }
        Ipv4Address src = fp.source();
        neighbours.send(out.name(), p.nextHop(), new NeighbourCache.Pending() {
            @Override
            public void send(MacAddress mac) { transmitFrame(out, mac, datagram); }

            @Override
            public void failed() {
                // arp_error_report → ipv4_link_failure → icmp_send(host unreachable) about the queued packet
                FilterPacket dead = FilterPacket.local(datagram);
                dead.setEngineState(fp.engineState());
                icmpSend(dead, null, IcmpType.DESTINATION_UNREACHABLE, IcmpCode.HOST_UNREACHABLE, 0,
                        !fp.isLocallyGenerated(), false);
                filter.finished(fp, PacketFate.NEIGHBOUR_FAILED, "ARP for " + p.nextHop() + " on " + out.name() + " failed");
            }
        }, Optional.of(src));
    }

    private void transmitFrame(StackInterface out, MacAddress dst, ByteBuf datagram) {
        EthernetHeader eth = new EthernetHeader(dst, out.device().mac(), EtherType.IPV4);
        ByteBuf frame = Unpooled.buffer(eth.length() + datagram.readableBytes());
        eth.emit(frame, 0);
        frame.setBytes(eth.length(), datagram, datagram.readerIndex(), datagram.readableBytes());
        frame.writerIndex(eth.length() + datagram.readableBytes());
        out.device().transmit(frame);
    }

    /** Sends a whole frame out of {@code dev} as a packet socket does: no routing, no hooks, no ARP. */
    void transmitRaw(StackInterface dev, ByteBuf frame) { dev.device().transmit(frame); }

    /** TCP progress confirms the neighbour towards {@code peer} (dst_confirm_neigh). */
    void confirmNeighbour(Ipv4Address peer) {
        RouteResult r = route(peer, Optional.empty(), true);
        if (r instanceof RouteResult.Path p && p.kind() == RouteResult.Kind.UNICAST) neighbours.confirm(p.dev().name(), p.nextHop());
    }

    private void finish(FilterPacket fp, PacketFate fate, String detail) { filter.finished(fp, fate, detail); }

    private void lost(FilterPacket fp, PacketFate fate, String detail) {
        filter.packetLost(fp);
        filter.finished(fp, fate, detail);
    }

    // ------------------------------------------------------------------ netfilter's view of the host

    /** The facts netfilter's matches and targets ask of the host (addrtype, MASQUERADE, REJECT). */
    public org.vnetlab.emulator.netfilter.hook.HostNetwork hostNetwork() { return new StackHostNetwork(this); }

    @Override
    public String toString() { return "IpStack[" + node + ", " + os.name() + ", " + interfaces.keySet() + "]"; }
}
