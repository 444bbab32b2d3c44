package org.vnetlab.emulator.nftables;

/**
 * A constant in a rule or set: a number (IPv4 address, port, protocol, mark, bitmask, symbolic constant), an
 * interface name, or an IPv6 address. Numbers compare unsigned; each kind only meets its own kind.
 */
public sealed interface Value extends Comparable<Value> {

    /** An unsigned number of at most 32 bits. */
    record Num(long value) implements Value {
        public Num {
            if (value < 0 || value > 0xffff_ffffL) throw new IllegalArgumentException("not a 32-bit value: " + value);
        }

        public int compareTo(Value o) { return Long.compare(value, ((Num) o).value); }
    }

    /** An interface name (iifname/oifname/iif/oif), as written. */
    record Text(String text) implements Value {
        /**
         * nft sorts names as it stores them, a 16-byte buffer read as a host-order (little-endian) number: the
         * last bytes weigh most, so {@code "virbr0"} sorts before {@code "docker0"}.
         */
        public int compareTo(Value o) {
            byte[] a = pad(text), b = pad(((Text) o).text);
            for (int i = 15; i >= 0; i--) {
                int c = Integer.compare(a[i] & 0xff, b[i] & 0xff);
                if (c != 0) return c;
            }
            return 0;
        }

        private static byte[] pad(String s) {
            byte[] out = new byte[16];
            byte[] raw = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            System.arraycopy(raw, 0, out, 0, Math.min(raw.length, 16));
            return out;
        }
    }

    /** An IPv6 address, high and low 64 bits. */
    record Ip6(long high, long low) implements Value {
        public int compareTo(Value o) {
            Ip6 b = (Ip6) o;
            int c = Long.compareUnsigned(high, b.high);
            return c != 0 ? c : Long.compareUnsigned(low, b.low);
        }
    }

    static Num num(long v) { return new Num(v); }
}
