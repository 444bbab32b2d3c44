package org.vnetlab.emulator.nftables.eval;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.conntrack.Direction;
import org.vnetlab.emulator.conntrack.Status;
import org.vnetlab.emulator.netfilter.hook.HostNetwork;
import org.vnetlab.emulator.netfilter.hook.PacketContext;
import org.vnetlab.emulator.nftables.DataType;
import org.vnetlab.emulator.nftables.Intervals;
import org.vnetlab.emulator.nftables.NftSet;
import org.vnetlab.emulator.nftables.Rhs;
import org.vnetlab.emulator.nftables.Selector;
import org.vnetlab.emulator.nftables.Stmt;
import org.vnetlab.emulator.nftables.Value;

/**
 * The values nft's expressions load from a packet (nft_payload, nft_meta, nft_ct, nft_fib) and the comparisons
 * nft_cmp, nft_range, nft_bitwise and nft_lookup make. A load that fails — a transport field of a later fragment
 * or of another protocol (the implicit dependency), a header too short, a ct key without a connection — is
 * NFT_BREAK: the rule does not match, whatever the operator ({@code !=} included). There is no "hotdrop" as
 * in iptables.
 */
final class Expressions {
    private final HostNetwork host;

    Expressions(HostNetwork host) { this.host = host; }

    /** The value {@code sel} loads, or empty for NFT_BREAK. */
    Optional<Value> load(Selector sel, PacketContext ctx) {
        Datagram d = ctx.datagram();
        switch (sel) {
            case IP_SADDR: return num(d.source().bits() & 0xffff_ffffL);
            case IP_DADDR: return num(d.destination().bits() & 0xffff_ffffL);
            case IP_PROTOCOL:
            case META_L4PROTO: return num(d.protocol());
            case IP6_SADDR:
            case IP6_DADDR: return Optional.empty(); // an IPv4 packet has no IPv6 header (dependency: nfproto ipv6)
            case META_NFPROTO: return num(2);
            case META_IIF:
            case META_IIFNAME: return Optional.of(new Value.Text(ctx.in().orElse("")));
            case META_OIF:
            case META_OIFNAME: return Optional.of(new Value.Text(ctx.out().orElse("")));
            case META_MARK: return num(ctx.mark());
            case META_PKTTYPE: return num(switch (ctx.packetType()) {
                case UNICAST, OUTGOING -> 0;
                case BROADCAST -> 1;
                case MULTICAST -> 2;
                case OTHERHOST -> 3;
            });
            case CT_STATE: return num(switch (ctx.ctState()) {
                case INVALID -> 1;
                case ESTABLISHED -> 2;
                case RELATED -> 4;
                case NEW -> 8;
                case UNTRACKED -> 64;
                default -> 1;
            });
            case CT_STATUS: return ctx.conntrack().map(ct -> new Value.Num(status(ct)));
            case CT_DIRECTION: return ctx.conntrack().flatMap(ct -> ctx.ctInfo())
                    .map(i -> new Value.Num(i.direction() == Direction.ORIGINAL ? 0 : 1));
            case CT_MARK: return ctx.conntrack().map(ct -> new Value.Num(ct.mark()));
            case FIB_DADDR_TYPE: return num(host.addressType(d.destination(), Optional.empty()).ordinal());
            case FIB_SADDR_TYPE: return num(host.addressType(d.source(), Optional.empty()).ordinal());
            default: return transport(sel, d);
        }
    }

    /** nft_payload at the transport header: needs the protocol, a first fragment and the bytes. */
    private static Optional<Value> transport(Selector sel, Datagram d) {
        Optional<Integer> proto = sel.protocol();
        if (proto.isPresent() && d.protocol() != proto.get()) return Optional.empty();
        if (d.isLaterFragment()) return Optional.empty();
        ByteBuf b = d.buf();
        int o = d.l4Offset();
        int have = Math.min(d.l4Available(), d.l4Length());
        return switch (sel) {
            case TCP_SPORT, UDP_SPORT, TH_SPORT -> have >= 2 ? num(b.getUnsignedShort(o)) : Optional.empty();
            case TCP_DPORT, UDP_DPORT, TH_DPORT -> have >= 4 ? num(b.getUnsignedShort(o + 2)) : Optional.empty();
            case TH_PORTS -> have >= 4 ? num(b.getUnsignedInt(o)) : Optional.empty();
            case TCP_FLAGS -> have >= 14 ? num(b.getUnsignedByte(o + 13)) : Optional.empty();
            case ICMP_TYPE -> have >= 1 ? num(b.getUnsignedByte(o)) : Optional.empty();
            case ICMP_CODE -> have >= 2 ? num(b.getUnsignedByte(o + 1)) : Optional.empty();
            default -> throw new IllegalStateException("not a transport field: " + sel);
        };
    }

    private static long status(ConntrackEntry ct) {
        long bits = 0;
        if (ct.has(Status.EXPECTED)) bits |= 1;
        if (ct.has(Status.SEEN_REPLY)) bits |= 2;
        if (ct.has(Status.ASSURED)) bits |= 4;
        if (ct.has(Status.CONFIRMED)) bits |= 8;
        if (ct.has(Status.SRC_NAT)) bits |= 16;
        if (ct.has(Status.DST_NAT)) bits |= 32;
        if (ct.has(Status.DYING)) bits |= 512;
        return bits;
    }

    private static Optional<Value> num(long v) { return Optional.of(new Value.Num(v & 0xffff_ffffL)); }

    /** A match against a loaded value (nft_cmp / nft_range / nft_bitwise + cmp / nft_lookup). */
    static boolean matches(Stmt.Match m, Value loaded, Optional<NftSet> named) {
        DataType t = m.selector().type();
        Value v = loaded;
        if (m.mask().isPresent()) v = new Value.Num(((Value.Num) v).value() & m.mask().getAsLong());
        Rhs rhs = m.rhs();
        if (rhs instanceof Rhs.SetRef) {
            boolean in = named.orElseThrow().elements().stream().anyMatch(e -> contains(t, e.key(), loaded));
            return in != (m.op() == Stmt.Op.NEQ);
        }
        if (rhs instanceof Rhs.AnonSet set) {
            Value x = v;
            boolean in = set.elements().stream().anyMatch(e -> contains(t, e, x));
            return in != (m.op() == Stmt.Op.NEQ);
        }
        Rhs.Element e = (Rhs.Element) rhs;
        if (e instanceof Rhs.Single s) {
            if (m.op() == Stmt.Op.IMPLICIT && t.isBitmask() && m.mask().isEmpty()) {
                return (((Value.Num) v).value() & ((Value.Num) s.value()).value()) != 0;
            }
            int c = compare(t, v, s.value());
            return switch (m.op()) {
                case IMPLICIT, EQ -> c == 0;
                case NEQ -> c != 0;
                case LT -> c < 0;
                case GT -> c > 0;
                case LTE -> c <= 0;
                case GTE -> c >= 0;
            };
        }
        boolean in = contains(t, e, v);
        return in != (m.op() == Stmt.Op.NEQ);
    }

    /** Whether a set element (or the right side of a match) covers {@code v}; {@code "eth*"} is a name prefix. */
    static boolean contains(DataType t, Rhs.Element e, Value v) {
        if (e instanceof Rhs.Single s) return compare(t, v, s.value()) == 0;
        return Intervals.contains(t, e, v);
    }

    /** 0 when equal; interface names with a trailing {@code *} compare as prefixes. */
    private static int compare(DataType t, Value v, Value against) {
        if (against instanceof Value.Text pattern && v instanceof Value.Text name) {
            String p = pattern.text();
            if (p.endsWith("*") && !p.endsWith("\\*")) return name.text().startsWith(p.substring(0, p.length() - 1)) ? 0 : 1;
            return name.text().equals(p.replace("\\*", "*")) ? 0 : 1;
        }
        return v.compareTo(against);
    }
}
