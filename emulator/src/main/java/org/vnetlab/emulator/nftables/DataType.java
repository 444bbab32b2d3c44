package org.vnetlab.emulator.nftables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.netfilter.IpProtocols;

/**
 * The nft data types vnetlab understands: how a word of that type is read and how {@code nft list} prints a
 * value of it (symbolic names where nft has them, ports and protocols as numbers and names the way nft 1.0.6
 * prints them, marks as {@code 0x%08x}). Bitmask types (ct state, ct status, tcp flags) print lists of names.
 */
public enum DataType {
    IPV4_ADDR("ipv4_addr", 32, false),
    IPV6_ADDR("ipv6_addr", 128, false),
    INET_SERVICE("inet_service", 16, false),
    INET_PROTO("inet_proto", 8, false),
    IFNAME("ifname", 0, false),
    IFACE("iface_index", 0, false),
    MARK("mark", 32, false),
    CT_STATE("ct_state", 32, true),
    CT_STATUS("ct_status", 32, true),
    CT_DIR("ct_dir", 8, false),
    PKTTYPE("pkt_type", 8, false),
    NFPROTO("nf_proto", 8, false),
    ICMP_TYPE("icmp_type", 8, false),
    ICMP_CODE("icmp_code", 8, false),
    TCP_FLAG("tcp_flag", 8, true),
    FIB_ADDRTYPE("fib_addrtype", 32, false),
    /** A raw payload value, printed in hex without padding. */
    RAW("integer", 32, false),
    VERDICT("verdict", 0, false);

    private final String nftName;
    private final int bits;
    private final boolean bitmask;

    DataType(String nftName, int bits, boolean bitmask) {
        this.nftName = nftName;
        this.bits = bits;
        this.bitmask = bitmask;
    }

    public String nftName() { return nftName; }

    /** Width in bits (0 for strings). */
    public int bits() { return bits; }

    /** Flag types: a bare list {@code a,b} means "any of these bits" ({@code & (a|b) != 0}). */
    public boolean isBitmask() { return bitmask; }

    /** Whether prefixes and ranges make sense (ordered numbers). */
    public boolean isOrdered() {
        return this == IPV4_ADDR || this == IPV6_ADDR || this == INET_SERVICE || this == INET_PROTO || this == MARK
                || this == ICMP_TYPE || this == ICMP_CODE;
    }

    public static Optional<DataType> of(String nftName) {
        for (DataType t : values()) if (t.nftName.equals(nftName) && t != VERDICT && t != RAW) return Optional.of(t);
        return Optional.empty();
    }

    private static Map<String, Long> symbols(Object... pairs) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], ((Number) pairs[i + 1]).longValue());
        return m;
    }

    static final Map<String, Long> CT_STATES = symbols("invalid", 1, "established", 2, "related", 4, "new", 8, "untracked", 64);
    static final Map<String, Long> CT_STATUSES = symbols("expected", 1, "seen-reply", 2, "assured", 4, "confirmed", 8,
            "snat", 16, "dnat", 32, "dying", 512);
    static final Map<String, Long> TCP_FLAGS = symbols("fin", 1, "syn", 2, "rst", 4, "psh", 8, "ack", 16, "urg", 32,
            "ecn", 64, "cwr", 128);
    static final Map<String, Long> CT_DIRS = symbols("original", 0, "reply", 1);
    static final Map<String, Long> PKTTYPES = symbols("host", 0, "unicast", 0, "broadcast", 1, "multicast", 2, "other", 3);
    static final Map<String, Long> NFPROTOS = symbols("ipv4", 2, "ipv6", 10);
    static final Map<String, Long> ICMP_TYPES = symbols("echo-reply", 0, "destination-unreachable", 3,
            "source-quench", 4, "redirect", 5, "echo-request", 8, "router-advertisement", 9, "router-solicitation", 10,
            "time-exceeded", 11, "parameter-problem", 12, "timestamp-request", 13, "timestamp-reply", 14,
            "info-request", 15, "info-reply", 16, "address-mask-request", 17, "address-mask-reply", 18);
    /** nft's icmp_code_tbl: also the codes {@code reject with icmp} takes. */
    public static final Map<String, Long> ICMP_CODES = symbols("net-unreachable", 0, "host-unreachable", 1,
            "prot-unreachable", 2, "port-unreachable", 3, "net-prohibited", 9, "host-prohibited", 10,
            "admin-prohibited", 13, "frag-needed", 4);
    static final Map<String, Long> FIB_ADDRTYPES = symbols("unspec", 0, "unicast", 1, "local", 2, "broadcast", 3,
            "anycast", 4, "multicast", 5, "blackhole", 6, "unreachable", 7, "prohibit", 8);

    private Map<String, Long> table() {
        return switch (this) {
            case CT_STATE -> CT_STATES;
            case CT_STATUS -> CT_STATUSES;
            case TCP_FLAG -> TCP_FLAGS;
            case CT_DIR -> CT_DIRS;
            case PKTTYPE -> PKTTYPES;
            case NFPROTO -> NFPROTOS;
            case ICMP_TYPE -> ICMP_TYPES;
            case ICMP_CODE -> ICMP_CODES;
            case FIB_ADDRTYPE -> FIB_ADDRTYPES;
            default -> Map.of();
        };
    }

    /**
     * Reads one word of this type; throws {@link IllegalArgumentException} with the reason otherwise.
     * Bitmask types accept one flag name (lists are combined by the parser).
     */
    public Value parse(String word) {
        switch (this) {
            case IPV4_ADDR:
                return Value.num(ipv4(word));
            case IPV6_ADDR:
                return ipv6(word);
            case INET_SERVICE: {
                Optional<Long> n = number(word);
                if (n.isPresent()) return Value.num(check(n.get(), 0xffff, word));
                Optional<Integer> p = ServiceNames.port(word);
                if (p.isPresent()) return Value.num(p.get());
                throw new IllegalArgumentException("unknown service name");
            }
            case INET_PROTO: {
                Optional<Long> n = number(word);
                if (n.isPresent()) return Value.num(check(n.get(), 0xff, word));
                if (word.equals("icmpv6")) return Value.num(58);
                Optional<Integer> p = IpProtocols.number(word);
                if (p.isPresent() && !word.equals("all")) return Value.num(p.get());
                throw new IllegalArgumentException("unknown protocol");
            }
            case IFNAME:
            case IFACE:
                if (word.isEmpty() || word.length() > 15) throw new IllegalArgumentException("interface names have 1 to 15 characters");
                return new Value.Text(word);
            case MARK:
            case RAW: {
                Optional<Long> n = number(word);
                if (n.isEmpty()) throw new IllegalArgumentException("not a number");
                return Value.num(check(n.get(), 0xffff_ffffL, word));
            }
            case VERDICT:
                throw new IllegalArgumentException("a verdict is not a value");
            default: {
                Long s = table().get(word);
                if (s != null) return Value.num(s);
                Optional<Long> n = number(word);
                if (n.isPresent()) return Value.num(check(n.get(), bits == 8 ? 0xff : 0xffff_ffffL, word));
                throw new IllegalArgumentException("not a valid " + nftName + " (one of " + String.join(", ", table().keySet()) + ")");
            }
        }
    }

    /** How {@code nft list} prints a single value; bitmask values print their set bits joined by {@code sep}. */
    public String format(Value v, String bitSeparator) {
        if (v instanceof Value.Text t) return "\"" + t.text() + "\"";
        if (v instanceof Value.Ip6 a) return formatIpv6(a);
        long n = ((Value.Num) v).value();
        switch (this) {
            case IPV4_ADDR:
                return (n >>> 24) + "." + ((n >>> 16) & 0xff) + "." + ((n >>> 8) & 0xff) + "." + (n & 0xff);
            case INET_SERVICE:
                return Long.toString(n);
            case INET_PROTO:
                return protocolName((int) n);
            case MARK:
                return String.format("0x%08x", n);
            case RAW:
                return String.format("0x%x", n);
            default:
                break;
        }
        if (bitmask) {
            List<String> names = new ArrayList<>();
            long rest = n;
            for (Map.Entry<String, Long> e : table().entrySet()) {
                long bit = e.getValue();
                if ((n & bit) != 0 && (rest & bit) != 0) {
                    names.add(e.getKey());
                    rest &= ~bit;
                }
            }
            // nft lists flags in bit order
            names.sort((a, b) -> Long.compare(table().get(a), table().get(b)));
            if (rest != 0 || names.isEmpty()) names.add(String.format("0x%x", rest));
            return String.join(bitSeparator, names);
        }
        for (Map.Entry<String, Long> e : table().entrySet()) if (e.getValue() == n) return e.getKey();
        return Long.toString(n);
    }

    public String format(Value v) { return format(v, ","); }

    /** nft prints protocol numbers by their /etc/protocols name when there is one. */
    static String protocolName(int n) {
        return IpProtocols.name(n).orElse(Integer.toString(n));
    }

    /** The last value of the prefix {@code base/length}. */
    public Value prefixEnd(Value base, int length) {
        if (base instanceof Value.Ip6 a) {
            long hiMask = length >= 64 ? -1L : (length == 0 ? 0 : -1L << (64 - length));
            long loMask = length <= 64 ? 0 : (length == 128 ? -1L : -1L << (128 - length));
            return new Value.Ip6(a.high() | ~hiMask, a.low() | ~loMask);
        }
        long n = ((Value.Num) base).value();
        long host = bits - length >= 64 ? -1L : (1L << (bits - length)) - 1;
        return Value.num(n | host);
    }

    /** {@code base} with the bits past {@code length} cleared. */
    public Value prefixBase(Value base, int length) {
        if (base instanceof Value.Ip6 a) {
            long hiMask = length >= 64 ? -1L : (length == 0 ? 0 : -1L << (64 - length));
            long loMask = length <= 64 ? 0 : (length == 128 ? -1L : -1L << (128 - length));
            return new Value.Ip6(a.high() & hiMask, a.low() & loMask);
        }
        long n = ((Value.Num) base).value();
        long host = bits - length >= 64 ? -1L : (1L << (bits - length)) - 1;
        return Value.num(n & ~host);
    }

    /** The value after {@code v}, if any (for merging adjacent intervals). */
    public Optional<Value> next(Value v) {
        if (v instanceof Value.Ip6 a) {
            if (a.low() != -1L) return Optional.of(new Value.Ip6(a.high(), a.low() + 1));
            if (a.high() != -1L) return Optional.of(new Value.Ip6(a.high() + 1, 0));
            return Optional.empty();
        }
        if (v instanceof Value.Num n) {
            long max = bits >= 32 ? 0xffff_ffffL : (1L << bits) - 1;
            return n.value() < max ? Optional.of(Value.num(n.value() + 1)) : Optional.empty();
        }
        return Optional.empty();
    }

    private static long check(long n, long max, String word) {
        if (n > max) throw new IllegalArgumentException("value " + word + " exceeds " + max);
        return n;
    }

    /** Decimal or 0x hex, unsigned. */
    static Optional<Long> number(String w) {
        try {
            if (w.startsWith("0x") || w.startsWith("0X")) {
                if (w.length() == 2 || w.length() > 10) return Optional.empty();
                return Optional.of(Long.parseLong(w.substring(2), 16));
            }
            if (w.isEmpty() || w.length() > 10 || !w.chars().allMatch(Character::isDigit)) return Optional.empty();
            return Optional.of(Long.parseLong(w));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static long ipv4(String w) {
        String[] p = w.split("\\.", -1);
        if (p.length != 4) throw new IllegalArgumentException("not an IPv4 address (host names are not resolved)");
        long v = 0;
        for (String s : p) {
            if (s.isEmpty() || s.length() > 3 || !s.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("not an IPv4 address");
            }
            int b = Integer.parseInt(s);
            if (b > 255) throw new IllegalArgumentException("not an IPv4 address");
            v = (v << 8) | b;
        }
        return v;
    }

    static Value.Ip6 ipv6(String w) {
        int dbl = w.indexOf("::");
        if (dbl >= 0 && w.indexOf("::", dbl + 1) >= 0) throw new IllegalArgumentException("not an IPv6 address");
        List<Integer> head = groups(dbl >= 0 ? w.substring(0, dbl) : w);
        List<Integer> tail = dbl >= 0 ? groups(w.substring(dbl + 2)) : List.of();
        int missing = 8 - head.size() - tail.size();
        if ((dbl < 0 && missing != 0) || (dbl >= 0 && missing < 1)) throw new IllegalArgumentException("not an IPv6 address");
        long[] words = new long[8];
        int i = 0;
        for (int g : head) words[i++] = g;
        i += missing;
        for (int g : tail) words[i++] = g;
        long hi = 0, lo = 0;
        for (int k = 0; k < 4; k++) hi = (hi << 16) | words[k];
        for (int k = 4; k < 8; k++) lo = (lo << 16) | words[k];
        return new Value.Ip6(hi, lo);
    }

    private static List<Integer> groups(String s) {
        List<Integer> out = new ArrayList<>();
        if (s.isEmpty()) return out;
        for (String g : s.split(":", -1)) {
            if (g.isEmpty() || g.length() > 4) throw new IllegalArgumentException("not an IPv6 address");
            try {
                out.add(Integer.parseInt(g, 16));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv6 address");
            }
        }
        return out;
    }

    /** RFC 5952 text (lower case, longest run of two or more zero groups as {@code ::}), as inet_ntop writes it. */
    static String formatIpv6(Value.Ip6 a) {
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) g[k] = (int) ((a.high() >>> (48 - 16 * k)) & 0xffff);
        for (int k = 0; k < 4; k++) g[4 + k] = (int) ((a.low() >>> (48 - 16 * k)) & 0xffff);
        int bestStart = -1, bestLen = 0;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) { k++; continue; }
            int s = k;
            while (k < 8 && g[k] == 0) k++;
            if (k - s > bestLen) { bestLen = k - s; bestStart = s; }
        }
        if (bestLen < 2) bestStart = -1;
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }

    @Override
    public String toString() { return nftName; }
}
