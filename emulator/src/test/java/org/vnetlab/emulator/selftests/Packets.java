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

    // ------------------------------------------------------------------ DHCP, as the probe program does it

    /** busybox udhcpc's DISCOVER/REQUEST as the probe sends it: broadcast, TTL 64, ID 0, padded to 300 bytes of BOOTP. */
    static byte[] dhcpFrame(byte[] mac, long xid, byte[] options) {
        byte[] bootp = new byte[Math.max(240 + options.length + 1, 300)];
        bootp[0] = 1;
        bootp[1] = 1;
        bootp[2] = 6;
        for (int i = 0; i < 4; i++) bootp[4 + i] = (byte) (xid >>> (24 - 8 * i));
        System.arraycopy(mac, 0, bootp, 28, 6);
        bootp[236] = 0x63;
        bootp[237] = (byte) 0x82;
        bootp[238] = 0x53;
        bootp[239] = 0x63;
        System.arraycopy(options, 0, bootp, 240, options.length);
        bootp[240 + options.length] = (byte) 255;
        int udpLen = 8 + bootp.length;
        byte[] ip = new byte[20 + udpLen];
        ip[0] = 0x45;
        ip[2] = (byte) (ip.length >>> 8);
        ip[3] = (byte) ip.length;
        ip[8] = 64;
        ip[9] = 17;
        for (int i = 16; i < 20; i++) ip[i] = (byte) 0xff;
        ip[20] = 0;
        ip[21] = 68;
        ip[22] = 0;
        ip[23] = 67;
        ip[24] = (byte) (udpLen >>> 8);
        ip[25] = (byte) udpLen;
        System.arraycopy(bootp, 0, ip, 28, bootp.length);
        int sum = 0x11 + udpLen; // pseudo header: zero source, broadcast destination, protocol, length
        sum += 0xffff + 0xffff;
        for (int i = 20; i < ip.length; i += 2) sum += ((ip[i] & 0xff) << 8) | (i + 1 < ip.length ? ip[i + 1] & 0xff : 0);
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        int udpSum = ~sum & 0xffff;
        if (udpSum == 0) udpSum = 0xffff;
        ip[26] = (byte) (udpSum >>> 8);
        ip[27] = (byte) udpSum;
        int h = 0;
        for (int i = 0; i < 20; i += 2) h += ((ip[i] & 0xff) << 8) | (ip[i + 1] & 0xff);
        while ((h >>> 16) != 0) h = (h & 0xffff) + (h >>> 16);
        h = ~h & 0xffff;
        ip[10] = (byte) (h >>> 8);
        ip[11] = (byte) h;
        byte[] frame = new byte[14 + ip.length];
        for (int i = 0; i < 6; i++) frame[i] = (byte) 0xff;
        System.arraycopy(mac, 0, frame, 6, 6);
        frame[12] = 0x08;
        System.arraycopy(ip, 0, frame, 14, ip.length);
        return frame;
    }

    /** The client's options: 53, extra (50/54 in a REQUEST), 57=576, 55 params, 60 vendor, 61 (1, MAC). */
    static byte[] dhcpClientOptions(int type, byte[] mac, List<Integer> params, String vendor, byte[] extra) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        o.writeBytes(new byte[] {53, 1, (byte) type});
        o.writeBytes(extra);
        o.writeBytes(new byte[] {57, 2, 2, 64});
        o.write(55);
        o.write(params.size());
        for (int p : params) o.write(p);
        byte[] v = vendor.getBytes(StandardCharsets.US_ASCII);
        if (v.length > 0) {
            o.write(60);
            o.write(v.length);
            o.writeBytes(v);
        }
        o.writeBytes(new byte[] {61, 7, 1});
        o.writeBytes(mac);
        return o.toByteArray();
    }

    /** A server's reply to {@code mac}/{@code xid}, read as the probe reads it; empty for any other frame. */
    static Optional<DhcpReply> dhcpReply(byte[] f, byte[] mac, long xid) {
        if (f.length < 14 + 20 + 8 + 240 || u16(f, 12) != 0x0800) return Optional.empty();
        int ihl = (u8(f, 14) & 0x0f) * 4;
        int ip = 14;
        if (u8(f, ip + 9) != 17) return Optional.empty();
        int udp = ip + ihl;
        int udpLen = u16(f, udp + 4);
        if (u16(f, udp + 2) != 68 || udp + udpLen > f.length) return Optional.empty();
        int b = udp + 8;
        if (u8(f, b) != 2) return Optional.empty();
        long x = ((long) u16(f, b + 4) << 16) | u16(f, b + 6);
        for (int i = 0; i < 6; i++) if (f[b + 28 + i] != mac[i]) return Optional.empty();
        if (x != xid) return Optional.empty();
        Map<Integer, byte[]> options = new LinkedHashMap<>();
        List<Integer> order = new ArrayList<>();
        int pos = b + 240;
        int end = udp + udpLen;
        while (pos < end) {
            int code = u8(f, pos);
            if (code == 0) {
                pos++;
                continue;
            }
            order.add(code);
            if (code == 255) break;
            int len = u8(f, pos + 1);
            options.put(code, java.util.Arrays.copyOfRange(f, pos + 2, pos + 2 + len));
            pos += 2 + len;
        }
        StringBuilder ethDst = new StringBuilder();
        for (int i = 0; i < 6; i++) ethDst.append(i == 0 ? "" : ":").append(String.format("%02x", u8(f, i)));
        return Optional.of(new DhcpReply(options.containsKey(53) ? options.get(53)[0] : 0, ip(f, b + 16), ip(f, b + 20),
                u16(f, b + 10), options, order, ethDst.toString(), ip(f, ip + 12), ip(f, ip + 16), u8(f, ip + 1), u8(f, ip + 8),
                (u16(f, ip + 6) & 0x4000) != 0 ? 1 : 0, udpLen));
    }

    record DhcpReply(int type, String yiaddr, String siaddr, int flags, Map<Integer, byte[]> options, List<Integer> order,
                     String ethDst, String ipSrc, String ipDst, int tos, int ttl, int df, int udpLen) {
        String orderText() { return String.join(",", order.stream().map(String::valueOf).toList()); }

        java.util.Optional<String> address(int code) {
            byte[] v = options.get(code);
            if (v == null) return java.util.Optional.empty();
            List<String> l = new ArrayList<>();
            for (int i = 0; i + 3 < v.length; i += 4) l.add(ip(v, i));
            return java.util.Optional.of(String.join(",", l));
        }

        java.util.Optional<String> number(int code) {
            byte[] v = options.get(code);
            if (v == null || v.length != 4) return java.util.Optional.empty();
            return java.util.Optional.of(Long.toString(((long) u16(v, 0) << 16) | u16(v, 2)));
        }

        java.util.Optional<String> text(int code) {
            byte[] v = options.get(code);
            return v == null ? java.util.Optional.empty() : java.util.Optional.of(new String(v, StandardCharsets.ISO_8859_1));
        }
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
     * The harness's internet resolver, a dnsmasq 2.90 with {@code --no-resolv --address=/google.com/142.250.1.1}:
     * google.com (and names under it) A 142.250.1.1 with TTL 0, authoritative; anything else, AAAA of
     * google.com included, REFUSED ("config error is REFUSED" in its log: no upstream). RA set, as dnsmasq sets
     * it; the OPT record is echoed.
     */
    static byte[] inetDnsAnswer(byte[] query) {
        int qdEnd = skipName(query, 12) + 4;
        String name = readName(query, 12).toLowerCase(java.util.Locale.ROOT);
        int qtype = u16(query, qdEnd - 4);
        boolean ours = (name.equals("google.com") || name.endsWith(".google.com")) && qtype == 1;
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
