package org.vnetlab.emulator.nftables;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One statement of a rule, in the canonical form {@code nft list} prints (the parser normalizes what it reads
 * the way nft's evaluation does). {@link #text} renders it; the family matters for reject and NAT, whose
 * defaults differ between {@code ip} and {@code inet}.
 */
public sealed interface Stmt {

    String text(Family family);

    /** Whether the rule ends with this statement when it runs (a verdict, reject or NAT). */
    default boolean isTerminal() { return false; }

    /** Comparison operators; IMPLICIT is no operator at all (for flag types: "any of these bits"). */
    enum Op {
        IMPLICIT(""), EQ("=="), NEQ("!="), LT("<"), GT(">"), LTE("<="), GTE(">=");

        private final String symbol;

        Op(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }
    }

    /** {@code SELECTOR [& MASK] [OP] RHS}. */
    record Match(Selector selector, OptionalLong mask, Op op, Rhs rhs) implements Stmt {
        public Match(Selector selector, Op op, Rhs rhs) { this(selector, OptionalLong.empty(), op, rhs); }

        public String text(Family family) {
            DataType t = selector.type();
            StringBuilder sb = new StringBuilder(selector.text());
            if (mask.isPresent()) {
                Value m = Value.num(mask.getAsLong());
                boolean slash = t.isBitmask() && op == Op.EQ && Long.bitCount(mask.getAsLong()) > 1;
                if (slash) {
                    return sb.append(' ').append(rhsText(t, rhs, ",")).append(" / ").append(t.format(m, ",")).toString();
                }
                sb.append(" & ").append(t.format(m, " | "));
                sb.append(' ').append(op == Op.IMPLICIT ? "==" : op.symbol());
                return sb.append(' ').append(rhsText(t, rhs, " | ")).toString();
            }
            String sep = ",";
            if (op != Op.IMPLICIT && (op != Op.EQ || t.isBitmask())) {
                sb.append(' ').append(op.symbol());
                if (t.isBitmask()) sep = " | ";
            }
            return sb.append(' ').append(rhsText(t, rhs, sep)).toString();
        }
    }

    /** {@code counter packets N bytes M}: the values it was loaded with (the engine counts beside the model). */
    record Counter(long packets, long bytes) implements Stmt {
        public static final Counter ZERO = new Counter(0, 0);

        public String text(Family family) { return "counter packets " + packets + " bytes " + bytes; }
    }

    /** A log flag of {@code log flags ...}. */
    enum LogFlag { TCP_SEQUENCE, TCP_OPTIONS, IP_OPTIONS, SKUID, ETHER }

    /** {@code log [prefix "..."] [level L] [flags ...] [group N]}; level 4 (warn), the default, is never printed. */
    record Log(Optional<String> prefix, int level, Set<LogFlag> flags, OptionalInt group) implements Stmt {
        public static final List<String> LEVELS = List.of("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug");

        public Log {
            flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        }

        public String text(Family family) {
            StringBuilder sb = new StringBuilder("log");
            prefix.ifPresent(p -> sb.append(" prefix \"").append(p).append('"'));
            group.ifPresent(g -> sb.append(" group ").append(g));
            if (level != 4 && group.isEmpty()) sb.append(" level ").append(LEVELS.get(level));
            if (!flags.isEmpty()) {
                sb.append(" flags ");
                if (flags.size() == LogFlag.values().length) {
                    sb.append("all");
                } else {
                    List<String> parts = new ArrayList<>();
                    boolean seq = flags.contains(LogFlag.TCP_SEQUENCE), opt = flags.contains(LogFlag.TCP_OPTIONS);
                    if (seq || opt) parts.add("tcp " + (seq && opt ? "sequence,options" : seq ? "sequence" : "options"));
                    if (flags.contains(LogFlag.IP_OPTIONS)) parts.add("ip options");
                    if (flags.contains(LogFlag.SKUID)) parts.add("skuid");
                    if (flags.contains(LogFlag.ETHER)) parts.add("ether");
                    sb.append(String.join(" flags ", parts));
                }
            }
            return sb.toString();
        }
    }

    /** Time units of {@code limit rate}, in seconds. */
    enum RateUnit {
        SECOND(1), MINUTE(60), HOUR(3600), DAY(86400), WEEK(604800);

        private final long seconds;

        RateUnit(long seconds) { this.seconds = seconds; }

        public long seconds() { return seconds; }

        public String text() { return name().toLowerCase(); }
    }

    /**
     * {@code limit rate [over] N/unit [burst B packets]} or the byte form {@code N [k|m]bytes/unit [burst B bytes]}.
     * Packet limits default to a burst of 5 and byte limits to 0; the default is not printed.
     */
    record Limit(long rate, RateUnit unit, boolean bytes, long burst, boolean over) implements Stmt {
        public String text(Family family) {
            StringBuilder sb = new StringBuilder("limit rate ");
            if (over) sb.append("over ");
            if (bytes) {
                sb.append(byteAmount(rate)).append('/').append(unit.text());
                if (burst != 0) sb.append(" burst ").append(byteAmount(burst));
            } else {
                sb.append(rate).append('/').append(unit.text());
                if (burst != 5) sb.append(" burst ").append(burst).append(" packets");
            }
            return sb.toString();
        }

        private static String byteAmount(long n) {
            String[] units = {"bytes", "kbytes", "mbytes"};
            int u = 0;
            while (u < 2 && n >= 1024 && n % 1024 == 0) {
                n /= 1024;
                u++;
            }
            return n + " " + units[u];
        }
    }

    /** A verdict statement. */
    record VerdictStmt(Verdict verdict) implements Stmt {
        public String text(Family family) { return verdict.text(); }

        public boolean isTerminal() { return verdict.kind() != Verdict.Kind.CONTINUE; }
    }

    /** One {@code key : verdict} of a verdict map. */
    record MapEntry(Rhs.Element key, Verdict verdict) {}

    /** {@code SELECTOR vmap { k : v, ... }} or {@code SELECTOR vmap @name}; a missing key matches nothing. */
    record VerdictMap(Selector selector, List<MapEntry> entries, Optional<String> named) implements Stmt {
        public VerdictMap {
            entries = List.copyOf(entries);
        }

        public String text(Family family) {
            if (named.isPresent()) return selector.text() + " vmap @" + named.get();
            return selector.text() + " vmap { " + entries.stream()
                    .map(e -> elementText(selector.type(), e.key()) + " : " + e.verdict().text())
                    .collect(Collectors.joining(", ")) + " }";
        }
    }

    /** How reject answers: an ICMP unreachable code, an abstract ICMPX code (inet), or a TCP reset. */
    enum RejectKind { ICMP, ICMPX, TCP_RESET }

    /** nft's icmpx codes and the IPv4 codes the kernel sends for them. */
    List<String> ICMPX_CODES = List.of("no-route", "port-unreachable", "host-unreachable", "admin-prohibited");

    /** {@code reject [with icmp X | icmpx X | tcp reset]}. */
    record Reject(RejectKind kind, int code) implements Stmt {
        /** The reject a bare {@code reject} means in {@code family}: port unreachable (icmpx in inet). */
        public static Reject defaultFor(Family family) {
            return family == Family.INET || family == Family.BRIDGE || family == Family.NETDEV
                    ? new Reject(RejectKind.ICMPX, 1) : new Reject(RejectKind.ICMP, 3);
        }

        public String text(Family family) {
            if (equals(defaultFor(family))) return "reject";
            return switch (kind) {
                case TCP_RESET -> "reject with tcp reset";
                case ICMP -> "reject with icmp " + DataType.ICMP_CODE.format(Value.num(code));
                case ICMPX -> "reject with icmpx " + ICMPX_CODES.get(code);
            };
        }

        /** The ICMP code sent to an IPv4 sender (nft_reject_icmp_code for icmpx). */
        public int ipv4Code() {
            if (kind != RejectKind.ICMPX) return code;
            return switch (code) {
                case 0 -> 0;
                case 1 -> 3;
                case 2 -> 1;
                default -> 13;
            };
        }

        public boolean isTerminal() { return true; }
    }

    enum NatKind { SNAT, DNAT, MASQUERADE, REDIRECT }

    enum NatFlag {
        RANDOM("random"), FULLY_RANDOM("fully-random"), PERSISTENT("persistent");

        private final String text;

        NatFlag(String text) { this.text = text; }

        public String text() { return text; }
    }

    /**
     * {@code snat|dnat [ip] to ADDR[-ADDR][:PORT[-PORT]]}, {@code masquerade [to :PORTS]}, {@code redirect [to :PORTS]},
     * each with optional flags. {@code ipKeyword} is the explicit family word inet needs ({@code dnat ip to}).
     */
    record Nat(NatKind kind, boolean ipKeyword, Optional<Value> addressLow, Optional<Value> addressHigh,
               OptionalInt portLow, OptionalInt portHigh, Set<NatFlag> flags) implements Stmt {
        public Nat {
            flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        }

        public String text(Family family) {
            StringBuilder sb = new StringBuilder(kind.name().toLowerCase());
            if (ipKeyword) sb.append(" ip");
            if (addressLow.isPresent() || portLow.isPresent()) sb.append(" to ");
            addressLow.ifPresent(a -> {
                sb.append(DataType.IPV4_ADDR.format(a));
                if (!addressHigh.get().equals(a)) sb.append('-').append(DataType.IPV4_ADDR.format(addressHigh.get()));
            });
            if (portLow.isPresent()) {
                sb.append(':').append(portLow.getAsInt());
                if (portHigh.getAsInt() != portLow.getAsInt()) sb.append('-').append(portHigh.getAsInt());
            }
            if (!flags.isEmpty()) {
                sb.append(' ').append(EnumSet.copyOf(flags).stream().map(NatFlag::text).collect(Collectors.joining(",")));
            }
            return sb.toString();
        }

        public boolean isTerminal() { return true; }
    }

    /** {@code notrack}: the packet is not tracked (only before conntrack, priority < -200). */
    record Notrack() implements Stmt {
        public String text(Family family) { return "notrack"; }
    }

    /** {@code meta mark set V} or {@code ct mark set V}. */
    record SetMark(boolean conntrack, long value) implements Stmt {
        public String text(Family family) {
            return (conntrack ? "ct" : "meta") + " mark set " + String.format("0x%08x", value);
        }
    }

    /**
     * A rule of a table another tool manages (iptables-nft), kept as nft listed it: vnetlab evaluates that
     * table from the tool's own dump, and only prints this text back.
     */
    record Opaque(String text) implements Stmt {
        public String text(Family family) { return text; }
    }

    /** How an element of a set or the right side of a match prints. */
    static String elementText(DataType t, Rhs.Element e) {
        if (e instanceof Rhs.Single s) return t.format(s.value());
        if (e instanceof Rhs.Prefix p) return t.format(p.base()) + "/" + p.length();
        Rhs.Range r = (Rhs.Range) e;
        return t.format(r.low()) + "-" + t.format(r.high());
    }

    static String rhsText(DataType t, Rhs rhs, String bitSeparator) {
        if (rhs instanceof Rhs.SetRef s) return "@" + s.name();
        if (rhs instanceof Rhs.AnonSet set) {
            return "{ " + set.elements().stream().map(e -> elementText(t, e)).collect(Collectors.joining(", ")) + " }";
        }
        if (rhs instanceof Rhs.Single s && t.isBitmask()) return t.format(s.value(), bitSeparator);
        return elementText(t, (Rhs.Element) rhs);
    }
}
