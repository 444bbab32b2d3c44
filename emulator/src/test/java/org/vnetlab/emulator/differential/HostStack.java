package org.vnetlab.emulator.differential;

import static org.vnetlab.protocols.tcp.TcpFlags.RST;

import io.netty.buffer.ByteBuf;
import java.util.function.LongSupplier;
import org.vnetlab.emulator.differential.Topology.Iface;
import org.vnetlab.emulator.netfilter.hook.PathRunner;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * The host: every datagram goes through the engine under test ({@link PathRunner}); what the engine
 * delivers locally is answered as the host's kernel would with no service listening (dnsmasq is off in
 * the differential specs): echo replies, TCP resets, port unreachables — sent back through OUTPUT.
 */
final class HostStack implements Endpoint {
    private final PathRunner runner;
    private final ArticleHost net;
    private final FarEndNode.Rig rig;
    private final LongSupplier clock;
    private ProbeClient client;
    private int ipId = 0x1000;

    HostStack(PathRunner runner, ArticleHost net, FarEndNode.Rig rig, LongSupplier clock) {
        this.runner = runner;
        this.net = net;
        this.rig = rig;
        this.clock = clock;
    }

    @Override
    public String name() { return "host"; }

    @Override
    public int nextIpId() { return ipId = (ipId + 1) & 0xffff; }

    @Override
    public void attach(ProbeClient c) { this.client = c; }

    @Override
    public Ipv4Address sourceFor(Ipv4Address destination) {
        return net.sourceAddressTowards(destination).orElseThrow(() -> new IllegalStateException("host has no route to " + destination));
    }

    @Override
    public void send(ByteBuf datagram) { handle(runner.send(datagram, clock.getAsLong())); }

    void receive(ByteBuf datagram, Iface in, MacAddress from) {
        handle(runner.receive(datagram, in.name(), from, in.mac(), clock.getAsLong()));
    }

    private void handle(PathRunner.Result r) {
        Disposition d = r.disposition();
        if (d == Disposition.FORWARDED || d == Disposition.SENT) {
            ByteBuf out = r.packet().orElseThrow();
            Ip ip = Ip.of(out);
            Iface dev = Topology.hostIface(r.outInterface().orElseThrow()).orElseThrow();
            PathRunner.Route route = net.route(ip.destination(), java.util.Optional.empty());
            rig.transmit(dev, ((PathRunner.Route.Out) route).nextHop(), out);
        } else if (d == Disposition.DELIVERED_LOCALLY) {
            deliver(Ip.of(r.packet().orElseThrow()));
        } else {
            rig.lost("host", d + ": " + r.trace().reason(), null);
        }
        for (PathRunner.Result reply : r.replies()) handle(reply);
    }

    private void deliver(Ip ip) {
        if (client != null && client.receive(ip)) return;
        switch (ip.protocol()) {
            case Ip.ICMP -> {
                if (ip.icmpType() == 8) {
                    send(Datagrams.echo(false, ip.destination(), ip.source(), 64, nextIpId(), false, ip.icmpId(),
                            ip.icmpSequence(), ip.payload()));
                }
            }
            case Ip.UDP -> icmpError(ip, 3);
            case Ip.TCP -> {
                if (ip.has(RST)) return;
                send(Datagrams.reset(ip));
            }
            default -> icmpError(ip, 2);
        }
    }

    /** The host's own port/protocol unreachable, under the host's one set of rate limits, the engine's REJECT errors' too. */
    private void icmpError(Ip ip, int code) {
        if (!net.allowIcmpError(3, code, ip.source(), false, clock.getAsLong())) {
            rig.lost("host", "ICMP 3/" + code + " rate limited", ip);
            return;
        }
        send(Datagrams.icmpError(ip.destination(), 3, code, ip.bytes(), nextIpId()));
    }
}
