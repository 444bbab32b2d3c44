package org.vnetlab.bench;

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

/**
 * The flows every benchmark uses: flow {@code i} goes from guest 192.168.122.(2 + i mod 250), port (or ICMP
 * id) 1024 + i / 250, to server 198.18.x.y (RFC 2544's benchmarking range; x.y = i mod 65536), port 53 (UDP)
 * or 443 (TCP). The tuples are distinct and MASQUERADE keeps every source port, so flow i leaves as
 * 192.168.0.10:(1024 + i / 250). Frames are 60 bytes (64 on the wire with the FCS), like RFC 2544's smallest.
 */
public final class Workload {
    public enum Proto { UDP, TCP, ICMP }

    public enum Direction { OUTBOUND, INBOUND }

    static final Ipv4Address UPLINK = Ipv4Address.parse("192.168.0.10");
    static final MacAddress GUEST_MAC = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress VIRBR0_MAC = MacAddress.parse("52:54:00:73:62:06");
    static final MacAddress UPLINK_MAC = MacAddress.parse("52:54:00:00:00:10");
    static final MacAddress GATEWAY_MAC = MacAddress.parse("52:54:00:00:00:01");
    static final int FRAME = 60;
    /** Sequence numbers both ends use: flows are established with them and the benchmark ACKs repeat them. */
    static final long CLIENT_ISN = 1000, SERVER_ISN = 5000;

    private Workload() {}

    static Ipv4Address guest(int i) { return Ipv4Address.of(192, 168, 122, 2 + i % 250); }

    static int guestPort(int i) { return 1024 + i / 250; }

    static Ipv4Address server(int i) { return Ipv4Address.of(198, 18, (i >>> 8) & 0xff, i & 0xff); }

    static int serverPort(Proto p) { return p == Proto.TCP ? 443 : 53; }

    static EthernetHeader eth(MacAddress dst, MacAddress src) {
        return new EthernetHeader(dst, src, EtherType.IPV4, EthernetHeader.NO_VLAN);
    }

    /** The guest's packet of flow {@code i}; for TCP with {@code flags} (SYN 0x02, ACK 0x10). */
    static ByteBuf outbound(Proto p, int i, int flags) {
        EthernetHeader e = eth(VIRBR0_MAC, GUEST_MAC);
        Ipv4Header ip = Ipv4Header.of(guest(i), server(i), ipProto(p), 64, 0x1111, true, 0);
        return pad(switch (p) {
            case UDP -> Frames.ethernetIpv4(e, ip, new UdpHeader(guestPort(i), serverPort(p), 0), new byte[18]);
            case TCP -> Frames.ethernetIpv4(e, ip, new TcpHeader(guestPort(i), serverPort(p),
                    flags == 0x02 ? CLIENT_ISN - 1 : CLIENT_ISN, flags == 0x02 ? 0 : SERVER_ISN, flags, 64240, 0, List.of()),
                    new byte[0]);
            case ICMP -> Frames.ethernetIpv4(e, ip, new IcmpMessage.Echo(true, guestPort(i), 1, new byte[18]));
        });
    }

    /** The server's packet of flow {@code i} to the NAT address and {@code natKey} (TCP: SYN/ACK 0x12 or ACK). */
    static ByteBuf inbound(Proto p, int i, int natKey, int flags) {
        EthernetHeader e = eth(UPLINK_MAC, GATEWAY_MAC);
        Ipv4Header ip = Ipv4Header.of(server(i), UPLINK, ipProto(p), 60, 0x2222, false, 0);
        return pad(switch (p) {
            case UDP -> Frames.ethernetIpv4(e, ip, new UdpHeader(serverPort(p), natKey, 0), new byte[18]);
            case TCP -> Frames.ethernetIpv4(e, ip, new TcpHeader(serverPort(p), natKey,
                    flags == 0x12 ? SERVER_ISN - 1 : SERVER_ISN, CLIENT_ISN, flags, 65160, 0, List.of()), new byte[0]);
            case ICMP -> Frames.ethernetIpv4(e, ip, new IcmpMessage.Echo(false, natKey, 1, new byte[18]));
        });
    }

    /** Ethernet minimum: zero padding after the datagram up to 60 bytes (the IP total length stays). */
    private static ByteBuf pad(ByteBuf f) {
        if (f.readableBytes() < FRAME) f.writeZero(FRAME - f.readableBytes());
        return f;
    }

    static IpProtocol ipProto(Proto p) {
        return switch (p) {
            case UDP -> IpProtocol.UDP;
            case TCP -> IpProtocol.TCP;
            case ICMP -> IpProtocol.ICMP;
        };
    }

    /** RSS-like: which of {@code shards} threads serves flow {@code i} (a hash of its tuple). */
    static int shard(int i, int shards) {
        long h = (guest(i).bits() * 0x9E3779B97F4A7C15L) ^ ((long) guestPort(i) << 32 | server(i).bits()) * 0xC2B2AE3D27D4EB4FL;
        h ^= h >>> 31;
        return (int) Math.floorMod(h, (long) shards);
    }
}
