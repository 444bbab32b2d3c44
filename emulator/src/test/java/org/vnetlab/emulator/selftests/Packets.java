package org.vnetlab.emulator.selftests;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading captured frames as the oracle's probe program reads packets (oracle_probe.py): the flow a packet
 * belongs to as inet_seen names it, the fields of an ICMP error and its quoted header, DNS queries and
 * answers. Plain byte offsets over frames the emulator itself produced.
 */
final class Packets {
    private Packets() { }

    record Seen(String flow, int ttl) { }

    private static final org.vnetlab.protocols.ethernet.EthernetHeader ETH = new org.vnetlab.protocols.ethernet.EthernetHeader(
            org.vnetlab.protocols.MacAddress.parse("52:54:00:00:01:99"), org.vnetlab.protocols.MacAddress.parse("52:54:00:00:01:01"),
            org.vnetlab.protocols.ethernet.EtherType.IPV4, org.vnetlab.protocols.ethernet.EthernetHeader.NO_VLAN);

    private static io.netty.buffer.ByteBuf strip(io.netty.buffer.ByteBuf frame) { return frame.copy(14, frame.readableBytes() - 14); }

    /** A UDP datagram (IP header first) with 3 bytes of data, as udpclash's "foo". */
    static io.netty.buffer.ByteBuf udp(String src, int sport, String dst, int dport) {
        return strip(org.vnetlab.protocols.build.Frames.ethernetIpv4(ETH, org.vnetlab.protocols.ipv4.Ipv4Header.of(
                org.vnetlab.protocols.Ipv4Address.parse(src), org.vnetlab.protocols.Ipv4Address.parse(dst),
                org.vnetlab.protocols.ipv4.IpProtocol.UDP, 64, 0x2222, true, 0),
                new org.vnetlab.protocols.udp.UdpHeader(sport, dport, 0), "foo".getBytes(StandardCharsets.US_ASCII)));
    }

    /** A TCP SYN (IP header first). */
    static io.netty.buffer.ByteBuf syn(String src, int sport, String dst, int dport) {
        return strip(org.vnetlab.protocols.build.Frames.ethernetIpv4(ETH, org.vnetlab.protocols.ipv4.Ipv4Header.of(
                org.vnetlab.protocols.Ipv4Address.parse(src), org.vnetlab.protocols.Ipv4Address.parse(dst),
                org.vnetlab.protocols.ipv4.IpProtocol.TCP, 64, 0x3333, true, 0),
                new org.vnetlab.protocols.tcp.TcpHeader(sport, dport, 1000, 0, 0x02, 64240, 0, List.of()), new byte[0]));
    }

    private static int u8(byte[] b, int i) { return b[i] & 0xff; }

    private static int u16(byte[] b, int i) { return (u8(b, i) << 8) | u8(b, i + 1); }

    private static String ip(byte[] b, int i) { return u8(b, i) + "." + u8(b, i + 1) + "." + u8(b, i + 2) + "." + u8(b, i + 3); }

    /** The IPv4 datagram of an Ethernet frame, or empty. */
    static Optional<byte[]> ipv4(byte[] frame) {
        if (frame.length < 34 || u16(frame, 12) != 0x0800) return Optional.empty();
        int total = u16(frame, 16);
        if (14 + total > frame.length || total < 20) return Optional.empty();
        byte[] ip = new byte[total];
        System.arraycopy(frame, 14, ip, 0, total);
        return Optional.of(ip);
    }

    /** inet_seen's flow name of a datagram delivered to the internet: {@code proto:SRC>DST} and its TTL. */
    static Optional<Seen> seenDatagram(byte[] p) {
        int ihl = (u8(p, 0) & 0x0f) * 4;
        int proto = u8(p, 9);
        String src = ip(p, 12);
        String dst = ip(p, 16);
        int ttl = u8(p, 8);
        if ((proto == 6 || proto == 17) && p.length >= ihl + 4) {
            String name = proto == 6 ? "tcp" : "udp";
            return Optional.of(new Seen(name + ":" + src + ":" + u16(p, ihl) + ">" + dst + ":" + u16(p, ihl + 2), ttl));
        }
        if (proto == 1 && p.length >= ihl + 8) {
            int type = u8(p, ihl);
            if (type == 0 || type == 8) return Optional.of(new Seen("icmp:" + src + "#" + u16(p, ihl + 4) + ">" + dst, ttl));
            return Optional.of(new Seen("icmp:" + src + ">" + dst, ttl));
        }
        return Optional.empty();
    }

    /** The probe program's ICMP error fields, when {@code datagram} is an ICMP error quoting an IPv4 header. */
    static Optional<Map<String, String>> icmpError(byte[] datagram) {
        int ihl = (u8(datagram, 0) & 0x0f) * 4;
        if (u8(datagram, 9) != 1 || datagram.length < ihl + 8 + 20) return Optional.empty();
        int type = u8(datagram, ihl);
        if (type != 3 && type != 4 && type != 5 && type != 11 && type != 12) return Optional.empty();
        int q = ihl + 8;
        int qihl = (u8(datagram, q) & 0x0f) * 4;
        Map<String, String> f = new LinkedHashMap<>();
        f.put("icmp_type", Integer.toString(type));
        f.put("icmp_code", Integer.toString(u8(datagram, ihl + 1)));
        f.put("icmp_from", ip(datagram, 12));
        f.put("icmp_ttl", Integer.toString(u8(datagram, 8)));
        f.put("icmp_tos", String.format("0x%02x", u8(datagram, 1)));
        f.put("icmp_len", Integer.toString(u16(datagram, 2)));
        f.put("quoted_src", ip(datagram, q + 12));
        f.put("quoted_dst", ip(datagram, q + 16));
        f.put("quoted_ttl", Integer.toString(u8(datagram, q + 8)));
        int qproto = u8(datagram, q + 9);
        int l4 = q + qihl;
        f.put("quoted_proto", Integer.toString(qproto));
        if ((qproto == 6 || qproto == 17) && datagram.length >= l4 + 4) {
            f.put("quoted_sport", Integer.toString(u16(datagram, l4)));
            f.put("quoted_dport", Integer.toString(u16(datagram, l4 + 2)));
        } else if (qproto == 1 && datagram.length >= l4 + 8 && u8(datagram, l4) == 8) {
            f.put("quoted_echo_id", Integer.toString(u16(datagram, l4 + 4)));
        }
        if (type == 3 && u8(datagram, ihl + 1) == 4) f.put("icmp_mtu", Integer.toString(u16(datagram, ihl + 6)));
        return Optional.of(f);
    }

    // ------------------------------------------------------------------ DNS, as the probe program writes it

    /** The probe's query: RD set, one question, an OPT record of 1232 bytes when {@code edns}. */
    static byte[] dnsQuery(String name, int qid, int qtype, boolean edns) {
        List<Byte> out = new ArrayList<>();
        int[] header = {qid, 0x0100, 1, 0, 0, edns ? 1 : 0};
        for (int h : header) {
            out.add((byte) (h >>> 8));
            out.add((byte) h);
        }
        for (String label : name.replaceAll("\\.$", "").split("\\.")) {
            byte[] l = label.getBytes(StandardCharsets.US_ASCII);
            out.add((byte) l.length);
            for (byte c : l) out.add(c);
        }
        out.add((byte) 0);
        for (int v : new int[] {qtype, 1}) {
            out.add((byte) (v >>> 8));
            out.add((byte) v);
        }
        if (edns) {
            for (int v : new int[] {0, 0, 41, 1232 >>> 8, 1232 & 0xff, 0, 0, 0, 0, 0, 0}) out.add((byte) v);
        }
        byte[] b = new byte[out.size()];
        for (int i = 0; i < b.length; i++) b[i] = out.get(i);
        return b;
    }

    private static int skipName(byte[] m, int pos) {
        while (true) {
            int len = u8(m, pos);
            if (len == 0) return pos + 1;
            if ((len & 0xc0) == 0xc0) return pos + 2;
            pos += 1 + len;
        }
    }

    private static String readName(byte[] m, int pos) {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int len = u8(m, pos);
            if (len == 0) return sb.toString();
            if ((len & 0xc0) == 0xc0) {
                pos = ((len & 0x3f) << 8) | u8(m, pos + 1);
                continue;
            }
            if (sb.length() > 0) sb.append('.');
            sb.append(new String(m, pos + 1, len, StandardCharsets.US_ASCII));
            pos += 1 + len;
        }
    }

    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

    /** The probe's dns fields of an answer: rcode, qid_ok, aa, ra, answers, a. */
    static Map<String, String> dnsAnswer(byte[] m, int qid) {
        Map<String, String> f = new LinkedHashMap<>();
        int flags = u16(m, 2);
        int qd = u16(m, 4);
        int an = u16(m, 6);
        int pos = 12;
        for (int i = 0; i < qd; i++) pos = skipName(m, pos) + 4;
        List<String> a = new ArrayList<>();
        for (int i = 0; i < an; i++) {
            pos = skipName(m, pos);
            int type = u16(m, pos);
            int rdlen = u16(m, pos + 8);
            pos += 10;
            if (type == 1 && rdlen == 4) a.add(ip(m, pos));
            pos += rdlen;
        }
        int rcode = flags & 0x0f;
        f.put("rcode", rcode < RCODES.length ? RCODES[rcode] : Integer.toString(rcode));
        f.put("qid_ok", u16(m, 0) == qid ? "1" : "0");
        f.put("aa", (flags & 0x0400) != 0 ? "1" : "0");
        f.put("ra", (flags & 0x0080) != 0 ? "1" : "0");
        f.put("answers", Integer.toString(an));
        if (!a.isEmpty()) f.put("a", String.join(",", a));
        return f;
    }

    /**
     * The harness's internet resolver, a dnsmasq with {@code --no-resolv --address=/google.com/142.250.1.1}:
     * google.com (and names under it) A 142.250.1.1 with TTL 0, other types of those names NOERROR without
     * answers, every other name REFUSED (no upstream). RA set, as dnsmasq sets it; the OPT record is echoed.
     */
    static byte[] inetDnsAnswer(byte[] query) {
        int qdEnd = skipName(query, 12) + 4;
        String name = readName(query, 12).toLowerCase(java.util.Locale.ROOT);
        int qtype = u16(query, qdEnd - 4);
        boolean ours = name.equals("google.com") || name.endsWith(".google.com");
        boolean edns = u16(query, 10) > 0;
        List<Byte> out = new ArrayList<>();
        int flags = 0x8000 | (u16(query, 2) & 0x0100) | 0x0080 | (ours ? 0x0400 : 0) | (ours ? 0 : 5);
        int an = ours && qtype == 1 ? 1 : 0;
        int[] header = {u16(query, 0), flags, 1, an, 0, edns ? 1 : 0};
        for (int h : header) {
            out.add((byte) (h >>> 8));
            out.add((byte) h);
        }
        for (int i = 12; i < qdEnd; i++) out.add(query[i]);
        if (an == 1) {
            for (int v : new int[] {0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 142, 250, 1, 1}) out.add((byte) v);
        }
        if (edns) {
            for (int v : new int[] {0, 0, 41, 1232 >>> 8, 1232 & 0xff, 0, 0, 0, 0, 0, 0}) out.add((byte) v);
        }
        byte[] b = new byte[out.size()];
        for (int i = 0; i < b.length; i++) b[i] = out.get(i);
        return b;
    }
}
