package org.vnetlab.emulator.nftables;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.bridge.Bridge;
import org.vnetlab.emulator.bridge.BridgeConfig;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Nexthop;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.internet.Internet;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.nftables.firewall.HostFirewall;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.router.Router;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.PingSocket;
import org.vnetlab.emulator.stack.SocketError;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.emulator.stack.TcpConnection;
import org.vnetlab.emulator.stack.UdpSocket;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * The kernel oracle's topology, emulated: guest 192.168.122.55 (eth0 52:54:00:aa:bb:01) on vnet0 of bridge
 * virbr0 (192.168.122.1, STP off) — host (enp3s0 192.168.0.10/24, default via 192.168.0.1, forwarding, the
 * firewall under test) — router 192.168.0.1 | 203.0.113.2 (routes 192.168.122.0/24 back to the host) —
 * internet 203.0.113.1 with 8.8.8.8, 1.1.1.1 and 142.250.1.1:80. Probes are run like the oracle's, with the
 * same ports, echo ids and payloads, and give the same outcome words.
 */
final class OracleRig {
    static final Ipv4Address GUEST = Ipv4Address.parse("192.168.122.55");

    final Lab lab = new Lab(11);
    final IpStack guest = new IpStack(lab, "guest");
    final IpStack host = new IpStack(lab, "host");
    final Router router = Router.reference(lab);
    final Internet internet = Internet.reference(lab);
    final NftCounters counters = new NftCounters();
    final HostFirewall firewall;

    /** What one probe saw. */
    record Result(Outcome outcome, String detail) {}

    OracleRig(HostFirewall.Builder firewallBuilder) throws Exception {
        internet.connect(router.wan(), 0);
        LinkDevice enp3s0 = new LinkDevice(lab, "host", "enp3s0", MacAddress.parse("00:d8:61:0a:0b:10"));
        LinkDevice vnet0 = new LinkDevice(lab, "host", "vnet0", MacAddress.parse("fe:54:00:aa:bb:01"));
        Bridge virbr0 = new Bridge(lab, "host", BridgeConfig.of("virbr0", MacAddress.parse("52:54:00:73:62:06")).withStp(false));
        virbr0.addPort(vnet0);
        host.attach(enp3s0);
        host.attach(virbr0);
        host.addAddress("enp3s0", "192.168.0.10/24");
        host.addAddress("virbr0", "192.168.122.1/24");
        host.addDefaultRoute(Ipv4Address.parse("192.168.0.1"), "enp3s0", 0);
        host.setIpForward(true);
        LinkDevice eth0 = new LinkDevice(lab, "guest", "eth0", MacAddress.parse("52:54:00:aa:bb:01"));
        guest.attach(eth0);
        guest.addAddress("eth0", "192.168.122.55/24");
        guest.addDefaultRoute(Ipv4Address.parse("192.168.122.1"), "eth0", 0);
        Link.connect(lab, "vnet0", vnet0, eth0);
        Link.connect(lab, "lan", enp3s0, router.lan());
        router.stack().addRoute(Route.unicast(Ipv4Prefix.parse("192.168.122.0/24"),
                Nexthop.via(Ipv4Address.parse("192.168.0.10"), "lan"), 0));
        for (LinkDevice d : List.of(enp3s0, vnet0, eth0)) d.setUp(true);
        virbr0.setUp(true);
        firewall = firewallBuilder.build(host.hostNetwork(), ConntrackSettings.DEFAULTS, 7);
        host.setPacketFilter(new NetfilterPacketFilter(firewall.netfilter(), lab));
    }

    private IpStack stack(String from) {
        return switch (from) {
            case "guest" -> guest;
            case "inet" -> internet.stack();
            default -> throw new IllegalArgumentException(from);
        };
    }

    private void settle() { lab.scheduler().runFor(SimTime.seconds(3)); }

    Result ping(String from, String dst, int id) throws SocketException {
        List<Result> seen = new ArrayList<>();
        PingSocket p = stack(from).openPing(id)
                .onReply(r -> seen.add(new Result(Outcome.REPLY, "reply_from=" + r.from() + " reply_ttl=" + r.ttl())))
                .onFailure(f -> seen.add(icmp(f.error())));
        p.send(Ipv4Address.parse(dst), 1, new byte[56]);
        settle();
        p.close();
        return seen.isEmpty() ? new Result(Outcome.TIMEOUT, "") : seen.get(0);
    }

    Result udp(String from, String dst, int dport, int sport) throws SocketException {
        List<Result> seen = new ArrayList<>();
        UdpSocket s = stack(from).openUdp()
                .onReceive(d -> seen.add(new Result(Outcome.REPLY, "reply_from=" + d.source() + ":" + d.sourcePort())))
                .onError(e -> seen.add(icmp(e)));
        s.bind(Ipv4Address.ANY, sport);
        s.connect(Ipv4Address.parse(dst), dport);
        s.send("vnetlab-oracle".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        settle();
        s.close();
        return seen.isEmpty() ? new Result(Outcome.TIMEOUT, "") : seen.get(0);
    }

    Result tcp(String from, String dst, int dport, int sport) throws SocketException {
        List<Result> seen = new ArrayList<>();
        TcpConnection c = stack(from).connect(Ipv4Address.parse(dst), dport, sport, new TcpConnection.Handler() {
            @Override
            public void connected(TcpConnection conn) {
                seen.add(new Result(Outcome.CONNECTED, ""));
                conn.close();
            }

            @Override
            public void failed(TcpConnection conn, SocketError error) {
                if (seen.isEmpty()) seen.add(error.icmp().isPresent() ? icmp(error) : new Result(Outcome.RESET, error.errno().name()));
            }
        });
        lab.scheduler().runUntil(() -> !seen.isEmpty(), SimTime.seconds(2));
        settle();
        if (seen.isEmpty()) c.close();
        return seen.isEmpty() ? new Result(Outcome.TIMEOUT, "") : seen.get(0);
    }

    private static Result icmp(SocketError e) {
        Optional<SocketError.Icmp> i = e.icmp();
        return i.map(x -> new Result(Outcome.ICMP_ERROR, "icmp_type=" + x.type() + " icmp_code=" + x.code() + " icmp_from=" + x.from()))
                .orElse(new Result(Outcome.ERROR, e.errno().name()));
    }
}
