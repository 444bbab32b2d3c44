package org.vnetlab.emulator.differential;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.protocols.Ipv4Address;

/**
 * What the far end and the probes read of a datagram (IP header first): addresses, TTL, TOS and the
 * transport fields, through conntrack's {@link Datagram} facts. Works on quoted (truncated) datagrams too.
 */
record Ip(Datagram d) {
    static final int ICMP = 1, TCP = 6, UDP = 17;

    static Ip of(ByteBuf datagram) {
        return new Ip(Datagram.read(datagram).orElseThrow(() -> new IllegalArgumentException("not an IPv4 datagram")));
    }

    ByteBuf bytes() { return d.buf().slice(d.offset(), d.available()); }

    int protocol() { return d.protocol(); }

    Ipv4Address source() { return d.source(); }

    Ipv4Address destination() { return d.destination(); }

    int ttl() { return d.ttl(); }

    int tos() { return d.buf().getUnsignedByte(d.offset() + 1); }

    int totalLength() { return d.totalLength(); }

    private int u8(int at) { return d.buf().getUnsignedByte(d.l4Offset() + at); }

    private int u16(int at) { return d.buf().getUnsignedShort(d.l4Offset() + at); }

    private long u32(int at) { return d.buf().getUnsignedInt(d.l4Offset() + at); }

    int sourcePort() { return u16(0); }

    int destinationPort() { return u16(2); }

    long sequence() { return u32(4); }

    long acknowledgment() { return u32(8); }

    int tcpFlags() { return u8(13) & 0x3f; }

    boolean has(int tcpFlag) { return (tcpFlags() & tcpFlag) != 0; }

    int tcpHeaderLength() { return (u8(12) >>> 4) * 4; }

    int icmpType() { return u8(0); }

    int icmpCode() { return u8(1); }

    int icmpId() { return u16(4); }

    int icmpSequence() { return u16(6); }

    boolean isIcmpError() {
        if (protocol() != ICMP) return false;
        int t = icmpType();
        return t == 3 || t == 4 || t == 5 || t == 11 || t == 12;
    }

    /** The datagram quoted by an ICMP error (as much as it carries). */
    Optional<Ip> quoted() {
        if (!isIcmpError() || d.l4Available() < 8 + 20) return Optional.empty();
        int at = d.l4Offset() + 8;
        return Datagram.read(d.buf(), at, d.offset() + d.available() - at).map(Ip::new);
    }

    /** The transport payload (UDP data, TCP data, ICMP data after the 8-byte header). */
    byte[] payload() {
        int header = switch (protocol()) {
            case TCP -> tcpHeaderLength();
            default -> 8;
        };
        int length = d.l4Available() - header;
        byte[] out = new byte[Math.max(0, length)];
        d.buf().getBytes(d.l4Offset() + header, out);
        return out;
    }

    /** {@code udp 192.168.122.55:40002 > 8.8.8.8:53 ttl=64}, for failure messages. */
    @Override
    public String toString() {
        String p = switch (protocol()) {
            case TCP -> "tcp " + source() + ":" + sourcePort() + " > " + destination() + ":" + destinationPort()
                    + " flags=0x" + Integer.toHexString(tcpFlags());
            case UDP -> "udp " + source() + ":" + sourcePort() + " > " + destination() + ":" + destinationPort();
            case ICMP -> "icmp " + source() + " > " + destination() + " type=" + icmpType() + " code=" + icmpCode();
            default -> "proto " + protocol() + " " + source() + " > " + destination();
        };
        return p + " ttl=" + ttl();
    }
}
