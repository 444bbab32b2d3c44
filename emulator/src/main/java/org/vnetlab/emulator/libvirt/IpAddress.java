package org.vnetlab.emulator.libvirt;

import java.util.Locale;
import org.vnetlab.protocols.Ipv4Address;

/**
 * An IPv4 or IPv6 address as libvirt's network XML carries it. Printing follows glibc's {@code inet_ntop}
 * (what libvirt's {@code virSocketAddrFormat} writes into dnsmasq.conf and firewall rules): IPv6 in
 * lower-case hex with the longest run of two or more zero groups shortened to {@code ::}.
 */
public sealed interface IpAddress permits IpAddress.V4, IpAddress.V6 {

    /** The address family, named as the {@code family} attribute of {@code <ip>} names it. */
    enum Family {
        IPV4("ipv4", 32), IPV6("ipv6", 128);

        private final String xmlName;
        private final int bits;

        Family(String xmlName, int bits) {
            this.xmlName = xmlName;
            this.bits = bits;
        }

        public String xmlName() { return xmlName; }
        public int bits() { return bits; }
    }

    Family family();

    /** The address with every bit past {@code prefix} cleared: the network address. */
    IpAddress masked(int prefix);

    /** True when this address lies in {@code network/prefix}. */
    default boolean inNetwork(IpAddress network, int prefix) {
        return family() == network.family() && masked(prefix).equals(network.masked(prefix));
    }

    /** The last address of {@code this/prefix} (all host bits set): the IPv4 broadcast address. */
    IpAddress lastInNetwork(int prefix);

    /** The address followed by {@code /prefix}, network bits only: {@code 192.168.122.0/24}. */
    default String networkWithPrefix(int prefix) {
        return masked(prefix) + "/" + prefix;
    }

    /** Parses a dotted quad or an IPv6 address in any RFC 4291 text form. */
    static IpAddress parse(String text) {
        if (text.indexOf(':') >= 0) return V6.parse(text);
        return new V4(Ipv4Address.parse(text));
    }

    /** An IPv4 address. */
    record V4(Ipv4Address address) implements IpAddress {
        public V4 {
            if (address == null) throw new IllegalArgumentException("address is null");
        }

        public static V4 of(String text) { return new V4(Ipv4Address.parse(text)); }

        /** The dotted-quad netmask of a prefix length, as dnsmasq's dhcp-range wants it. */
        public static V4 netmask(int prefix) {
            if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("IPv4 prefix out of range: " + prefix);
            return new V4(new Ipv4Address(prefix == 0 ? 0 : -1 << (32 - prefix)));
        }

        /** The prefix length of a contiguous netmask, or -1 when the mask has holes. */
        public int netmaskBits() {
            int bits = address.bits();
            int ones = Integer.bitCount(bits);
            int expected = ones == 0 ? 0 : -1 << (32 - ones);
            return bits == expected ? ones : -1;
        }

        public long unsigned() { return address.unsigned(); }

        @Override public Family family() { return Family.IPV4; }

        @Override
        public V4 masked(int prefix) {
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return new V4(new Ipv4Address(address.bits() & mask));
        }

        @Override
        public V4 lastInNetwork(int prefix) {
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return new V4(new Ipv4Address(address.bits() | ~mask));
        }

        @Override public String toString() { return address.toString(); }
    }

    /** An IPv6 address in two longs, most significant half first. */
    record V6(long high, long low) implements IpAddress {

        public static V6 parse(String text) {
            String s = text;
            int[] words = new int[8];
            int doubleColon = s.indexOf("::");
            if (doubleColon >= 0 && s.indexOf("::", doubleColon + 1) >= 0) throw bad(text);
            String head = doubleColon >= 0 ? s.substring(0, doubleColon) : s;
            String tail = doubleColon >= 0 ? s.substring(doubleColon + 2) : "";
            int[] headWords = groups(head, text, doubleColon < 0);
            int[] tailWords = doubleColon >= 0 ? groups(tail, text, true) : new int[0];
            int total = headWords.length + tailWords.length;
            if (doubleColon < 0 ? total != 8 : total > 7) throw bad(text);
            System.arraycopy(headWords, 0, words, 0, headWords.length);
            System.arraycopy(tailWords, 0, words, 8 - tailWords.length, tailWords.length);
            long hi = 0;
            long lo = 0;
            for (int i = 0; i < 4; i++) hi = (hi << 16) | words[i];
            for (int i = 4; i < 8; i++) lo = (lo << 16) | words[i];
            return new V6(hi, lo);
        }

        /** Splits one side of a "::" into 16-bit groups; an IPv4 tail counts as two groups. */
        private static int[] groups(String part, String whole, boolean mayEndInIpv4) {
            if (part.isEmpty()) return new int[0];
            String[] pieces = part.split(":", -1);
            int n = pieces.length;
            boolean v4Tail = mayEndInIpv4 && pieces[n - 1].indexOf('.') >= 0;
            int[] out = new int[v4Tail ? n + 1 : n];
            for (int i = 0; i < n; i++) {
                String p = pieces[i];
                if (v4Tail && i == n - 1) {
                    int v4;
                    try {
                        v4 = Ipv4Address.parse(p).bits();
                    } catch (IllegalArgumentException e) {
                        throw bad(whole);
                    }
                    out[i] = v4 >>> 16;
                    out[i + 1] = v4 & 0xffff;
                } else {
                    if (p.isEmpty() || p.length() > 4) throw bad(whole);
                    int v = 0;
                    for (int k = 0; k < p.length(); k++) {
                        int d = Character.digit(p.charAt(k), 16);
                        if (d < 0) throw bad(whole);
                        v = (v << 4) | d;
                    }
                    out[i] = v;
                }
            }
            return out;
        }

        private static IllegalArgumentException bad(String text) {
            return new IllegalArgumentException("not an IPv6 address: '" + text + "'");
        }

        int word(int i) {
            long half = i < 4 ? high : low;
            return (int) (half >>> (16 * (3 - (i & 3)))) & 0xffff;
        }

        @Override public Family family() { return Family.IPV6; }

        @Override
        public V6 masked(int prefix) {
            if (prefix <= 0) return new V6(0, 0);
            if (prefix >= 128) return this;
            if (prefix <= 64) return new V6(high & (prefix == 64 ? -1L : ~(-1L >>> prefix)), 0);
            return new V6(high, low & ~(-1L >>> (prefix - 64)));
        }

        @Override
        public V6 lastInNetwork(int prefix) {
            if (prefix <= 0) return new V6(-1L, -1L);
            if (prefix >= 128) return this;
            if (prefix <= 64) return new V6(high | (prefix == 64 ? 0 : -1L >>> prefix), -1L);
            return new V6(high, low | (-1L >>> (prefix - 64)));
        }

        /** The glibc {@code inet_ntop} form. */
        @Override
        public String toString() {
            int[] w = new int[8];
            for (int i = 0; i < 8; i++) w[i] = word(i);
            // longest run of zero words (first one on ties), only worth "::" from two words up
            int bestBase = -1;
            int bestLen = 0;
            for (int i = 0; i < 8; ) {
                if (w[i] != 0) {
                    i++;
                    continue;
                }
                int j = i;
                while (j < 8 && w[j] == 0) j++;
                if (j - i > bestLen) {
                    bestBase = i;
                    bestLen = j - i;
                }
                i = j;
            }
            if (bestLen < 2) bestBase = -1;
            StringBuilder sb = new StringBuilder(39);
            for (int i = 0; i < 8; i++) {
                if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLen) {
                    if (i == bestBase) sb.append(':');
                    continue;
                }
                if (i != 0) sb.append(':');
                // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) keep their dotted tail
                if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
                    sb.append(w[6] >>> 8).append('.').append(w[6] & 0xff).append('.')
                            .append(w[7] >>> 8).append('.').append(w[7] & 0xff);
                    break;
                }
                sb.append(Integer.toHexString(w[i]).toLowerCase(Locale.ROOT));
            }
            if (bestBase >= 0 && bestBase + bestLen == 8) sb.append(':');
            return sb.toString();
        }
    }
}
