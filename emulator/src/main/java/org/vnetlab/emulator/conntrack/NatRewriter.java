package org.vnetlab.emulator.conntrack;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * Applies a connection's NAT binding to packet bytes (nf_nat_packet, nf_nat_ipv4_manip_pkt and
 * nf_nat_icmp_reply_translation): address and port / ICMP id, with incremental checksum updates (RFC 1624)
 * for the IP header and the transport checksum, and for ICMP errors the quoted datagram rewritten the other
 * way round and the ICMP checksum recomputed. The quoted TTL and everything else stay as they were.
 */
public final class NatRewriter {
    private NatRewriter() {}

    /**
     * nf_nat_packet: translate a packet of {@code ct} travelling in {@code info}'s direction at a hook that
     * does {@code manip}. Returns true when bytes changed.
     */
    public static boolean packet(ConntrackEntry ct, CtInfo info, NatManip manip, Datagram d) {
        Direction dir = info.direction();
        Status bit = manip.natBit();
        if (dir == Direction.REPLY) bit = bit == Status.SRC_NAT ? Status.DST_NAT : Status.SRC_NAT;
        if (!ct.has(bit)) return false;
        // the inverse of the other direction's tuple, read in place: its source is that tuple's destination
        // and its key that tuple's destination port (ICMP: the id, which inversion keeps)
        boolean src = manip == NatManip.SOURCE;
        long addr = ct.addresses(dir.opposite());
        int keys = ct.keys(dir.opposite());
        int protocol = ct.protocol();
        int key = protocol == ConntrackTuple.ICMP ? keys >>> 16 : src ? keys & 0xffff : keys >>> 16;
        manipulate(d.buf(), d.offset(), d.l4Offset(), d.l4Available(), d.isLaterFragment(), protocol, src,
                src ? (int) addr : (int) (addr >>> 32), key);
        return true;
    }

    /**
     * nf_nat_icmp_reply_translation for an ICMP error RELATED to {@code ct}: the quoted datagram gets the
     * inverse translation, the ICMP checksum is recomputed, then the outer header is translated like a reply.
     * Returns false when the packet cannot be translated (the kernel drops it).
     */
    public static boolean icmpError(ConntrackEntry ct, CtInfo info, NatManip manip, Datagram d) {
        if (d.l4Available() >= 1 && d.buf().getUnsignedByte(d.l4Offset()) == IcmpTypes.REDIRECT) {
            // a redirect would let the two ends talk past the translation: dropped unless the connection's
            // NAT is settled both ways and translates nothing
            if (!ct.has(Status.SRC_NAT_DONE) || !ct.has(Status.DST_NAT_DONE)) return false;
            if (ct.has(Status.SRC_NAT) || ct.has(Status.DST_NAT)) return false;
        }
        Direction dir = info.direction();
        Status bit = manip.natBit();
        if (dir == Direction.REPLY) bit = bit == Status.SRC_NAT ? Status.DST_NAT : Status.SRC_NAT;
        if (!ct.has(bit)) return true;
        ByteBuf b = d.buf();
        int icmp = d.l4Offset();
        Optional<Datagram> inner = Datagram.read(b, icmp + 8, d.l4Available() - 8);
        if (inner.isEmpty()) return false;
        manipulate(inner.get(), ct.tuple(dir.opposite()), manip.opposite());
        b.setShort(icmp + 2, 0);
        b.setShort(icmp + 2, InternetChecksum.compute(b, icmp, d.l4Available()));
        ConntrackTuple outer = ct.tuple(dir.opposite()).inverted();
        ConntrackTuple target = new ConntrackTuple(ConntrackTuple.ICMP, outer.source(), outer.destination(), 0, 0);
        manipulate(d, target, manip);
        return true;
    }

    /** nf_nat_ipv4_manip_pkt: rewrite one side (source or destination) of {@code d} to {@code target}'s. */
    static void manipulate(Datagram d, ConntrackTuple target, NatManip manip) {
        boolean src = manip == NatManip.SOURCE;
        int key = target.protocol() == ConntrackTuple.ICMP ? target.icmpId()
                : src ? target.sourcePort() : target.destinationPort();
        manipulate(d.buf(), d.offset(), d.l4Offset(), d.l4Available(), d.isLaterFragment(), target.protocol(), src,
                (src ? target.source() : target.destination()).bits(), key);
    }

    /**
     * nf_nat_ipv4_manip_pkt on plain values, the one rewrite both the hooks and {@link FastPath} use: the
     * address at {@code l3} (source or destination), the transport key ({@code key}: the port of that side,
     * or the ICMP query id) when the transport header is there ({@code l4Available} bytes at {@code l4}),
     * and the IP and transport checksums by RFC 1624. Offsets are the buffer's indices. A heap buffer is
     * rewritten in its backing array; any other buffer through a copy of the headers (slow, allocating).
     */
    public static void manipulate(ByteBuf b, int l3, int l4, int l4Available, boolean laterFragment, int protocol,
                           boolean source, int newAddr, int key) {
        if (b.hasArray()) {
            int o = b.arrayOffset();
            manipulate(b.array(), l3 + o, l4 + o, l4Available, laterFragment, protocol, source, newAddr, key);
            return;
        }
        // the headers only: the IP header up to l4 and at most 20 bytes of transport header (all manip reads)
        int span = l4 - l3 + Math.max(0, Math.min(l4Available, 20));
        byte[] copy = new byte[span];
        b.getBytes(l3, copy);
        manipulate(copy, 0, l4 - l3, l4Available, laterFragment, protocol, source, newAddr, key);
        b.setBytes(l3, copy);
    }

    /** {@link #manipulate(ByteBuf, int, int, int, boolean, int, boolean, int, int)} on an array (array indices). */
    static void manipulate(byte[] a, int l3, int l4, int l4Available, boolean laterFragment, int protocol,
                           boolean source, int newAddr, int key) {
        int addrOffset = l3 + (source ? Datagram.SOURCE : Datagram.DESTINATION);
        int oldAddr = Bytes.i32(a, addrOffset);
        if (!laterFragment) manipulateL4(a, l4, l4Available, protocol, source, oldAddr, newAddr, key);
        int csum = Bytes.u16(a, l3 + Datagram.CHECKSUM);
        Bytes.set16(a, l3 + Datagram.CHECKSUM, InternetChecksum.update32(csum, oldAddr, newAddr));
        Bytes.set32(a, addrOffset, newAddr);
    }

    private static void manipulateL4(byte[] a, int o, int have, int protocol, boolean src, int oldAddr, int newAddr,
                                     int key) {
        switch (protocol) {
            case ConntrackTuple.TCP, ConntrackTuple.UDP, ConntrackTuple.UDPLITE, ConntrackTuple.SCTP, ConntrackTuple.DCCP -> {
                if (have < 4) return;
                int portOffset = o + (src ? 0 : 2);
                int oldPort = Bytes.u16(a, portOffset);
                int csumOffset = switch (protocol) {
                    case ConntrackTuple.TCP -> have >= 20 ? o + 16 : -1; // a short quote: only the ports are there
                    case ConntrackTuple.UDP, ConntrackTuple.UDPLITE -> have >= 8 ? o + 6 : -1;
                    case ConntrackTuple.DCCP -> have >= 8 ? o + 6 : -1;
                    default -> -1; // SCTP uses CRC32c over the payload; not rewritten here
                };
                if (csumOffset >= 0) {
                    int c = Bytes.u16(a, csumOffset);
                    boolean udpNoChecksum = protocol == ConntrackTuple.UDP && c == 0;
                    if (!udpNoChecksum) {
                        c = InternetChecksum.update32(c, oldAddr, newAddr);
                        c = InternetChecksum.update16(c, oldPort, key);
                        if (protocol == ConntrackTuple.UDP && c == 0) c = 0xffff; // CSUM_MANGLED_0
                        Bytes.set16(a, csumOffset, c);
                    }
                }
                Bytes.set16(a, portOffset, key);
            }
            case ConntrackTuple.ICMP -> {
                if (have < 8) return;
                int type = Bytes.u8(a, o);
                if (IcmpTypes.inverse(type) < 0) return; // errors and others carry no id
                int oldId = Bytes.u16(a, o + 4);
                Bytes.set16(a, o + 2, InternetChecksum.update16(Bytes.u16(a, o + 2), oldId, key));
                Bytes.set16(a, o + 4, key);
            }
            default -> { }
        }
    }
}
