package org.vnetlab.protocols;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.vnetlab.protocols.arp.ArpMessage;
import org.vnetlab.protocols.arp.ArpOperation;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpOption;
import org.vnetlab.protocols.udp.UdpHeader;

/** Random valid representations of each protocol, for the jqwik properties. */
public final class Generators {
    private Generators() {}

    public static Arbitrary<MacAddress> macs() {
        return Arbitraries.longs().between(0, 0xffff_ffff_ffffL).map(MacAddress::new);
    }

    public static Arbitrary<Ipv4Address> addresses() {
        return Arbitraries.integers().map(Ipv4Address::new);
    }

    public static Arbitrary<Integer> u16() { return Arbitraries.integers().between(0, 0xffff); }

    public static Arbitrary<Integer> u8() { return Arbitraries.integers().between(0, 0xff); }

    public static Arbitrary<Long> u32() { return Arbitraries.longs().between(0, 0xffff_ffffL); }

    public static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }

    public static Arbitrary<EthernetHeader> ethernetHeaders() {
        Arbitrary<EtherType> types = Arbitraries.oneOf(
                Arbitraries.of(EtherType.IPV4, EtherType.ARP, EtherType.IPV6, EtherType.LLDP),
                Arbitraries.integers().between(0, 0xffff).filter(v -> v != 0x8100).map(EtherType::of));
        Arbitrary<Integer> tci = Arbitraries.oneOf(Arbitraries.just(-1), u16());
        return Combinators.combine(macs(), macs(), types, tci).as(EthernetHeader::new);
    }

    public static Arbitrary<ArpMessage> arpMessages() {
        Arbitrary<ArpOperation> ops = Arbitraries.oneOf(Arbitraries.of(ArpOperation.REQUEST, ArpOperation.REPLY), u16().map(ArpOperation::of));
        return Combinators.combine(ops, macs(), addresses(), macs(), addresses()).as(ArpMessage::new);
    }

    /** Well-formed IPv4 options (NOPs and TLVs), padded to a multiple of 4 with End of List. */
    public static Arbitrary<byte[]> ipv4Options() {
        Arbitrary<byte[]> tlv = Combinators.combine(Arbitraries.integers().between(2, 255), bytes(0, 6)).as((type, data) -> {
            byte[] b = new byte[data.length + 2];
            b[0] = (byte) type.intValue();
            b[1] = (byte) b.length;
            System.arraycopy(data, 0, b, 2, data.length);
            return b;
        });
        Arbitrary<byte[]> one = Arbitraries.oneOf(Arbitraries.just(new byte[] {1}), tlv);
        return one.list().ofMaxSize(5).map(parts -> {
            List<Byte> all = new ArrayList<>();
            for (byte[] p : parts) for (byte x : p) all.add(x);
            while (all.size() % 4 != 0) all.add((byte) 0);
            byte[] out = new byte[Math.min(all.size(), 40)];
            for (int i = 0; i < out.length; i++) out[i] = all.get(i);
            return out;
        }).filter(o -> o.length % 4 == 0 && wellFormed(o));
    }

    private static boolean wellFormed(byte[] o) {
        int i = 0;
        while (i < o.length) {
            int t = o[i] & 0xff;
            if (t == 0) return true;
            if (t == 1) { i++; continue; }
            if (i + 1 >= o.length) return false;
            int len = o[i + 1] & 0xff;
            if (len < 2 || i + len > o.length) return false;
            i += len;
        }
        return true;
    }

    private record Ipv4Fields(int tos, int id, boolean df, boolean mf, int offset, int ttl) {}

    public static Arbitrary<Ipv4Header> ipv4Headers() {
        Arbitrary<Ipv4Fields> fields = Combinators.combine(u8(), u16(), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 0x1fff).map(v -> v * 8), u8()).as(Ipv4Fields::new);
        return Combinators.combine(fields, u8().map(IpProtocol::of), addresses(), addresses(), ipv4Options(),
                        Arbitraries.integers().between(0, 1400))
                .as((f, protocol, src, dst, options, payload) -> new Ipv4Header(f.tos(), f.id(), f.df(), f.mf(), f.offset(), f.ttl(),
                        protocol, src, dst, options, payload));
    }

    public static Arbitrary<IcmpMessage> icmpMessages() {
        Arbitrary<IcmpMessage> echo = Combinators.combine(Arbitraries.of(true, false), u16(), u16(), bytes(0, 64)).as(IcmpMessage.Echo::new);
        Arbitrary<IcmpMessage> unreachable = Combinators.combine(u8(), bytes(0, 64)).as(IcmpMessage.DestinationUnreachable::new);
        Arbitrary<IcmpMessage> fragNeeded = Combinators.combine(u16(), bytes(0, 64))
                .as((mtu, q) -> new IcmpMessage.DestinationUnreachable(4, mtu, q));
        Arbitrary<IcmpMessage> exceeded = Combinators.combine(u8(), bytes(0, 64)).as(IcmpMessage.TimeExceeded::new);
        // Types the specific records do not claim (timestamps, redirect, parameter problem, unknown...).
        Arbitrary<IcmpMessage> other = Combinators.combine(u8().filter(t -> t != 0 && t != 3 && t != 8 && t != 11), u8(),
                Arbitraries.integers(), bytes(0, 64)).as(IcmpMessage.Other::new);
        return Arbitraries.oneOf(echo, unreachable, fragNeeded, exceeded, other);
    }

    public static Arbitrary<UdpHeader> udpHeaders() {
        return Combinators.combine(u16(), u16(), Arbitraries.integers().between(0, 1400)).as(UdpHeader::new);
    }

    public static Arbitrary<TcpOption> tcpOptions() {
        Arbitrary<TcpOption> sack = Combinators.combine(u32(), u32()).as(TcpOption.SackBlock::new).list().ofMinSize(1).ofMaxSize(3)
                .map(TcpOption.Sack::new);
        Arbitrary<TcpOption> unknown = Combinators.combine(Arbitraries.integers().between(6, 255).filter(k -> k != 8), bytes(0, 6))
                .as(TcpOption.Unknown::new);
        return Arbitraries.oneOf(Arbitraries.just(new TcpOption.NoOp()), u16().map(TcpOption.Mss::new), u8().map(TcpOption.WindowScale::new),
                Arbitraries.just(new TcpOption.SackPermitted()), sack, Combinators.combine(u32(), u32()).as(TcpOption.Timestamps::new), unknown);
    }

    /** Options that fill a multiple of 4 bytes (NOP-padded at the end, or closed by End of List) and fit in 40. */
    public static Arbitrary<List<TcpOption>> tcpOptionLists() {
        return Combinators.combine(tcpOptions().list().ofMaxSize(5), Arbitraries.of(true, false)).as((list, endWithEol) -> {
            List<TcpOption> out = new ArrayList<>();
            int n = 0;
            for (TcpOption o : list) {
                if (n + o.length() > 36) break;
                out.add(o);
                n += o.length();
            }
            if (endWithEol && n % 4 != 0) {
                out.add(new TcpOption.EndOfList());
                return out;
            }
            while (n % 4 != 0) {
                out.add(new TcpOption.NoOp());
                n++;
            }
            return out;
        });
    }

    public static Arbitrary<TcpHeader> tcpHeaders() {
        return Combinators.combine(u16(), u16(), u32(), u32(), Arbitraries.integers().between(0, 0xfff), u16(), u16(), tcpOptionLists())
                .as(TcpHeader::new);
    }
}
