package org.vnetlab.emulator.nftables;

import java.util.Optional;
import org.vnetlab.emulator.input.InputException;

/**
 * A set element as written ({@code 10.0.0.0/8}, {@code 1000-2000}, {@code "eth0"}, {@code 22 : accept}), typed
 * once the set's type is known: {@code add element} names a set whose type only the ruleset knows.
 */
public record ElementText(Source source, String word, boolean quoted, Optional<Verdict> verdict) {

    public NftSet.Element typed(DataType type) throws InputException {
        try {
            return new NftSet.Element(parse(type, word, quoted), verdict);
        } catch (IllegalArgumentException e) {
            throw source.error("not a valid " + type.nftName() + ": " + e.getMessage());
        }
    }

    /**
     * One value, prefix ({@code base/len}, host bits cleared; a full-length prefix is the address itself) or
     * range ({@code low-high}) of {@code type}; throws {@link IllegalArgumentException} with the reason.
     */
    public static Rhs.Element parse(DataType type, String word, boolean quoted) {
        if (quoted && type != DataType.IFNAME && type != DataType.IFACE) {
            throw new IllegalArgumentException("a quoted string is not a " + type.nftName());
        }
        if (type == DataType.IFNAME || type == DataType.IFACE || type.isBitmask()) return new Rhs.Single(type.parse(word));
        int slash = word.indexOf('/');
        if (slash > 0 && (type == DataType.IPV4_ADDR || type == DataType.IPV6_ADDR)) {
            Value base = type.parse(word.substring(0, slash));
            int len;
            try {
                len = Integer.parseInt(word.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length");
            }
            if (len < 0 || len > type.bits()) throw new IllegalArgumentException("bad prefix length");
            Value low = type.prefixBase(base, len);
            return Intervals.element(type, low, type.prefixEnd(low, len));
        }
        // symbolic names may contain '-' (echo-request): the whole word first
        try {
            return new Rhs.Single(type.parse(word));
        } catch (IllegalArgumentException whole) {
            int dash = word.indexOf('-', 1);
            if (dash > 0 && dash < word.length() - 1 && type.isOrdered()) {
                Value lo = type.parse(word.substring(0, dash));
                Value hi = type.parse(word.substring(dash + 1));
                if (lo.compareTo(hi) > 0) throw new IllegalArgumentException("range ends below its start");
                return new Rhs.Range(lo, hi);
            }
            throw whole;
        }
    }
}
