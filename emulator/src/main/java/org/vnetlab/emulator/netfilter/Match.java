package org.vnetlab.emulator.netfilter;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.protocols.MacAddress;

/**
 * An extension match ({@code -m NAME options}) as data. Each variant holds the options iptables stores for
 * that module, with every {@code !} as an {@code inverted} flag on the option it applies to. Absent options
 * are empty {@link Optional}s. What the options mean for a packet is the engine's business.
 *
 * <p>Equality is the identity iptables uses for {@code -D RULESPEC}: same module, same stored options.
 */
public sealed interface Match {

    /** The module name written after {@code -m}. */
    String module();

    /** An inverted-or-not port range ({@code [!] --dport 1024:65535}). */
    record PortTest(PortRange range, boolean inverted) {
        public boolean matches(int port) { return range.contains(port) != inverted; }
    }

    /** {@code --tcp-flags MASK COMP} ({@code --syn} is {@code FIN,SYN,RST,ACK SYN}); bits as in the TCP header. */
    record TcpFlagsTest(int mask, int comparison, boolean inverted) {
        public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20;
        public static final int ALL = 0x3f;
        /** What {@code --syn} stores. */
        public static final TcpFlagsTest SYN_ONLY = new TcpFlagsTest(FIN | SYN | RST | ACK, SYN, false);

        public TcpFlagsTest {
            if ((mask & ~ALL) != 0 || (comparison & ~ALL) != 0) throw new IllegalArgumentException("tcp flags beyond 0x3f");
        }

        public boolean matches(int flags) { return ((flags & mask) == comparison) != inverted; }
    }

    /** {@code [!] --tcp-option N}: whether a TCP option of that kind is present. */
    record TcpOptionTest(int kind, boolean inverted) {}

    /** {@code -m tcp} (also loaded implicitly by {@code -p tcp --dport ...}). */
    record Tcp(Optional<PortTest> sourcePort, Optional<PortTest> destinationPort, Optional<TcpOptionTest> option,
               Optional<TcpFlagsTest> flags) implements Match {
        public String module() { return "tcp"; }
    }

    /** {@code -m udp}. */
    record Udp(Optional<PortTest> sourcePort, Optional<PortTest> destinationPort) implements Match {
        public String module() { return "udp"; }
    }

    /**
     * {@code -m icmp [!] --icmp-type}: type 255 with codes 0..255 is {@code any}; a named type without code
     * stores codes 0..255.
     */
    record Icmp(int type, int codeMin, int codeMax, boolean inverted) implements Match {
        public static final int ANY_TYPE = 0xff;

        public Icmp {
            if (type < 0 || type > 255 || codeMin < 0 || codeMax > 255 || codeMin > codeMax) {
                throw new IllegalArgumentException("icmp type/code " + type + "/" + codeMin + "-" + codeMax);
            }
        }

        public boolean isAny() { return type == ANY_TYPE && codeMin == 0 && codeMax == 0xff; }

        public String module() { return "icmp"; }
    }

    /** A set of conntrack states with {@code !}. */
    record StateSet(Set<CtState> states, boolean inverted) {
        public StateSet {
            if (states.isEmpty()) throw new IllegalArgumentException("empty state set");
            states = Set.copyOf(EnumSet.copyOf(states));
        }
    }

    /** A set of conntrack status bits with {@code !}. */
    record StatusSet(Set<CtStatus> statuses, boolean inverted) {
        public StatusSet {
            if (statuses.isEmpty()) throw new IllegalArgumentException("empty status set");
            statuses = Set.copyOf(EnumSet.copyOf(statuses));
        }
    }

    /** {@code [!] --ctproto N} (0 never matches in the kernel's sense of "any"; iptables stores the number). */
    record ProtocolTest(int number, boolean inverted) {}

    /** {@code [!] --ctexpire min[:max]}, remaining lifetime in seconds. */
    record ExpireTest(long min, long max, boolean inverted) {}

    /** {@code -m conntrack} (revision 3, what iptables 1.8 writes). */
    record Conntrack(Optional<StateSet> state, Optional<ProtocolTest> protocol,
                     Optional<AddressFilter> origSource, Optional<AddressFilter> origDestination,
                     Optional<AddressFilter> replySource, Optional<AddressFilter> replyDestination,
                     Optional<PortTest> origSourcePort, Optional<PortTest> origDestinationPort,
                     Optional<PortTest> replySourcePort, Optional<PortTest> replyDestinationPort,
                     Optional<StatusSet> status, Optional<ExpireTest> expire,
                     Optional<CtDirection> direction) implements Match {
        /** The common case: {@code -m conntrack --ctstate ...}. */
        public static Conntrack ofStates(Set<CtState> states, boolean inverted) {
            return new Conntrack(Optional.of(new StateSet(states, inverted)), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        public String module() { return "conntrack"; }
    }

    /** {@code -m state [!] --state} (the older spelling of {@code --ctstate}; no SNAT/DNAT there). */
    record State(StateSet states) implements Match {
        public String module() { return "state"; }
    }

    /** Which ports {@code -m multiport} lists. */
    enum MultiportKind {
        SOURCE("--sports"), DESTINATION("--dports"), EITHER("--ports");

        private final String option;

        MultiportKind(String option) { this.option = option; }

        /** The canonical option as iptables-save prints it. */
        public String option() { return option; }
    }

    /** {@code -m multiport [!] --sports|--dports|--ports p[,p|,a:b]...}: at most 15 ports, a range counting 2. */
    record Multiport(MultiportKind kind, List<PortRange> ports, boolean inverted) implements Match {
        public Multiport {
            ports = List.copyOf(ports);
            if (ports.isEmpty()) throw new IllegalArgumentException("empty multiport list");
        }

        public String module() { return "multiport"; }
    }

    /** {@code -m comment --comment TEXT} (up to 255 bytes); matches every packet. */
    record Comment(String text) implements Match {
        public String module() { return "comment"; }
    }

    /** A set of route types with {@code !}. */
    record AddressTypes(Set<AddressType> types, boolean inverted) {
        public AddressTypes {
            if (types.isEmpty()) throw new IllegalArgumentException("empty address type set");
            types = Set.copyOf(EnumSet.copyOf(types));
        }
    }

    /**
     * {@code -m addrtype}: the route type of the source/destination address, optionally looked up only on
     * the incoming/outgoing interface.
     */
    record AddrType(Optional<AddressTypes> source, Optional<AddressTypes> destination, boolean limitIfaceIn,
                    boolean limitIfaceOut) implements Match {
        public String module() { return "addrtype"; }
    }

    /** {@code -m mark [!] --mark value[/mask]}: {@code (skb->mark & mask) == value}; mask defaults to 0xffffffff. */
    record Mark(long value, long mask, boolean inverted) implements Match {
        public Mark { checkU32(value); checkU32(mask); }

        public String module() { return "mark"; }
    }

    /** {@code -m connmark [!] --mark value[/mask]}: the same test on the connection's mark. */
    record Connmark(long value, long mask, boolean inverted) implements Match {
        public Connmark { checkU32(value); checkU32(mask); }

        public String module() { return "connmark"; }
    }

    /** A yes/no option that may be absent, given, or given with {@code !}. */
    enum FlagTest { ABSENT, SET, NOT_SET }

    /** {@code -m physdev}: bridge port tests for packets that crossed a bridge. */
    record Physdev(FlagTest isIn, Optional<InterfaceFilter> in, FlagTest isOut, Optional<InterfaceFilter> out,
                   FlagTest isBridged) implements Match {
        public String module() { return "physdev"; }
    }

    /**
     * {@code -m limit}: a token bucket. {@code period} is the average time per packet in 1/10000 s units
     * (XT_LIMIT_SCALE), e.g. {@code 3/hour} = 12_000_000; {@code burst} the bucket size (default 5).
     */
    record Limit(long period, int burst) implements Match {
        public static final long SCALE = 10_000;
        public static final long DEFAULT_PERIOD = SCALE * 3600 / 3;
        public static final int DEFAULT_BURST = 5;

        public Limit {
            if (period <= 0) throw new IllegalArgumentException("limit period must be positive");
            if (burst < 0 || burst > 10_000) throw new IllegalArgumentException("limit burst " + burst);
        }

        public String module() { return "limit"; }
    }

    /** {@code -m pkttype [!] --pkt-type}. */
    record PktType(PacketType type, boolean inverted) implements Match {
        public String module() { return "pkttype"; }
    }

    /** An inverted-or-not address range. */
    record RangeTest(AddressRange range, boolean inverted) {}

    /** {@code -m iprange [!] --src-range a-b [!] --dst-range a-b}. */
    record IpRange(Optional<RangeTest> source, Optional<RangeTest> destination) implements Match {
        public String module() { return "iprange"; }
    }

    /** {@code -m length [!] --length min[:max]}: the IP total length. */
    record Length(int min, int max, boolean inverted) implements Match {
        public Length {
            if (min < 0 || max > 65535 || min > max) throw new IllegalArgumentException("length " + min + ":" + max);
        }

        public String module() { return "length"; }
    }

    /** {@code -m mac [!] --mac-source}: the Ethernet source address. */
    record Mac(MacAddress source, boolean inverted) implements Match {
        public String module() { return "mac"; }
    }

    /**
     * {@code -m rpfilter [--loose] [--validmark] [--accept-local] [--invert]}: does the route back to the
     * packet's source go out of the interface it came in on (strict), or exist at all ({@code --loose})?
     * Only in the raw and mangle tables' PREROUTING.
     */
    record Rpfilter(boolean loose, boolean validMark, boolean acceptLocal, boolean invert) implements Match {
        public String module() { return "rpfilter"; }
    }

    /** What {@code -m recent} does with the packet's address. */
    enum RecentCommand {
        SET("--set"), RCHECK("--rcheck"), UPDATE("--update"), REMOVE("--remove");

        private final String option;

        RecentCommand(String option) { this.option = option; }

        public String option() { return option; }
    }

    /**
     * {@code -m recent} (xt_recent revision 1): a named per-namespace list of addresses (source, or
     * destination with {@code rdest}) masked with {@code mask}, each with its last hit times. SET adds/refreshes
     * the address and matches; RCHECK tests; UPDATE tests and refreshes; REMOVE deletes. {@code seconds} 0 and
     * {@code hitcount} 0 mean "not given".
     */
    record Recent(RecentCommand command, boolean inverted, long seconds, int hitcount, boolean reap, boolean rttl,
                  String name, org.vnetlab.protocols.Ipv4Address mask, boolean rdest) implements Match {
        public static final String DEFAULT_NAME = "DEFAULT";

        public String module() { return "recent"; }
    }

    /** Which packet address or port a set dimension looks at. */
    enum SetDirection { SRC, DST }

    /**
     * {@code -m set [!] --match-set NAME src|dst[,...] [--return-nomatch] [! --update-counters]
     * [! --update-subcounters]} (revision 4).
     */
    record SetMatch(String name, List<SetDirection> directions, boolean inverted, boolean returnNomatch,
                    boolean noUpdateCounters, boolean noUpdateSubcounters) implements Match {
        public SetMatch { directions = List.copyOf(directions); }

        public String module() { return "set"; }
    }

    /**
     * {@code -m hashlimit} (revision 3): token buckets per key (the address/port parts {@code mode} names, the
     * addresses masked with {@code srcmask}/{@code dstmask}) in a per-namespace table called {@code name}.
     * {@code avg} is the time per packet in 1/1_000_000 s (XT_HASHLIMIT_SCALE_v2); {@code above} inverts the
     * result (match when the rate is exceeded). {@code expire} and {@code gcInterval} in milliseconds;
     * size and max 0 mean "kernel default".
     */
    record Hashlimit(long avg, boolean above, int burst, int mode, String name, long size, long max,
                     long gcInterval, long expire, int srcmask, int dstmask) implements Match {
        public static final long SCALE = 1_000_000;
        public static final int SRC_IP = 1, DST_IP = 2, SRC_PORT = 4, DST_PORT = 8;
        public static final int DEFAULT_BURST = 5;
        public static final long DEFAULT_GC_INTERVAL = 1000;
        /** xt_hashlimit with HZ=1000 (as -m limit here): CREDITS_PER_JIFFY = POW2_BELOW64(2^64 / (HZ*86400)). */
        public static final long HZ = 1000, CREDITS_PER_JIFFY = 1L << 37;

        /**
         * user2credits (revision 2+): HZ * CREDITS_PER_JIFFY exceeds the scale, so {@code user * (HZ*cpj/scale)},
         * in unsigned 64-bit arithmetic that wraps as the kernel's does (its overflow check relies on it).
         */
        public static long credits(long user) {
            return user * Long.divideUnsigned(HZ * CREDITS_PER_JIFFY, SCALE);
        }

        public String module() { return "hashlimit"; }
    }

    /** An inverted-or-not uid/gid range. */
    record IdRange(long min, long max, boolean inverted) {}

    /**
     * {@code -m owner}: the sending socket's file owner (uid, gid, supplementary groups with
     * {@code suppl}), or whether the packet has a socket at all. Only in OUTPUT and POSTROUTING.
     */
    record Owner(FlagTest socketExists, Optional<IdRange> uid, Optional<IdRange> gid, boolean supplementaryGroups)
            implements Match {
        public String module() { return "owner"; }
    }

    /** How {@code -m ttl} compares. */
    enum TtlComparison {
        EQ("--ttl-eq"), NE("! --ttl-eq"), LT("--ttl-lt"), GT("--ttl-gt");

        private final String text;

        TtlComparison(String text) { this.text = text; }

        public String text() { return text; }
    }

    /** {@code -m ttl --ttl-eq|--ttl-lt|--ttl-gt N} ({@code ! --ttl-eq} is NE). */
    record Ttl(TtlComparison comparison, int value) implements Match {
        public String module() { return "ttl"; }
    }

    /** {@code -m tos [!] --tos value[/mask]}: {@code (tos & mask) == value}. */
    record Tos(int value, int mask, boolean inverted) implements Match {
        public String module() { return "tos"; }
    }

    /** {@code -m dscp [!] --dscp N}: the upper six bits of the TOS byte. */
    record Dscp(int dscp, boolean inverted) implements Match {
        public String module() { return "dscp"; }
    }

    /**
     * {@code -m statistic}: {@code random} matches when a 31-bit random number is below {@code probability}
     * (a fraction of 2^31, as iptables stores it); {@code nth} matches packet {@code packet} (0-based) of
     * every {@code every}, counting per rule instance.
     */
    record Statistic(boolean nth, boolean inverted, long probability, long every, long packet) implements Match {
        public static final long ONE = 0x8000_0000L;

        public String module() { return "statistic"; }
    }

    /** {@code -m helper [!] --helper NAME}: the conntrack helper of a related connection's master. */
    record Helper(String name, boolean inverted) implements Match {
        public String module() { return "helper"; }
    }

    /** {@code -m tcpmss [!] --mss min[:max]}: the MSS option's value (TCP only). */
    record TcpMss(int min, int max, boolean inverted) implements Match {
        public String module() { return "tcpmss"; }
    }

    private static void checkU32(long v) {
        if (v < 0 || v > 0xffff_ffffL) throw new IllegalArgumentException("not a 32-bit value: " + v);
    }
}
