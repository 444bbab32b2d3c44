package org.vnetlab.emulator.router;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.internet.DnsResponder;
import org.vnetlab.emulator.internet.Zone;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.emulator.stack.UdpSocket;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import java.util.Objects;
import java.util.Set;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.sim.Element;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.FilterPacket;
import org.vnetlab.emulator.stack.FilterVerdict;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.emulator.stack.OsProfile;
import org.vnetlab.emulator.stack.PacketFilter;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * The host's default gateway: a Linux stack (node {@code router}) with {@code lan} (192.168.0.1/24 in the
 * reference rig) and {@code wan} (203.0.113.2/30), forwarding between them (ip_forward=1), default route
 * via the internet's edge (203.0.113.1). No NAT of its own by default, as in the reference rig (the internet
 * routes the LAN's addresses back); {@link #setMasquerade} adds a home router's MASQUERADE on wan. Named {@link RouterFault}s can be switched on and off at any time.
 */
public final class Router implements Element {
    public static final MacAddress DEFAULT_LAN_MAC = MacAddress.parse("00:11:32:00:00:01");
    public static final MacAddress DEFAULT_WAN_MAC = MacAddress.parse("00:11:32:00:01:02");

    /** Where the router sits: its two addresses and the next hop upstream. */
    public record Config(Ipv4Assignment lan, MacAddress lanMac, Ipv4Assignment wan, MacAddress wanMac, Ipv4Address upstream) {
        public Config {
            Objects.requireNonNull(lan, "lan");
            Objects.requireNonNull(lanMac, "lanMac");
            Objects.requireNonNull(wan, "wan");
            Objects.requireNonNull(wanMac, "wanMac");
            Objects.requireNonNull(upstream, "upstream");
        }

        /** The reference rig: LAN 192.168.0.1/24, WAN 203.0.113.2/30, upstream 203.0.113.1. */
        public static Config reference() {
            return new Config(Ipv4Assignment.parse("192.168.0.1/24"), DEFAULT_LAN_MAC, Ipv4Assignment.parse("203.0.113.2/30"),
                    DEFAULT_WAN_MAC, Ipv4Address.parse("203.0.113.1"));
        }
    }

    private final IpStack stack;
    private final LinkDevice lan;
    private final LinkDevice wan;
    private final Set<RouterFault> faults = new LinkedHashSet<>();
    private final Lab lab;
    private final Config config;
    private Optional<NetfilterPacketFilter> netfilter = Optional.empty();

    public Router(Lab lab, Config config) {
        this.lab = lab;
        this.config = config;
        this.stack = new IpStack(lab, "router", OsProfile.LINUX);
        this.lan = new LinkDevice(lab, "router", "lan", config.lanMac());
        this.wan = new LinkDevice(lab, "router", "wan", config.wanMac());
        stack.attach(lan);
        stack.attach(wan);
        stack.addAddress("lan", config.lan());
        stack.addAddress("wan", config.wan());
        stack.addDefaultRoute(config.upstream(), "wan", 0);
        stack.setIpForward(true);
        stack.setPacketFilter(new FaultFilter());
        lan.setUp(true);
        wan.setUp(true);
        lab.add(this);
    }

    public static Router reference(Lab lab) { return new Router(lab, Config.reference()); }

    @Override
    public String path() { return "router/faults"; }

    public IpStack stack() { return stack; }

    public LinkDevice lan() { return lan; }

    public LinkDevice wan() { return wan; }

    public List<RouterFault> faults() { return List.copyOf(faults); }

    /** Switches a fault on; true if it was off. */
    public boolean enable(RouterFault fault) {
        boolean added = faults.add(fault);
        if (fault instanceof RouterFault.Down) setPowered(false);
        return added;
    }

    /** Switches a fault off; true if it was on. */
    public boolean disable(RouterFault fault) {
        boolean removed = faults.remove(fault);
        if (fault instanceof RouterFault.Down) setPowered(true);
        return removed;
    }

    /** Scenario form: {@code enable("drop-prefix 8.8.8.0/24")}. */
    public boolean enable(String fault) { return enable(RouterFault.parse(fault)); }

    public boolean disable(String fault) { return disable(RouterFault.parse(fault)); }

    /**
     * Switches the router's own NAT on or off: {@code -t nat -A POSTROUTING -o wan -j MASQUERADE} through
     * the netfilter engine, as a home router does (the reference rig had none: the internet routed the
     * LAN back). Faults still act first.
     */
    public void setMasquerade(boolean on) {
        if (!on) {
            netfilter = Optional.empty();
            return;
        }
        String rules = "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n"
                + ":POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o wan -j MASQUERADE\nCOMMIT\n";
        try {
            SaveFile save = IptablesSaveParser.parse(rules, "router-masquerade");
            Netfilter nf = Netfilter.iptables(save.ruleset(), save.counters(), stack.hostNetwork(), ConntrackSettings.DEFAULTS,
                    lab.random("router/conntrack").nextLong(), lab.log(), "router");
            netfilter = Optional.of(new NetfilterPacketFilter(nf, lab));
        } catch (InputException e) {
            throw new IllegalStateException("the router's own MASQUERADE rule must parse: " + e.getMessage(), e);
        }
    }

    public boolean masquerading() { return netfilter.isPresent(); }

    /**
     * Answers DNS on the LAN address, as home routers do for their LAN, from {@code zone} (a fixed zone, not
     * a forwarder: it answers what the emulated internet's resolvers answer). Off unless the lab turns it on.
     */
    public void answerDns(Zone zone) {
        DnsResponder responder = new DnsResponder(zone);
        UdpSocket s = stack.openUdp();
        try {
            s.bind(config.lan().address(), 53);
        } catch (SocketException e) {
            throw new IllegalStateException("bind " + config.lan().address() + ":53 on the router: " + e.getMessage(), e);
        }
        s.onReceive(d -> responder.answer(d.data()).ifPresent(reply -> {
            try {
                s.sendTo(d.source(), d.sourcePort(), reply);
            } catch (SocketException e) {
                // no route back: the answer is lost
            }
        }));
    }

    /** The netfilter engine behind {@link #setMasquerade}, for its traces and conntrack table. */
    public Optional<NetfilterPacketFilter> netfilter() { return netfilter; }

    private void setPowered(boolean on) {
        lan.setUp(on);
        wan.setUp(on);
    }

    /** Which active fault, if any, drops this packet at this hook; then the router's NAT, if on. */
    private final class FaultFilter implements PacketFilter {
        @Override
        public FilterVerdict hook(Hook hook, FilterPacket packet) {
            FilterVerdict v = faultVerdict(hook, packet);
            if (!(v instanceof FilterVerdict.Accept) || netfilter.isEmpty()) return v;
            return netfilter.get().hook(hook, packet);
        }

        @Override
        public void packetLost(FilterPacket packet) {
            netfilter.ifPresent(n -> n.packetLost(packet));
        }

        @Override
        public void attachRelated(FilterPacket reply, FilterPacket original) {
            netfilter.ifPresent(n -> n.attachRelated(reply, original));
        }

        @Override
        public void finished(FilterPacket packet, org.vnetlab.emulator.stack.PacketFate fate, String detail) {
            netfilter.ifPresent(n -> n.finished(packet, fate, detail));
        }

        private FilterVerdict faultVerdict(Hook hook, FilterPacket packet) {
            if (faults.isEmpty()) return FilterVerdict.ACCEPT;
            Ipv4Packet ip;
            try {
                ip = Ipv4Packet.checked(packet.datagram());
            } catch (ParseException e) {
                return FilterVerdict.ACCEPT;
            }
            for (RouterFault f : faults) {
                if (drops(f, hook, ip)) return new FilterVerdict.Drop("router fault " + f.name());
            }
            return FilterVerdict.ACCEPT;
        }
    }

    /** Blackhole acts where packets enter (its own too); the others only on forwarded traffic. */
    private static boolean drops(RouterFault f, Hook hook, Ipv4Packet ip) {
        if (f instanceof RouterFault.Blackhole) return hook == Hook.PREROUTING;
        if (hook != Hook.FORWARD) return false;
        if (f instanceof RouterFault.DropIcmp) return ip.protocol().equals(IpProtocol.ICMP);
        if (f instanceof RouterFault.DropPrefix p) return p.prefix().contains(ip.destination()) || p.prefix().contains(ip.source());
        if (f instanceof RouterFault.BlockDns) return isDns(ip);
        return false; // Down acts on the interfaces, not on packets
    }
    private static boolean isDns(Ipv4Packet ip) {
        if (!ip.protocol().equals(IpProtocol.UDP) && !ip.protocol().equals(IpProtocol.TCP)) return false;
        if (ip.isFragment() && ip.fragmentOffset() > 0) return false;
        var payload = ip.payload();
        if (payload.readableBytes() < 4) return false;
        int sport = payload.getUnsignedShort(payload.readerIndex());
        int dport = payload.getUnsignedShort(payload.readerIndex() + 2);
        return sport == 53 || dport == 53;
    }
}
