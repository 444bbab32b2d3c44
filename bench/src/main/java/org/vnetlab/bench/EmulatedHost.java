package org.vnetlab.bench;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeConfig;
import org.vnetlab.emulator.conntrack.FastPath;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.emulator.netfilter.hook.HostNetwork;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.netfilter.hook.PathRunner;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.SaveFile;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.IcmpRateLimiter;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * A lab with the article's host: guest {@code eth0} — link — {@code vnet0} on bridge {@code virbr0}
 * (libvirt's: STP on, forward delay 0); the host's netfilter loaded from an iptables-save of libvirt's
 * default network plus Docker's rules; routing (192.168.122.0/24 on virbr0, 192.168.0.0/24 and the default
 * via 192.168.0.1 on enp3s0); {@code enp3s0} — link — the router. Frames the bridge passes up go through
 * {@link PathRunner} (every hook, every rule, a trace per packet), come out rewritten and leave on enp3s0
 * with the uplink's MACs. With {@code offload}, {@link FastPath} gets each frame first, like a flowtable.
 * The IP stack (ARP, neighbour cache, sockets) is not in this path: MACs of the next hop are fixed.
 */
final class EmulatedHost implements HostNetwork, PathRunner.Routing {
    static final Ipv4Address VIRBR0 = Ipv4Address.parse("192.168.122.1");
    static final Ipv4Address GATEWAY = Ipv4Address.parse("192.168.0.1");
    static final Ipv4Address DOCKER0 = Ipv4Address.parse("172.17.0.1");

    /** libvirt's rules for the default network (the article's iptables-save) and a Docker daemon's. */
    static final String RULES = """
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :DOCKER - [0:0]
            :LIBVIRT_PRT - [0:0]
            -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
            -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
            -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
            -A POSTROUTING -j LIBVIRT_PRT
            -A DOCKER -i docker0 -j RETURN
            -A LIBVIRT_PRT -s 192.168.122.0/24 -d 224.0.0.0/24 -j RETURN
            -A LIBVIRT_PRT -s 192.168.122.0/24 -d 255.255.255.255/32 -j RETURN
            -A LIBVIRT_PRT -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p tcp -j MASQUERADE --to-ports 1024-65535
            -A LIBVIRT_PRT -s 192.168.122.0/24 ! -d 192.168.122.0/24 -p udp -j MASQUERADE --to-ports 1024-65535
            -A LIBVIRT_PRT -s 192.168.122.0/24 ! -d 192.168.122.0/24 -j MASQUERADE
            COMMIT
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD DROP [0:0]
            :OUTPUT ACCEPT [0:0]
            :DOCKER - [0:0]
            :DOCKER-ISOLATION-STAGE-1 - [0:0]
            :DOCKER-ISOLATION-STAGE-2 - [0:0]
            :DOCKER-USER - [0:0]
            :LIBVIRT_FWI - [0:0]
            :LIBVIRT_FWO - [0:0]
            :LIBVIRT_FWX - [0:0]
            :LIBVIRT_INP - [0:0]
            :LIBVIRT_OUT - [0:0]
            -A INPUT -j LIBVIRT_INP
            -A FORWARD -j DOCKER-USER
            -A FORWARD -j DOCKER-ISOLATION-STAGE-1
            -A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A FORWARD -o docker0 -j DOCKER
            -A FORWARD -i docker0 ! -o docker0 -j ACCEPT
            -A FORWARD -i docker0 -o docker0 -j ACCEPT
            -A FORWARD -j LIBVIRT_FWX
            -A FORWARD -j LIBVIRT_FWI
            -A FORWARD -j LIBVIRT_FWO
            -A OUTPUT -j LIBVIRT_OUT
            -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
            -A DOCKER-ISOLATION-STAGE-1 -j RETURN
            -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
            -A DOCKER-ISOLATION-STAGE-2 -j RETURN
            -A DOCKER-USER -j RETURN
            -A LIBVIRT_FWI -d 192.168.122.0/24 -o virbr0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A LIBVIRT_FWI -o virbr0 -j REJECT --reject-with icmp-port-unreachable
            -A LIBVIRT_FWO -s 192.168.122.0/24 -i virbr0 -j ACCEPT
            -A LIBVIRT_FWO -i virbr0 -j REJECT --reject-with icmp-port-unreachable
            -A LIBVIRT_FWX -i virbr0 -o virbr0 -j ACCEPT
            -A LIBVIRT_INP -i virbr0 -p udp -m udp --dport 53 -j ACCEPT
            -A LIBVIRT_INP -i virbr0 -p tcp -m tcp --dport 53 -j ACCEPT
            -A LIBVIRT_INP -i virbr0 -p udp -m udp --dport 67 -j ACCEPT
            -A LIBVIRT_INP -i virbr0 -p tcp -m tcp --dport 67 -j ACCEPT
            -A LIBVIRT_OUT -o virbr0 -p udp -m udp --dport 68 -j ACCEPT
            -A LIBVIRT_OUT -o virbr0 -p tcp -m tcp --dport 68 -j ACCEPT
            COMMIT
            """;

    final Lab lab = new Lab(7);
    final LinkDevice guest;
    final LinkDevice router;
    private final LinkDevice uplink;
    final PathRunner runner;
    private final FastPath fast;
    private final boolean offload;
    long delivered, dropped, offloaded, offloadMisses;
    /** The host's ICMP error limits (REJECT of LIBVIRT_FWI/FWO answers through them). */
    private final IcmpRateLimiter icmpLimits;

    EmulatedHost(boolean offload) throws InputException {
        this.offload = offload;
        this.icmpLimits = new IcmpRateLimiter(lab.random("host/stack/icmp"));
        SaveFile rules = IptablesSaveParser.parse(RULES, "libvirt-and-docker.rules");
        Netfilter nf = Netfilter.iptables(rules.ruleset(), rules.counters(), this,
                Masquerading.settings(65_536, true), 7);
        runner = new PathRunner(nf, this, true);
        fast = new FastPath(nf.conntrack());
        Bridge br = new Bridge(lab, "host", BridgeConfig.of("virbr0", Workload.VIRBR0_MAC).withForwardDelay(0).withStp(true));
        guest = new LinkDevice(lab, "guest1", "eth0", Workload.GUEST_MAC);
        LinkDevice vnet0 = new LinkDevice(lab, "host", "vnet0", MacAddress.parse("fe:54:00:aa:bb:01"));
        Link.connect(lab, "vnet0", guest, vnet0);
        uplink = new LinkDevice(lab, "host", "enp3s0", Workload.UPLINK_MAC);
        router = new LinkDevice(lab, "router", "eth0", Workload.GATEWAY_MAC);
        Link.connect(lab, "uplink", uplink, router);
        for (var d : new org.vnetlab.emulator.link.NetDevice[] {br, guest, vnet0, uplink, router}) d.setUp(true);
        br.addPort(vnet0);
        br.setReceiver((dev, frame) -> fromGuest(frame));
        router.setReceiver((dev, frame) -> delivered++);
        lab.scheduler().runFor(1_000_000_000L);
    }

    /** The host stack's receive for a frame the bridge passed up. */
    private void fromGuest(ByteBuf frame) {
        int start = frame.readerIndex();
        if (frame.getUnsignedShort(start + 12) != 0x0800) return;
        if (offload) {
            if (fast.forwardFrame(frame, lab.now()) != FastPath.MISS) {
                offloaded++;
                sendUp(frame, start);
                return;
            }
            offloadMisses++;
        }
        ByteBuf ip = frame.slice(start + 14, frame.readableBytes() - 14);
        PathRunner.Result r = runner.receive(ip, "virbr0", MacAddress.read(frame, start + 6), MacAddress.read(frame, start),
                lab.now());
        if (r.outInterface().isPresent() && r.outInterface().get().equals("enp3s0")) sendUp(frame, start);
        else dropped++;
    }

    private void sendUp(ByteBuf frame, int start) {
        Workload.GATEWAY_MAC.write(frame, start);
        Workload.UPLINK_MAC.write(frame, start + 6);
        uplink.transmit(frame);
    }

    @Override
    public AddressType addressType(Ipv4Address a, Optional<String> onInterface) {
        if (a.equals(VIRBR0) || a.equals(Workload.UPLINK) || a.equals(DOCKER0) || a.isLoopback()) return AddressType.LOCAL;
        if (a.isBroadcast()) return AddressType.BROADCAST;
        if (a.isMulticast()) return AddressType.MULTICAST;
        return AddressType.UNICAST;
    }

    @Override
    public Optional<Ipv4Address> interfaceAddress(String dev, Ipv4Address nextHop) {
        return switch (dev) {
            case "virbr0" -> Optional.of(VIRBR0);
            case "enp3s0" -> Optional.of(Workload.UPLINK);
            case "docker0" -> Optional.of(DOCKER0);
            default -> Optional.empty();
        };
    }

    @Override
    public Optional<Ipv4Address> sourceAddressTowards(Ipv4Address destination) {
        PathRunner.Route r = route(destination, Optional.empty());
        if (r instanceof PathRunner.Route.Out o) return interfaceAddress(o.device(), o.nextHop());
        return Optional.of(destination);
    }

    @Override
    public boolean allowIcmpError(int type, int code, Ipv4Address destination, boolean inOnLoopback, long nowNanos) {
        return icmpLimits.allowError(type, code, destination, inOnLoopback, true,
                addressType(destination, Optional.empty()) == AddressType.LOCAL, nowNanos);
    }

    @Override
    public boolean allowRouteError(Ipv4Address source, long nowNanos) { return icmpLimits.allowRouteError(source, nowNanos); }

    @Override
    public PathRunner.Route route(Ipv4Address dst, Optional<String> in) {
        if (addressType(dst, Optional.empty()) == AddressType.LOCAL) return new PathRunner.Route.Local();
        if (dst.inPrefix(Ipv4Address.parse("192.168.122.0"), 24)) return new PathRunner.Route.Out("virbr0", dst);
        if (dst.inPrefix(Ipv4Address.parse("172.17.0.0"), 16)) return new PathRunner.Route.Out("docker0", dst);
        if (dst.inPrefix(Ipv4Address.parse("192.168.0.0"), 24)) return new PathRunner.Route.Out("enp3s0", dst);
        return new PathRunner.Route.Out("enp3s0", GATEWAY);
    }
}
