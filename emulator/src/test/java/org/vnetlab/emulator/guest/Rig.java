package org.vnetlab.emulator.guest;

import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Nexthop;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.internet.Internet;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.router.Router;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * The reference rig without the host's netfilter: guest (52:54:00:aa:bb:01) — host stack forwarding between
 * 192.168.122.1/24 and 192.168.0.10/24 (no NAT; the router routes 192.168.122.0/24 back to it) — router
 * 192.168.0.1 | 203.0.113.2 — internet 203.0.113.1 with 8.8.8.8, 1.1.1.1 and 142.250.72.14. The router–internet
 * wire has 5 ms one way, so a round trip to the internet takes 10 ms of virtual time.
 */
final class Rig {
    static final Ipv4Address GUEST_IP = Ipv4Address.parse("192.168.122.55");
    static final Ipv4Address GATEWAY = Ipv4Address.parse("192.168.122.1");
    static final MacAddress GUEST_MAC = MacAddress.parse("52:54:00:aa:bb:01");

    final Lab lab;
    final Router router;
    final Internet internet;
    final IpStack host;
    final LinkDevice hostTap;
    final Guest guest;

    Rig(OsProfile profile) {
        this(profile, 1);
    }

    Rig(OsProfile profile, long seed) {
        this(profile, seed, false);
    }

    /** {@code reference}: the capture rig's internet (google.com is 142.250.1.1, its web server there). */
    Rig(OsProfile profile, long seed, boolean reference) {
        lab = new Lab(seed);
        router = Router.reference(lab);
        internet = reference ? Internet.reference(lab) : Internet.withDefaults(lab);
        internet.connect(router.wan(), SimTime.millis(5));
        host = new IpStack(lab, "host");
        LinkDevice uplink = new LinkDevice(lab, "host", "enp3s0", MacAddress.parse("00:d8:61:0a:0b:10"));
        hostTap = new LinkDevice(lab, "host", "virbr0", MacAddress.parse("52:54:00:73:62:06"));
        host.attach(uplink);
        host.attach(hostTap);
        host.addAddress("enp3s0", "192.168.0.10/24");
        host.addAddress("virbr0", "192.168.122.1/24");
        host.addDefaultRoute(Ipv4Address.parse("192.168.0.1"), "enp3s0", 0);
        host.setIpForward(true);
        uplink.setUp(true);
        hostTap.setUp(true);
        Link.connect(lab, "lan", uplink, router.lan());
        router.stack().addRoute(Route.unicast(Ipv4Prefix.parse("192.168.122.0/24"),
                Nexthop.via(Ipv4Address.parse("192.168.0.10"), "lan"), 0));
        guest = Guest.create(lab, profile.windows() ? "win10" : "linux", profile, GUEST_MAC);
        Link.connect(lab, "vnet0", guest.nic(), hostTap);
        lab.addCaptureSink(guest.nic().path(), (path, t, dir, frame) ->
                wire.add(new WireFrame(t, dir, io.netty.buffer.ByteBufUtil.getBytes(frame))));
    }

    /** IPv4 datagrams the guest sent with this IP protocol number, as parsed views over copies. */
    List<org.vnetlab.protocols.ipv4.Ipv4Packet> sentIp(int protocol) {
        List<org.vnetlab.protocols.ipv4.Ipv4Packet> out = new java.util.ArrayList<>();
        for (WireFrame f : wire) {
            if (!f.sent()) continue;
            try {
                var eth = org.vnetlab.protocols.ethernet.EthernetFrame.checked(io.netty.buffer.Unpooled.wrappedBuffer(f.bytes()));
                if (eth.etherType().value() != 0x0800) continue;
                var ip = org.vnetlab.protocols.ipv4.Ipv4Packet.checked(eth.payload());
                if (ip.protocol().value() == protocol) out.add(ip);
            } catch (org.vnetlab.protocols.ParseException e) {
                throw new AssertionError(e);
            }
        }
        return out;
    }

    /** The lease dnsmasq gave in the reference capture, set directly: 192.168.122.55/24 via .1, DNS .1. */
    Rig withStaticAddress(Ipv4Address... dns) {
        guest.net().configure(new Ipv4Config(GUEST_IP, 24, Optional.of(GATEWAY), List.of(dns)));
        return this;
    }

    Rig withDns(String... servers) {
        Ipv4Address[] a = new Ipv4Address[servers.length];
        for (int i = 0; i < servers.length; i++) a[i] = Ipv4Address.parse(servers[i]);
        return withStaticAddress(a);
    }

    /** Frames the guest's NIC sent (OUTBOUND) or received (INBOUND), in order. */
    record WireFrame(long atNanos, org.vnetlab.emulator.sim.CaptureSink.Direction direction, byte[] bytes) {
        boolean sent() { return direction == org.vnetlab.emulator.sim.CaptureSink.Direction.OUTBOUND; }
    }

    final List<WireFrame> wire = new java.util.ArrayList<>();

    /** A small DHCP server on the host's side of the guest's wire. */
    TinyDhcpServer dhcpServer() {
        return new TinyDhcpServer(host, "virbr0", GATEWAY, GUEST_IP);
    }

}
