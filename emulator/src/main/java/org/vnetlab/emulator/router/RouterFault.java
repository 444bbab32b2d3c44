package org.vnetlab.emulator.router;

import java.util.Locale;
import java.util.Objects;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;

/**
 * A named fault the upstream router can suffer, switched on and off by scenarios. Each has the one-line
 * name a scenario file uses: {@code drop-icmp}, {@code drop-prefix 8.8.8.0/24}, {@code block-dns},
 * {@code blackhole}, {@code down}.
 */
public sealed interface RouterFault {

    /** The fault as a scenario names it. */
    String name();

    /** Forwarded ICMP is dropped (a firewall eating pings and ICMP errors); the router itself still answers. */
    record DropIcmp() implements RouterFault {
        @Override public String name() { return "drop-icmp"; }
    }

    /** Forwarded packets from or to the prefix are dropped (a bad route, an upstream filter). */
    record DropPrefix(Ipv4Prefix prefix) implements RouterFault {
        public DropPrefix { Objects.requireNonNull(prefix, "prefix"); }
        @Override public String name() { return "drop-prefix " + prefix; }
    }

    /** Forwarded DNS (UDP and TCP port 53, either direction) is dropped: resolvers time out. */
    record BlockDns() implements RouterFault {
        @Override public String name() { return "block-dns"; }
    }

    /** Every IP packet the router receives is dropped, its own included; ARP still works, so all times out. */
    record Blackhole() implements RouterFault {
        @Override public String name() { return "blackhole"; }
    }

    /** The router is off: its interfaces are down, so not even ARP is answered. */
    record Down() implements RouterFault {
        @Override public String name() { return "down"; }
    }

    /**
     * Reads a fault's name as scenario files write it. Unknown names and bad prefixes are refused with the
     * offending word named.
     */
    static RouterFault parse(String text) {
        String t = text.trim();
        String[] words = t.split("\\s+");
        String head = words[0].toLowerCase(Locale.ROOT);
        switch (head) {
            case "drop-icmp", "block-dns", "blackhole", "down" -> {
                if (words.length != 1) throw new IllegalArgumentException("fault '" + head + "' takes no argument, got '" + words[1] + "'");
                return switch (head) {
                    case "drop-icmp" -> new DropIcmp();
                    case "block-dns" -> new BlockDns();
                    case "blackhole" -> new Blackhole();
                    default -> new Down();
                };
            }
            case "drop-prefix" -> {
                if (words.length != 2) throw new IllegalArgumentException("fault 'drop-prefix' needs one prefix, e.g. drop-prefix 8.8.8.0/24");
                try {
                    return new DropPrefix(Ipv4Prefix.parse(words[1]));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("bad prefix '" + words[1] + "' for drop-prefix: " + e.getMessage(), e);
                }
            }
            default -> throw new IllegalArgumentException("unknown router fault '" + words[0]
                    + "' (known: drop-icmp, drop-prefix PREFIX, block-dns, blackhole, down)");
        }
    }
}
