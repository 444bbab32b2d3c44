package org.vnetlab.emulator.differential;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpErrors;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpFlags;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpOption;
import org.vnetlab.protocols.udp.UdpHeader;

/** Datagrams (IP header first) as Linux stacks send them, built with the protocol module's builders. */
final class Datagrams {
    private static final EthernetHeader ETH = new EthernetHeader(MacAddress.parse("02:00:00:00:00:01"),
            MacAddress.parse("02:00:00:00:00:02"), EtherType.IPV4, EthernetHeader.NO_VLAN);
    /** The options Linux puts on a SYN and a SYN-ACK: MSS, SACK permitted, timestamps, NOP, window scale 7. */
    static final List<TcpOption> SYN_OPTIONS = List.of(new TcpOption.Mss(1460), new TcpOption.SackPermitted(),
            new TcpOption.Timestamps(1, 0), new TcpOption.NoOp(), new TcpOption.WindowScale(7));

    private Datagrams() {}

    /** The options of every later segment when both SYNs carried timestamps: NOP, NOP, timestamps (12 bytes). */
    static List<TcpOption> timestamps(long value, long echo) {
        return List.of(new TcpOption.NoOp(), new TcpOption.NoOp(), new TcpOption.Timestamps(value, echo));
    }

    private static ByteBuf strip(ByteBuf frame) { return frame.copy(14, frame.readableBytes() - 14); }

    static ByteBuf echo(boolean request, Ipv4Address src, Ipv4Address dst, int ttl, int ipId, boolean df, int id, int seq,
                        byte[] data) {
        return strip(Frames.ethernetIpv4(ETH, Ipv4Header.of(src, dst, IpProtocol.ICMP, ttl, ipId, df, 0),
                new IcmpMessage.Echo(request, id, seq, data)));
    }

    static ByteBuf udp(Ipv4Address src, int sport, Ipv4Address dst, int dport, int ttl, int ipId, boolean df, byte[] payload) {
        return strip(Frames.ethernetIpv4(ETH, Ipv4Header.of(src, dst, IpProtocol.UDP, ttl, ipId, df, 0),
                new UdpHeader(sport, dport, 0), payload));
    }

    static ByteBuf tcp(Ipv4Address src, int sport, Ipv4Address dst, int dport, int ttl, int ipId, long seq, long ack,
                       int flags, int window, List<TcpOption> options, byte[] payload) {
        return strip(Frames.ethernetIpv4(ETH, Ipv4Header.of(src, dst, IpProtocol.TCP, ttl, ipId, true, 0),
                new TcpHeader(sport, dport, seq & 0xffff_ffffL, ack & 0xffff_ffffL, flags, window, 0, options), payload));
    }

    /**
     * tcp_v4_send_reset's answer to the TCP segment {@code ip}: RST with seq = the segment's ack, or RST|ACK
     * acknowledging what it carried (TTL 64, IP id 0, no options).
     */
    static ByteBuf reset(Ip ip) {
        long seq = 0, ack = 0;
        int flags = TcpFlags.RST;
        if (ip.has(TcpFlags.ACK)) {
            seq = ip.acknowledgment();
        } else {
            ack = ip.sequence() + (ip.has(TcpFlags.SYN) ? 1 : 0) + (ip.has(TcpFlags.FIN) ? 1 : 0) + ip.payload().length;
            flags |= TcpFlags.ACK;
        }
        return tcp(ip.destination(), ip.destinationPort(), ip.source(), ip.sourcePort(), 64, 0, seq, ack, flags, 0,
                List.of(), new byte[0]);
    }

    /** icmp_send: an error from {@code source} quoting {@code original} (TOS 0xc0, TTL 64, no DF, 576-byte cap). */
    static ByteBuf icmpError(Ipv4Address source, int type, int code, ByteBuf original, int ipId) {
        Ipv4Packet p;
        try {
            p = Ipv4Packet.checked(original.slice());
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot quote a malformed datagram", e);
        }
        IcmpMessage m = type == 11 ? IcmpErrors.timeExceeded(code, p, 1500) : IcmpErrors.destinationUnreachable(code, p, 1500);
        return Frames.ipv4(IcmpErrors.header(source, p, ipId, Ipv4Header.DEFAULT_TTL, m), m);
    }

    /** The same datagram with TTL − 1 and the header checksum updated (ip_forward). */
    static ByteBuf forwarded(ByteBuf datagram) {
        ByteBuf copy = datagram.copy();
        try {
            Ipv4Packet.checked(copy.slice()).decrementTtlWithChecksumUpdate();
        } catch (ParseException e) {
            throw new IllegalArgumentException("cannot forward a malformed datagram", e);
        }
        return copy;
    }
}
