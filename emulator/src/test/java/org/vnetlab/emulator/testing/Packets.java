package org.vnetlab.emulator.testing;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.udp.UdpHeader;

/** Test datagrams (IP header first), built with the protocol module's builders. */
public final class Packets {
    private static final EthernetHeader ETH = new EthernetHeader(MacAddress.parse("52:54:00:73:62:06"),
            MacAddress.parse("52:54:00:aa:bb:01"), EtherType.IPV4, EthernetHeader.NO_VLAN);

    private Packets() {}

    public static Ipv4Address ip(String s) { return Ipv4Address.parse(s); }

    private static ByteBuf strip(ByteBuf frame) {
        return frame.copy(14, frame.readableBytes() - 14);
    }

    public static ByteBuf ping(String src, String dst, int ttl, int id, int seq) {
        return strip(Frames.ethernetIpv4(ETH, Ipv4Header.of(ip(src), ip(dst), IpProtocol.ICMP, ttl, 0x1234, true, 0),
                new IcmpMessage.Echo(true, id, seq, new byte[56])));
    }

    public static ByteBuf pong(String src, String dst, int ttl, int id, int seq) {
        return strip(Frames.ethernetIpv4(ETH, Ipv4Header.of(ip(src), ip(dst), IpProtocol.ICMP, ttl, 0x4321, false, 0),
                new IcmpMessage.Echo(false, id, seq, new byte[56])));
    }

    public static ByteBuf udp(String src, int sport, String dst, int dport, int ttl, int payload) {
        return strip(Frames.ethernetIpv4(ETH, Ipv4Header.of(ip(src), ip(dst), IpProtocol.UDP, ttl, 0x2222, false, 0),
                new UdpHeader(sport, dport, 0), new byte[payload]));
    }

    public static ByteBuf tcp(String src, int sport, String dst, int dport, int ttl, long seq, long ack, int flags, int payload) {
        return strip(Frames.ethernetIpv4(ETH, Ipv4Header.of(ip(src), ip(dst), IpProtocol.TCP, ttl, 0x3333, true, 0),
                new TcpHeader(sport, dport, seq, ack, flags, 64240, 0, List.of()), new byte[payload]));
    }

    /** An ICMP error from {@code src} to {@code dst} quoting {@code quoted} (whole). */
    public static ByteBuf icmpError(String src, String dst, int type, int code, ByteBuf quoted) {
        byte[] q = new byte[quoted.readableBytes()];
        quoted.getBytes(quoted.readerIndex(), q);
        IcmpMessage m = type == 11 ? new IcmpMessage.TimeExceeded(code, q) : new IcmpMessage.DestinationUnreachable(code, q);
        return Frames.ipv4(new Ipv4Header(0xc0, 0x5555, false, false, 0, 64, IpProtocol.ICMP, ip(src), ip(dst), new byte[0], 0), m);
    }
}
