package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.AddressFilter;
import org.vnetlab.protocols.Ipv4Address;

/**
 * iptables' IPv4 address syntax (libxtables xtables_ipparse_multiple / __numeric_to_ipaddr).
 *
 * <p>The surprise: a numeric address with fewer than four parts is completed with ZERO octets at the end
 * ("autocomplete, this is a network address"), so {@code 53} is 53.0.0.0 and {@code 10.1} is 10.1.0.0 —
 * unlike inet_aton, which would read {@code 53} as 0.0.0.53. Each part is a C number (strtoul base 0:
 * {@code 0x10} is 16, {@code 010} is 8) of at most 255. A string that is not numeric would be resolved as
 * a network name or host name by iptables; vnetlab does no DNS lookups of rule hosts and rejects it.
 */
final class Addresses {
    private Addresses() {}

    /** The numeric part of iptables' address parser, or empty when iptables would try name resolution. */
    static Optional<Ipv4Address> numeric(String dotted, boolean isMask) {
        // iptables copies into a 20-byte buffer first: longer strings are cut at 19 characters
        String s = dotted.length() > 19 ? dotted.substring(0, 19) : dotted;
        int[] octets = new int[4];
        int p = 0;
        for (int i = 0; i < 3; i++) {
            int dot = s.indexOf('.', p);
            if (dot < 0) {
                if (isMask) return Optional.empty();
                OptionalLong v = Numbers.strtoul(s.substring(p), 0, 255);
                if (v.isEmpty()) return Optional.empty();
                octets[i] = (int) v.getAsLong();
                return Optional.of(Ipv4Address.of(octets[0], octets[1], octets[2], octets[3]));
            }
            OptionalLong v = Numbers.strtoul(s.substring(p, dot), 0, 255);
            if (v.isEmpty()) return Optional.empty();
            octets[i] = (int) v.getAsLong();
            p = dot + 1;
        }
        OptionalLong v = Numbers.strtoul(s.substring(p), 0, 255);
        if (v.isEmpty()) return Optional.empty();
        octets[3] = (int) v.getAsLong();
        return Optional.of(Ipv4Address.of(octets[0], octets[1], octets[2], octets[3]));
    }

    /** True when the written address had fewer than four parts (so iptables padded it with zero octets). */
    static boolean isAbbreviated(String written) {
        String addr = written.contains("/") ? written.substring(0, written.lastIndexOf('/')) : written;
        return !addr.isEmpty() && addr.chars().filter(c -> c == '.').count() < 3 && numeric(addr, false).isPresent();
    }

    /**
     * {@code -s}/{@code -d}: a comma-separated list of {@code addr[/mask]}, each becoming its own rule in
     * iptables. The mask is a prefix length (a C number, 0..32) or a dotted mask; no mask means /32; a /0
     * mask ignores the address entirely (iptables' "any/0").
     */
    static List<AddressFilter> parseList(String text, boolean inverted, Source src, Token at) throws InputException {
        List<AddressFilter> out = new ArrayList<>();
        for (String item : text.split(",", -1)) {
            if (item.isEmpty()) {
                if (out.isEmpty() && text.startsWith(",")) continue;
                break; // iptables stops at an empty item
            }
            out.add(parseOne(item, inverted, src, at));
        }
        if (out.isEmpty()) throw src.error(at, "host/network `" + text + "' not found");
        if (out.size() > 1 && inverted) {
            throw src.error(at, "! not allowed with multiple source or destination IP addresses");
        }
        // xtables_ipparse_any drops duplicates
        List<AddressFilter> unique = new ArrayList<>();
        for (AddressFilter a : out) if (!unique.contains(a)) unique.add(a);
        return unique;
    }

    static AddressFilter parseOne(String item, boolean inverted, Source src, Token at) throws InputException {
        String addr = item;
        Ipv4Address mask = new Ipv4Address(-1);
        int slash = item.lastIndexOf('/');
        if (slash >= 0) {
            addr = item.substring(0, slash);
            mask = parseMask(item.substring(slash + 1), src, at);
        }
        if (mask.bits() == 0) return new AddressFilter(Ipv4Address.ANY, Ipv4Address.ANY, inverted);
        Optional<Ipv4Address> a = numeric(addr, false);
        if (a.isEmpty()) {
            throw src.error(at, "host/network `" + addr + "' not found",
                    "vnetlab does no DNS or /etc/networks lookups of rule hosts; write the IPv4 address"
                            + (addr.contains(":") ? " (IPv6 addresses belong to ip6tables, which vnetlab does not model)" : ""));
        }
        return new AddressFilter(a.get(), mask, inverted);
    }

    static Ipv4Address parseMask(String mask, Source src, Token at) throws InputException {
        Optional<Ipv4Address> dotted = numeric(mask, true);
        if (dotted.isPresent()) return dotted.get();
        OptionalLong bits = Numbers.strtoul(mask, 0, 32);
        if (bits.isEmpty()) throw src.error(at, "invalid mask `" + mask + "' specified");
        return AddressFilter.maskOf((int) bits.getAsLong());
    }

    /** A plain address (iprange, NAT targets): iptables uses the numeric parser only. */
    static Ipv4Address parsePlain(String text, Source src, Token at, String what) throws InputException {
        Optional<Ipv4Address> a = numeric(text, false);
        if (a.isEmpty()) throw src.error(at, "Bad IP address \"" + text + "\"" + (what.isEmpty() ? "" : " in " + what));
        return a.get();
    }
}
