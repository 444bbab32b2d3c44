package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.link.Link;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.sim.CaptureSink;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/** Test topologies: stacks wired by links, and a capture of every frame sent, per interface path. */
final class Net {
    record Captured(String iface, long time, CaptureSink.Direction direction, byte[] bytes) {
        EthernetFrame frame() {
            try {
                return EthernetFrame.checked(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
            } catch (ParseException e) {
                throw new AssertionError(e);
            }
        }

        boolean isIpv4() { return frame().etherType().equals(EtherType.IPV4); }

        boolean isArp() { return frame().etherType().equals(EtherType.ARP); }

        Ipv4Packet ip() {
            try {
                return Ipv4Packet.checked(frame().payload());
            } catch (ParseException e) {
                throw new AssertionError(e);
            }
        }
    }

    final Lab lab = new Lab(42);
    final List<Captured> sent = new ArrayList<>();
    private int macs = 1;

    Net() {
        lab.addCaptureSink((path, t, dir, frame) -> {
            if (dir == CaptureSink.Direction.OUTBOUND) sent.add(new Captured(path, t, dir, ByteBufUtil.getBytes(frame)));
        });
    }

    IpStack stack(String node) { return new IpStack(lab, node); }

    IpStack stack(String node, OsProfile os) { return new IpStack(lab, node, os); }

    /** Wires a new device on each stack and gives them addresses; both up. */
    LinkDevice[] wire(IpStack a, String devA, String cidrA, IpStack b, String devB, String cidrB) {
        LinkDevice da = device(a, devA, cidrA);
        LinkDevice db = device(b, devB, cidrB);
        Link.connect(lab, a.node() + "-" + b.node() + "-" + devA, da, db);
        return new LinkDevice[] {da, db};
    }

    LinkDevice device(IpStack s, String dev, String cidr) {
        LinkDevice d = new LinkDevice(lab, s.node(), dev, new MacAddress(0x5254_0000_0000L + macs++));
        s.attach(d);
        if (cidr != null) s.addAddress(dev, cidr);
        d.setUp(true);
        return d;
    }

    List<Captured> sentOn(String path) { return sent.stream().filter(c -> c.iface().equals(path)).toList(); }

    List<Captured> ipSentOn(String path) { return sentOn(path).stream().filter(Captured::isIpv4).toList(); }

    static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    static byte[] pingData() {
        byte[] d = new byte[56];
        for (int i = 0; i < d.length; i++) d[i] = (byte) (0x10 + i);
        return d;
    }

    static long seconds(double s) { return (long) (s * 1_000_000_000L); }

    static ByteBuf copy(ByteBuf b) { return io.netty.buffer.Unpooled.copiedBuffer(b); }
}
