package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.ConntrackTuple;
import org.vnetlab.emulator.conntrack.CtInfo;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.conntrack.Direction;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.emulator.netfilter.PacketType;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.icmp.IcmpErrors;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.ParseException;

/**
 * The packets the host answers with: ICMP errors as icmp_send builds them (REJECT, TTL exceeded, no route)
 * and TCP resets as nf_send_reset builds them.
 *
 * <p>IP identification: the kernel takes an ICMP error's ID from ip_idents (a hash of the addresses under a
 * boot-time random key, plus a per-bucket counter); that cannot be reproduced, so vnetlab keeps a counter per
 * (source, destination, protocol) starting at a value derived from the seed. TCP resets carry ID 0 and DF,
 * like nf_reject_iphdr_put.
 */
public final class Replies {
    private final HostNetwork host;
    private final long seed;
    private final Map<Long, Integer> idents = new HashMap<>();

    public Replies(HostNetwork host, long seed) {
        this.host = host;
        this.seed = seed;
    }

    private int nextId(Ipv4Address src, Ipv4Address dst, int protocol) {
        long key = ((long) src.bits() << 32) ^ (dst.bits() & 0xffff_ffffL) ^ ((long) protocol << 56);
        int id = idents.computeIfAbsent(key, k -> (int) (mix(k ^ seed) & 0xffff));
        idents.put(key, (id + 1) & 0xffff);
        return id;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /**
     * icmp_send: an ICMP error of {@code type}/{@code code} about {@code original}, or empty when Linux
     * sends none (non-first fragment, ICMP error or unknown type, not addressed to us at link level,
     * broadcast/multicast destination, no route back, or over the host's rate limits,
     * {@link HostNetwork#allowIcmpError}). The
     * source is the original destination when that is a local address, else the host's address on the route
     * back to the sender.
     */
    public Optional<ByteBuf> icmpError(PacketContext ctx, int type, int code, long now) {
        Datagram d = ctx.datagram();
        Ipv4Packet original;
        try {
            original = Ipv4Packet.checked(d.buf().slice(d.offset(), d.available()));
        } catch (ParseException e) {
            return Optional.empty();
        }
        if (!IcmpErrors.mayAnswerWithError(original)) return Optional.empty();
        if (ctx.packetType() != PacketType.UNICAST) return Optional.empty();
        AddressType dstType = host.addressType(d.destination(), Optional.empty());
        if (dstType == AddressType.BROADCAST || dstType == AddressType.MULTICAST) return Optional.empty();
        if (d.source().isAny()) return Optional.empty();
        Optional<Ipv4Address> source = dstType == AddressType.LOCAL ? Optional.of(d.destination())
                : host.sourceAddressTowards(d.source());
        boolean inOnLoopback = ctx.in().map("lo"::equals).orElse(false);
        // asked even without a route back: the kernel's global check comes before the route lookup
        if (!host.allowIcmpError(type, code, d.source(), inOnLoopback, now)) {
            if (source.isPresent()) {
                ctx.step(new TraceStep.Stack("icmp_send: no ICMP " + type + "/" + code + " to " + d.source()
                        + ": rate limited (icmp_ratelimit / icmp_msgs_per_sec)"));
            }
            return Optional.empty();
        }
        if (source.isEmpty()) return Optional.empty();
        int mtu = host.routeMtu(d.source());
        if (IcmpErrors.quoteLength(original.totalLength(), mtu) < 0) return Optional.empty();
        IcmpMessage msg = type == 11 ? IcmpErrors.timeExceeded(code, original, mtu)
                : IcmpErrors.destinationUnreachable(code, original, mtu);
        Ipv4Header h = IcmpErrors.header(source.get(), original, nextId(source.get(), d.source(), 1),
                host.defaultTtl(), msg);
        return Optional.of(org.vnetlab.protocols.build.Frames.ipv4(h, msg));
    }

    /**
     * nf_send_reset: a RST from the original destination to the original source. Without ACK in the
     * original: ACK set and ack = seq + SYN + FIN + data length; with ACK: seq = the original's ack. None for
     * a non-first fragment or an RST.
     */
    public Optional<ByteBuf> tcpReset(PacketContext ctx) {
        Datagram d = ctx.datagram();
        if (d.isLaterFragment() || d.protocol() != ConntrackTuple.TCP || d.l4Available() < 20) return Optional.empty();
        ByteBuf b = d.buf();
        int o = d.l4Offset();
        int flags = b.getUnsignedByte(o + 13);
        if ((flags & 0x04) != 0) return Optional.empty();
        int doff = (b.getUnsignedByte(o + 12) >>> 4) * 4;
        long seq = b.getUnsignedInt(o + 4);
        long ackSeq = b.getUnsignedInt(o + 8);
        boolean syn = (flags & 0x02) != 0, fin = (flags & 0x01) != 0, ack = (flags & 0x10) != 0;
        ByteBuf r = Unpooled.buffer(40);
        r.writerIndex(40);
        r.setByte(0, 0x45);
        r.setByte(1, 0);
        r.setShort(2, 40);
        r.setShort(4, 0);
        r.setShort(6, 0x4000);
        r.setByte(8, host.defaultTtl());
        r.setByte(9, 6);
        r.setInt(12, d.destination().bits());
        r.setInt(16, d.source().bits());
        r.setShort(10, InternetChecksum.compute(r, 0, 20));
        r.setShort(20, b.getUnsignedShort(o + 2));
        r.setShort(22, b.getUnsignedShort(o));
        int newFlags = 0x04;
        if (ack) {
            r.setInt(24, (int) ackSeq);
            r.setInt(28, 0);
        } else {
            r.setInt(24, 0);
            long dataLen = d.l4Length() - doff;
            r.setInt(28, (int) (seq + (syn ? 1 : 0) + (fin ? 1 : 0) + dataLen));
            newFlags |= 0x10;
        }
        r.setByte(32, 5 << 4);
        r.setByte(33, newFlags);
        r.setShort(34, 0);
        r.setShort(36, 0);
        r.setShort(38, 0);
        r.setShort(36, InternetChecksum.computeWithPseudoHeader(r, 20, 20, d.destination().bits(), d.source().bits(), 6));
        return Optional.of(r);
    }

    /**
     * nf_ct_attach (nf_conntrack_attach): a reply the host builds about a packet — a REJECT's RST, and every
     * ICMP error (icmp_glue_bits attaches the offending packet's conntrack) — carries that packet's
     * connection from birth, as RELATED in the other direction, even when the connection was never
     * confirmed. So OUTPUT sees the error RELATED, not INVALID, and it is never confirmed itself.
     */
    public static Optional<HookVerdict.ReplyContext> attached(PacketContext offending) {
        if (offending.conntrack().isEmpty()) return Optional.empty();
        CtInfo info = offending.ctInfo().orElseThrow().direction() == Direction.ORIGINAL ? CtInfo.RELATED_REPLY : CtInfo.RELATED;
        return Optional.of(new HookVerdict.ReplyContext(offending.conntrack().get(), info));
    }

    /** nf_reject_verify_csum + nf_ip_checksum: REJECT answers nothing when the transport checksum is wrong. */
    public static boolean transportChecksumOk(Datagram d) {
        if (d.isLaterFragment() || d.l4Available() < d.l4Length()) return true;
        int p = d.protocol();
        if (p == ConntrackTuple.UDP) {
            if (d.l4Available() >= 8 && d.buf().getUnsignedShort(d.l4Offset() + 6) == 0) return true;
        } else if (p != ConntrackTuple.TCP) {
            return true;
        }
        long sum = InternetChecksum.partialSum(d.buf(), d.l4Offset(), d.l4Length(),
                InternetChecksum.pseudoHeaderSum(d.source().bits(), d.destination().bits(), p, d.l4Length()));
        return InternetChecksum.fold(sum) == 0xffff;
    }
}
