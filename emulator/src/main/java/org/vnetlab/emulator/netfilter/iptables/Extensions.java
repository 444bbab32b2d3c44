package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.AddressFilter;
import org.vnetlab.emulator.netfilter.AddressRange;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.emulator.netfilter.CtDirection;
import org.vnetlab.emulator.netfilter.CtState;
import org.vnetlab.emulator.netfilter.CtStatus;
import org.vnetlab.emulator.netfilter.InterfaceFilter;
import org.vnetlab.emulator.netfilter.IpProtocols;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.NatRange;
import org.vnetlab.emulator.netfilter.PacketType;
import org.vnetlab.emulator.netfilter.PortRange;
import org.vnetlab.emulator.netfilter.ProtocolFilter;
import org.vnetlab.emulator.netfilter.RejectWith;
import org.vnetlab.emulator.netfilter.Target;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * The extension modules vnetlab understands: for each, its options (as libxt_NAME/libipt_NAME declare
 * them), how their arguments are read, and the final checks iptables makes before the rule is accepted.
 * Anything else is rejected by name ({@link #KNOWN_UNSUPPORTED_MATCHES}, {@link #KNOWN_UNSUPPORTED_TARGETS}).
 */
final class Extensions {
    private Extensions() {}

    /** Match modules iptables 1.8.9 ships that vnetlab does not model: named in the error, not called unknown. */
    static final Set<String> KNOWN_UNSUPPORTED_MATCHES = Set.of("string",
            "time", "u32", "bpf", "cgroup", "connlimit", "connbytes", "connlabel", "ecn",
            "policy", "socket", "quota", "nfacct", "osf", "realm", "devgroup",
            "cpu", "esp", "ah", "sctp", "dccp", "udplite", "ipvs", "cluster", "hl", "ipcomp", "l2tp",
            "rateest", "conntrack6", "frag", "hbh", "ipv6header", "mh", "rt", "dst", "eui64",
            "unclean", "icmp6", "ct", "geoip", "condition", "account", "psd", "fuzzy", "iface", "lscan", "pknock",
            "quota2", "gradm", "ipp2p", "ipv4options", "dhcpmac");

    /** Targets iptables 1.8.9 ships that vnetlab does not model. */
    static final Set<String> KNOWN_UNSUPPORTED_TARGETS = Set.of("AUDIT", "CLASSIFY", "CLUSTERIP", "CONNSECMARK",
            "ECN", "HL", "HMARK", "IDLETIMER", "LED", "NETMAP", "QUEUE", "RATEEST",
            "SECMARK", "SYNPROXY", "TEE", "TPROXY", "TRACE", "ULOG", "TCPOPTSTRIP", "DNPT",
            "SNPT", "MIRROR", "SAME", "TARPIT", "CHAOS", "DELUDE", "ECHO", "IPMARK", "LOGMARK", "SYSRQ", "STEAL");

    /** Names of the targets vnetlab models (besides the standard verdicts and chain names). */
    static final Set<String> TARGETS = Set.of("REJECT", "MASQUERADE", "SNAT", "DNAT", "REDIRECT", "LOG", "MARK",
            "CONNMARK", "CHECKSUM", "NOTRACK", "CT", "TCPMSS", "NFLOG", "NFQUEUE", "TTL", "TOS", "DSCP", "SET");

    static final Set<String> MATCHES = Set.of("tcp", "udp", "icmp", "conntrack", "state", "multiport", "comment",
            "addrtype", "mark", "connmark", "physdev", "limit", "pkttype", "iprange", "length", "mac", "rpfilter",
            "recent", "set", "hashlimit", "owner", "ttl", "tos", "dscp", "statistic", "helper", "tcpmss");

    static Ext match(String name, Token at) {
        return switch (name) {
            case "tcp" -> new Tcp(at);
            case "udp" -> new Udp(at);
            case "icmp" -> new Icmp(at);
            case "conntrack" -> new Conntrack(at);
            case "state" -> new State(at);
            case "multiport" -> new Multiport(at);
            case "comment" -> new Comment(at);
            case "addrtype" -> new AddrType(at);
            case "mark" -> new MarkMatch(at, false);
            case "connmark" -> new MarkMatch(at, true);
            case "physdev" -> new Physdev(at);
            case "limit" -> new Limit(at);
            case "pkttype" -> new PktType(at);
            case "iprange" -> new IpRange(at);
            case "length" -> new Length(at);
            case "mac" -> new Mac(at);
            case "rpfilter" -> new Rpfilter(at);
            case "recent" -> new Recent(at);
            case "set" -> new SetMatch(at);
            case "hashlimit" -> new Hashlimit(at);
            case "owner" -> new Owner(at);
            case "ttl" -> new Ttl(at);
            case "tos" -> new Tos(at);
            case "dscp" -> new Dscp(at);
            case "statistic" -> new Statistic(at);
            case "helper" -> new Helper(at);
            case "tcpmss" -> new TcpMss(at);
            default -> null;
        };
    }

    static Ext target(String name, Token at) {
        return switch (name) {
            case "REJECT" -> new Reject(at);
            case "MASQUERADE" -> new Masquerade(at);
            case "SNAT" -> new Snat(at);
            case "DNAT" -> new Dnat(at);
            case "REDIRECT" -> new Redirect(at);
            case "LOG" -> new Log(at);
            case "MARK" -> new MarkTarget(at);
            case "CONNMARK" -> new ConnmarkTarget(at);
            case "CHECKSUM" -> new Checksum(at);
            case "NOTRACK" -> new Notrack(at);
            case "CT" -> new Ct(at);
            case "TCPMSS" -> new Tcpmss(at);
            case "NFLOG" -> new Nflog(at);
            case "NFQUEUE" -> new Nfqueue(at);
            case "TTL" -> new TtlTarget(at);
            case "TOS" -> new TosTarget(at);
            case "DSCP" -> new DscpTarget(at);
            case "SET" -> new SetTarget(at);
            default -> null;
        };
    }

    /** One loaded extension instance collecting its options, as a libxt_* parse function does. */
    abstract static class Ext {
        final Token at;
        final Set<String> seen = new java.util.HashSet<>();
        private final String name;
        private final Map<String, Integer> options;

        /** {@code options}: option name (without --) to number of arguments; aliases map to the same canonical option. */
        Ext(Token at, String name, Map<String, Integer> options) {
            this.at = at;
            this.name = name;
            this.options = Collections.unmodifiableMap(options);
        }

        final String name() { return name; }

        final Map<String, Integer> options() { return options; }

        /** Canonical option for duplicate detection and dispatch; aliases override this. */
        String canonical(String option) { return option; }

        boolean invertible(String canonicalOption) { return true; }

        abstract void parse(String option, boolean inverted, List<Token> args, Token optToken, Source src)
                throws InputException;

        /** Final check and the finished model object; {@code proto} is the rule's {@code -p}. */
        abstract Object finish(ProtocolFilter proto, Source src) throws InputException;

        String duplicateMessage(String option) {
            return name() + ": option \"--" + option + "\" can only be used once.";
        }
    }

    private static Map<String, Integer> opts(Object... kv) {
        Map<String, Integer> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], (Integer) kv[i + 1]);
        return m;
    }

    // ---------------------------------------------------------------- shared argument parsers

    /** xtables_parse_port: a C number 0..65535 or a service name for {@code proto} (any protocol when null). */
    static int port(Token t, String text, String proto, Source src) throws InputException {
        OptionalLong n = Numbers.strtoul(text, 0, 65535);
        if (n.isPresent()) return (int) n.getAsLong();
        Optional<Integer> s = proto == null
                ? Services.port(text, "tcp").or(() -> Services.port(text, "udp"))
                : Services.port(text, proto);
        if (s.isPresent()) return s.get();
        throw src.error(t, "invalid port/service `" + text + "' specified");
    }

    /** {@code port}, {@code a:b}, {@code :b} (0..b), {@code a:} (a..65535), min must not exceed max. */
    static PortRange portRange(Token t, String text, String proto, Source src) throws InputException {
        int colon = text.indexOf(':');
        if (colon < 0) return PortRange.of(port(t, text, proto, src));
        String a = text.substring(0, colon), b = text.substring(colon + 1);
        int lo = a.isEmpty() ? 0 : port(t, a, proto, src);
        int hi = b.isEmpty() ? 65535 : port(t, b, proto, src);
        if (lo > hi) throw src.error(t, "invalid portrange (min > max)");
        return new PortRange(lo, hi);
    }

    static long u32(Token t, String text, Source src, String what) throws InputException {
        OptionalLong v = Numbers.strtoul(text, 0, 0xffff_ffffL);
        if (v.isEmpty()) throw src.error(t, "Bad " + what + " value \"" + text + "\"");
        return v.getAsLong();
    }

    /** {@code value[/mask]}, mask defaulting to all ones. */
    static long[] markMask(Token t, String text, Source src, String what) throws InputException {
        int slash = text.indexOf('/');
        if (slash < 0) return new long[] {u32(t, text, src, what), 0xffff_ffffL};
        return new long[] {u32(t, text.substring(0, slash), src, what), u32(t, text.substring(slash + 1), src, what)};
    }

    /** State and status words are matched case-insensitively by prefix, first candidate wins (libxt_conntrack). */
    static <E extends Enum<E>> Set<E> prefixList(Token t, String text, E[] candidates, Source src, String what)
            throws InputException {
        EnumSet<E> set = null;
        for (String w : text.split(",", -1)) {
            E hit = null;
            if (!w.isEmpty()) {
                for (E c : candidates) {
                    if (c.name().regionMatches(true, 0, w, 0, w.length()) && w.length() <= c.name().length()) {
                        hit = c;
                        break;
                    }
                }
            }
            if (hit == null) throw src.error(t, "Bad " + what + " \"" + w + "\"");
            if (set == null) set = EnumSet.of(hit);
            else set.add(hit);
        }
        return set;
    }

    static boolean protoIs(ProtocolFilter p, int number) { return p.number() == number && !p.inverted(); }

    /** Name to use for service lookups of a rule's ports: tcp, udp, ... or null. */
    static String protoName(ProtocolFilter p) { return p.number() == 0 ? null : IpProtocols.name(p.number()).orElse(null); }

    // ---------------------------------------------------------------- matches

    static final class Tcp extends Ext {
        Optional<Match.PortTest> sport = Optional.empty(), dport = Optional.empty();
        Optional<Match.TcpFlagsTest> flags = Optional.empty();
        Optional<Match.TcpOptionTest> option = Optional.empty();

        Tcp(Token at) {
            super(at, "tcp", opts("sport", 1, "source-port", 1, "dport", 1, "destination-port", 1, "syn", 0, "tcp-flags", 2,
                    "tcp-option", 1));
        }
        @Override String canonical(String o) {
            return switch (o) { case "source-port" -> "sport"; case "destination-port" -> "dport"; case "syn" -> "tcp-flags"; default -> o; };
        }
        @Override String duplicateMessage(String o) {
            return switch (o) {
                case "sport" -> "Only one `--source-port' allowed";
                case "dport" -> "Only one `--destination-port' allowed";
                case "tcp-flags" -> "Only one of `--syn' or `--tcp-flags'  allowed";
                default -> "Only one `--tcp-option' allowed";
            };
        }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            switch (o) {
                case "sport", "source-port" -> sport = portTest(a.get(0), inv, "tcp", src);
                case "dport", "destination-port" -> dport = portTest(a.get(0), inv, "tcp", src);
                case "syn" -> flags = Optional.of(new Match.TcpFlagsTest(Match.TcpFlagsTest.SYN_ONLY.mask(),
                        Match.TcpFlagsTest.SYN, inv));
                case "tcp-flags" -> flags = Optional.of(new Match.TcpFlagsTest(tcpFlags(a.get(0), src), tcpFlags(a.get(1), src), inv));
                case "tcp-option" -> {
                    OptionalLong k = Numbers.strtoul(a.get(0).text(), 1, 255);
                    if (k.isEmpty()) throw src.error(a.get(0), "tcp-option `" + a.get(0).text() + "' out of range");
                    option = Optional.of(new Match.TcpOptionTest((int) k.getAsLong(), inv));
                }
                default -> throw new IllegalStateException(o);
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (!protoIs(p, 6)) throw src.error(at, "TCP match requires '-p tcp'", "put -p tcp before -m tcp/--dport");
            return new Match.Tcp(sport, dport, option, flags);
        }
    }

    /** iptables drops a port test over the full range 0:65535: it stores nothing for it. */
    static Optional<Match.PortTest> portTest(Token t, boolean inv, String proto, Source src) throws InputException {
        PortRange r = portRange(t, t.text(), proto, src);
        if (r.equals(PortRange.ALL)) return Optional.empty();
        return Optional.of(new Match.PortTest(r, inv));
    }

    static int tcpFlags(Token t, Source src) throws InputException {
        int v = 0;
        for (String w : t.text().split(",", -1)) {
            switch (w.toUpperCase(Locale.ROOT)) {
                case "FIN" -> v |= 0x01;
                case "SYN" -> v |= 0x02;
                case "RST" -> v |= 0x04;
                case "PSH" -> v |= 0x08;
                case "ACK" -> v |= 0x10;
                case "URG" -> v |= 0x20;
                case "ALL" -> v |= 0x3f;
                case "NONE" -> { }
                default -> throw src.error(t, "Unknown TCP flag `" + w + "'");
            }
        }
        return v;
    }

    static final class Udp extends Ext {
        Optional<Match.PortTest> sport = Optional.empty(), dport = Optional.empty();

        Udp(Token at) { super(at, "udp", opts("sport", 1, "source-port", 1, "dport", 1, "destination-port", 1)); }
        @Override String canonical(String o) {
            return switch (o) { case "source-port" -> "sport"; case "destination-port" -> "dport"; default -> o; };
        }
        @Override String duplicateMessage(String o) {
            return o.equals("sport") ? "Only one `--source-port' allowed" : "Only one `--destination-port' allowed";
        }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            if (canonical(o).equals("sport")) sport = portTest(a.get(0), inv, "udp", src);
            else dport = portTest(a.get(0), inv, "udp", src);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (!protoIs(p, 17)) throw src.error(at, "UDP match requires '-p udp'", "put -p udp before -m udp/--dport");
            return new Match.Udp(sport, dport);
        }
    }

    /** libxtables' ICMP names: name, type, code range. Matched case-insensitively by unambiguous prefix. */
    static final Object[][] ICMP_NAMES = {
        {"any", 0xff, 0, 0xff},
        {"echo-reply", 0, 0, 0xff},
        {"pong", 0, 0, 0xff},
        {"destination-unreachable", 3, 0, 0xff},
        {"network-unreachable", 3, 0, 0},
        {"host-unreachable", 3, 1, 1},
        {"protocol-unreachable", 3, 2, 2},
        {"port-unreachable", 3, 3, 3},
        {"fragmentation-needed", 3, 4, 4},
        {"source-route-failed", 3, 5, 5},
        {"network-unknown", 3, 6, 6},
        {"host-unknown", 3, 7, 7},
        {"network-prohibited", 3, 9, 9},
        {"host-prohibited", 3, 10, 10},
        {"TOS-network-unreachable", 3, 11, 11},
        {"TOS-host-unreachable", 3, 12, 12},
        {"communication-prohibited", 3, 13, 13},
        {"host-precedence-violation", 3, 14, 14},
        {"precedence-cutoff", 3, 15, 15},
        {"source-quench", 4, 0, 0xff},
        {"redirect", 5, 0, 0xff},
        {"network-redirect", 5, 0, 0},
        {"host-redirect", 5, 1, 1},
        {"TOS-network-redirect", 5, 2, 2},
        {"TOS-host-redirect", 5, 3, 3},
        {"echo-request", 8, 0, 0xff},
        {"ping", 8, 0, 0xff},
        {"router-advertisement", 9, 0, 0xff},
        {"router-solicitation", 10, 0, 0xff},
        {"time-exceeded", 11, 0, 0xff},
        {"ttl-exceeded", 11, 0, 0xff},
        {"ttl-zero-during-transit", 11, 0, 0},
        {"ttl-zero-during-reassembly", 11, 1, 1},
        {"parameter-problem", 12, 0, 0xff},
        {"ip-header-bad", 12, 0, 0},
        {"required-option-missing", 12, 1, 1},
        {"timestamp-request", 13, 0, 0xff},
        {"timestamp-reply", 14, 0, 0xff},
        {"address-mask-request", 17, 0, 0xff},
        {"address-mask-reply", 18, 0, 0xff},
    };

    static final class Icmp extends Ext {
        Match.Icmp result;

        Icmp(Token at) { super(at, "icmp", opts("icmp-type", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            String s = t.text();
            Object[] hit = null;
            for (Object[] n : ICMP_NAMES) {
                String name = (String) n[0];
                if (!s.isEmpty() && s.length() <= name.length() && name.regionMatches(true, 0, s, 0, s.length())) {
                    if (hit != null) {
                        throw src.error(t, "Ambiguous ICMP type `" + s + "': `" + hit[0] + "' or `" + name + "'?");
                    }
                    hit = n;
                    if (name.length() == s.length()) break;
                }
            }
            if (hit != null) {
                result = new Match.Icmp((int) hit[1], (int) hit[2], (int) hit[3], inv);
                return;
            }
            int slash = s.indexOf('/');
            String ty = slash < 0 ? s : s.substring(0, slash);
            OptionalLong type = Numbers.strtoul(ty, 0, 255);
            if (type.isEmpty()) throw src.error(t, "Invalid ICMP type `" + ty + "'", "use a number 0-255 or a name like echo-request");
            int cmin = 0, cmax = 0xff;
            if (slash >= 0) {
                OptionalLong code = Numbers.strtoul(s.substring(slash + 1), 0, 255);
                if (code.isEmpty()) throw src.error(t, "Invalid ICMP code `" + s.substring(slash + 1) + "'");
                cmin = cmax = (int) code.getAsLong();
            }
            result = new Match.Icmp((int) type.getAsLong(), cmin, cmax, inv);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (!protoIs(p, 1)) throw src.error(at, "ICMP match requires '-p icmp'", "put -p icmp before -m icmp/--icmp-type");
            if (result == null) throw src.error(at, "icmp: option \"--icmp-type\" must be specified");
            return result;
        }
    }

    static final CtState[] CT_STATES = CtState.values();
    static final CtState[] PLAIN_STATES = {CtState.INVALID, CtState.NEW, CtState.RELATED, CtState.ESTABLISHED, CtState.UNTRACKED};

    static final class Conntrack extends Ext {
        Optional<Match.StateSet> state = Optional.empty();
        Optional<Match.ProtocolTest> proto = Optional.empty();
        Optional<AddressFilter> os = Optional.empty(), od = Optional.empty(), rs = Optional.empty(), rd = Optional.empty();
        Optional<Match.PortTest> osp = Optional.empty(), odp = Optional.empty(), rsp = Optional.empty(), rdp = Optional.empty();
        Optional<Match.StatusSet> status = Optional.empty();
        Optional<Match.ExpireTest> expire = Optional.empty();
        Optional<CtDirection> dir = Optional.empty();

        Conntrack(Token at) {
            super(at, "conntrack", opts("ctstate", 1, "ctproto", 1, "ctorigsrc", 1, "ctorigdst", 1, "ctreplsrc", 1, "ctrepldst", 1,
                    "ctorigsrcport", 1, "ctorigdstport", 1, "ctreplsrcport", 1, "ctrepldstport", 1, "ctstatus", 1,
                    "ctexpire", 1, "ctdir", 1));
        }
        @Override boolean invertible(String o) { return !o.equals("ctdir"); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            String s = t.text();
            switch (o) {
                case "ctstate" -> state = Optional.of(new Match.StateSet(prefixList(t, s, CT_STATES, src, "ctstate"), inv));
                case "ctproto" -> {
                    int n = CommandLine.protocolNumber(t, s.toLowerCase(Locale.ROOT), src);
                    if (n == 0) throw src.error(t, "conntrack: --ctproto 0 (all) is not allowed", "leave --ctproto out to match every protocol");
                    proto = Optional.of(new Match.ProtocolTest(n, inv));
                }
                case "ctorigsrc" -> os = Optional.of(Addresses.parseOne(s, inv, src, t));
                case "ctorigdst" -> od = Optional.of(Addresses.parseOne(s, inv, src, t));
                case "ctreplsrc" -> rs = Optional.of(Addresses.parseOne(s, inv, src, t));
                case "ctrepldst" -> rd = Optional.of(Addresses.parseOne(s, inv, src, t));
                case "ctorigsrcport" -> osp = Optional.of(new Match.PortTest(portRange(t, s, null, src), inv));
                case "ctorigdstport" -> odp = Optional.of(new Match.PortTest(portRange(t, s, null, src), inv));
                case "ctreplsrcport" -> rsp = Optional.of(new Match.PortTest(portRange(t, s, null, src), inv));
                case "ctrepldstport" -> rdp = Optional.of(new Match.PortTest(portRange(t, s, null, src), inv));
                case "ctstatus" -> status = Optional.of(new Match.StatusSet(prefixList(t, s, CtStatus.values(), src, "ctstatus"), inv));
                case "ctexpire" -> {
                    int colon = s.indexOf(':');
                    OptionalLong lo = Numbers.strtoul(colon < 0 ? s : s.substring(0, colon), 0, 0xffff_ffffL);
                    OptionalLong hi = colon < 0 ? lo : Numbers.strtoul(s.substring(colon + 1), 0, 0xffff_ffffL);
                    if (lo.isEmpty() || hi.isEmpty()) throw src.error(t, "conntrack: bad value for option \"--ctexpire\"");
                    if (lo.getAsLong() > hi.getAsLong()) throw src.error(t, "expire min. range value \"" + lo.getAsLong() + "\" greater than max. range value \"" + hi.getAsLong() + "\"");
                    expire = Optional.of(new Match.ExpireTest(lo.getAsLong(), hi.getAsLong(), inv));
                }
                case "ctdir" -> {
                    if (s.equalsIgnoreCase("ORIGINAL")) dir = Optional.of(CtDirection.ORIGINAL);
                    else if (s.equalsIgnoreCase("REPLY")) dir = Optional.of(CtDirection.REPLY);
                    else throw src.error(t, "Unknown --ctdir \"" + s + "\"", "ORIGINAL or REPLY");
                }
                default -> throw new IllegalStateException(o);
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (seen.isEmpty()) throw src.error(at, "conntrack: At least one option is required");
            return new Match.Conntrack(state, proto, os, od, rs, rd, osp, odp, rsp, rdp, status, expire, dir);
        }
    }

    static final class State extends Ext {
        Match.StateSet states;

        State(Token at) { super(at, "state", opts("state", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            states = new Match.StateSet(prefixList(a.get(0), a.get(0).text(), PLAIN_STATES, src, "state"), inv);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (states == null) throw src.error(at, "state: option \"--state\" must be specified");
            return new Match.State(states);
        }
    }

    static final class Multiport extends Ext {
        Match.MultiportKind kind;
        List<Token> list;
        boolean inverted;

        Multiport(Token at) {
            super(at, "multiport", opts("sports", 1, "source-ports", 1, "dports", 1, "destination-ports", 1, "ports", 1));
        }
        @Override String canonical(String o) { return "ports"; }
        @Override String duplicateMessage(String o) { return "multiport can only have one option"; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) {
            kind = switch (o) {
                case "sports", "source-ports" -> Match.MultiportKind.SOURCE;
                case "dports", "destination-ports" -> Match.MultiportKind.DESTINATION;
                default -> Match.MultiportKind.EITHER;
            };
            list = a;
            inverted = inv;
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (kind == null) throw src.error(at, "multiport expects an option", "--sports, --dports or --ports");
            int n = p.number();
            if (p.inverted() || !(n == 6 || n == 17 || n == 136 || n == 132 || n == 33)) {
                throw src.error(at, "multiport needs `-p tcp', `-p udp', `-p udplite', `-p sctp' or `-p dccp'");
            }
            Token t = list.get(0);
            List<PortRange> ports = new ArrayList<>();
            int count = 0;
            for (String w : t.text().split(",", -1)) {
                PortRange r = portRange(t, w, protoName(p), src);
                count += r.isSingle() ? 1 : 2;
                if (count > 15) throw src.error(t, "too many ports specified", "multiport takes at most 15 ports, a range counting as two");
                ports.add(r);
            }
            return new Match.Multiport(kind, ports, inverted);
        }
    }

    static final class Comment extends Ext {
        String text;

        Comment(Token at) { super(at, "comment", opts("comment", 1)); }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            text = a.get(0).text();
            if (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
                throw src.error(a.get(0), "comment: argument too long (max 255 bytes)");
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (text == null) throw src.error(at, "comment: option \"--comment\" must be specified");
            return new Match.Comment(text);
        }
    }

    static final class AddrType extends Ext {
        Optional<Match.AddressTypes> srcType = Optional.empty(), dstType = Optional.empty();
        boolean in, out;

        AddrType(Token at) { super(at, "addrtype", opts("src-type", 1, "dst-type", 1, "limit-iface-in", 0, "limit-iface-out", 0)); }
        @Override boolean invertible(String o) { return o.endsWith("-type"); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            switch (o) {
                case "src-type" -> srcType = Optional.of(new Match.AddressTypes(types(a.get(0), src), inv));
                case "dst-type" -> dstType = Optional.of(new Match.AddressTypes(types(a.get(0), src), inv));
                case "limit-iface-in" -> in = true;
                default -> out = true;
            }
        }
        private static Set<AddressType> types(Token t, Source src) throws InputException {
            EnumSet<AddressType> set = EnumSet.noneOf(AddressType.class);
            for (String w : t.text().split(",", -1)) {
                AddressType hit = null;
                for (AddressType x : AddressType.values()) if (x.name().equalsIgnoreCase(w)) hit = x;
                if (hit == null) throw src.error(t, "addrtype: unknown address type \"" + w + "\"",
                        "one of UNSPEC, UNICAST, LOCAL, BROADCAST, ANYCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT, XRESOLVE");
                set.add(hit);
            }
            return set;
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (srcType.isEmpty() && dstType.isEmpty()) throw src.error(at, "addrtype: you must specify --src-type or --dst-type");
            if (in && out) throw src.error(at, "addrtype: you can't specify both --limit-iface-in and --limit-iface-out");
            return new Match.AddrType(srcType, dstType, in, out);
        }
    }

    static final class MarkMatch extends Ext {
        final boolean conn;
        long[] vm;
        boolean inv;

        MarkMatch(Token at, boolean conn) {
            super(at, conn ? "connmark" : "mark", opts("mark", 1));
            this.conn = conn;
        }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            vm = markMask(a.get(0), a.get(0).text(), src, "mark");
            this.inv = inv;
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (vm == null) throw src.error(at, name() + ": option \"--mark\" must be specified");
            return conn ? new Match.Connmark(vm[0], vm[1], inv) : new Match.Mark(vm[0], vm[1], inv);
        }
    }

    static final class Physdev extends Ext {
        Match.FlagTest isIn = Match.FlagTest.ABSENT, isOut = Match.FlagTest.ABSENT, bridged = Match.FlagTest.ABSENT;
        Optional<InterfaceFilter> in = Optional.empty(), out = Optional.empty();

        Physdev(Token at) {
            super(at, "physdev", opts("physdev-in", 1, "physdev-out", 1, "physdev-is-in", 0, "physdev-is-out", 0, "physdev-is-bridged", 0));
        }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Match.FlagTest f = inv ? Match.FlagTest.NOT_SET : Match.FlagTest.SET;
            switch (o) {
                case "physdev-in" -> in = Optional.of(CommandLine.iface(a.get(0), inv, src));
                case "physdev-out" -> out = Optional.of(CommandLine.iface(a.get(0), inv, src));
                case "physdev-is-in" -> isIn = f;
                case "physdev-is-out" -> isOut = f;
                default -> bridged = f;
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (seen.isEmpty()) throw src.error(at, "PHYSDEV: no physdev option specified");
            return new Match.Physdev(isIn, in, isOut, out, bridged);
        }
    }

    static final class Limit extends Ext {
        long period = Match.Limit.DEFAULT_PERIOD;
        int burst = Match.Limit.DEFAULT_BURST;

        Limit(Token at) { super(at, "limit", opts("limit", 1, "limit-burst", 1)); }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            if (o.equals("limit-burst")) {
                OptionalLong b = Numbers.strtoul(t.text(), 0, 10_000);
                if (b.isEmpty()) throw src.error(t, "limit: bad value for option \"--limit-burst\", or out of range (0-10000).");
                burst = (int) b.getAsLong();
                return;
            }
            period = rate(t, src);
        }
        /** libxt_limit parse_rate: N[/second|minute|hour|day], units matched by any prefix. */
        static long rate(Token t, Source src) throws InputException {
            String s = t.text();
            long mult = 1;
            int slash = s.indexOf('/');
            if (slash >= 0) {
                String unit = s.substring(slash + 1).toLowerCase(Locale.ROOT);
                if (unit.isEmpty()) throw src.error(t, "bad rate \"" + s + "\"'");
                if ("second".startsWith(unit)) mult = 1;
                else if ("minute".startsWith(unit)) mult = 60;
                else if ("hour".startsWith(unit)) mult = 3600;
                else if ("day".startsWith(unit)) mult = 86400;
                else throw src.error(t, "bad rate \"" + s + "\"'", "N/second, N/minute, N/hour or N/day");
            }
            long r = Numbers.atoi(s);
            if (r <= 0) throw src.error(t, "bad rate \"" + s + "\"'");
            long period = Match.Limit.SCALE * mult / r;
            if (period == 0) throw src.error(t, "Rate too fast \"" + s + "\"");
            return period;
        }
        Object finish(ProtocolFilter p, Source src) { return new Match.Limit(period, burst); }
    }

    /** libxt_rpfilter: four flags, none taking a value or a {@code !} ({@code --invert} is the negation). */
    static final class Rpfilter extends Ext {
        Rpfilter(Token at) { super(at, "rpfilter", opts("loose", 0, "validmark", 0, "accept-local", 0, "invert", 0)); }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) { }
        Object finish(ProtocolFilter p, Source src) {
            return new Match.Rpfilter(seen.contains("loose"), seen.contains("validmark"), seen.contains("accept-local"),
                    seen.contains("invert"));
        }
    }

    static final class PktType extends Ext {
        Match.PktType result;

        PktType(Token at) { super(at, "pkttype", opts("pkt-type", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            String s = a.get(0).text().toLowerCase(Locale.ROOT);
            PacketType t = switch (s) {
                case "unicast", "host" -> PacketType.UNICAST;
                case "broadcast", "bcast" -> PacketType.BROADCAST;
                case "multicast", "mcast" -> PacketType.MULTICAST;
                case "otherhost" -> PacketType.OTHERHOST;
                case "outgoing" -> PacketType.OUTGOING;
                default -> throw src.error(a.get(0), "Bad packet type '" + a.get(0).text() + "'",
                        "unicast, broadcast, multicast, otherhost or outgoing");
            };
            result = new Match.PktType(t, inv);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (result == null) throw src.error(at, "pkttype: option \"--pkt-type\" must be specified");
            return result;
        }
    }

    static final class IpRange extends Ext {
        Optional<Match.RangeTest> s = Optional.empty(), d = Optional.empty();

        IpRange(Token at) { super(at, "iprange", opts("src-range", 1, "dst-range", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            String text = t.text();
            int dash = text.indexOf('-');
            Ipv4Address first = Addresses.parsePlain(dash < 0 ? text : text.substring(0, dash), src, t, "");
            Ipv4Address last = dash < 0 ? first : Addresses.parsePlain(text.substring(dash + 1), src, t, "");
            Match.RangeTest r = new Match.RangeTest(new AddressRange(first, last), inv);
            if (o.equals("src-range")) s = Optional.of(r);
            else d = Optional.of(r);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (s.isEmpty() && d.isEmpty()) throw src.error(at, "iprange match: You must specify `--src-range' or `--dst-range'");
            return new Match.IpRange(s, d);
        }
    }

    static final class Length extends Ext {
        Match.Length result;

        Length(Token at) { super(at, "length", opts("length", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            String s = t.text();
            int colon = s.indexOf(':');
            long lo, hi;
            if (colon < 0) {
                lo = hi = len(t, s, src);
            } else {
                lo = colon == 0 ? 0 : len(t, s.substring(0, colon), src);
                hi = colon == s.length() - 1 ? 65535 : len(t, s.substring(colon + 1), src);
            }
            if (lo > hi) throw src.error(t, "length min. range value `" + lo + "' greater than max. range value `" + hi + "'");
            result = new Match.Length((int) lo, (int) hi, inv);
        }
        private static long len(Token t, String s, Source src) throws InputException {
            OptionalLong v = Numbers.strtoul(s, 0, 65535);
            if (v.isEmpty()) throw src.error(t, "length invalid: \"" + s + "\"");
            return v.getAsLong();
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (result == null) throw src.error(at, "length: option \"--length\" must be specified");
            return result;
        }
    }

    static final class Mac extends Ext {
        Match.Mac result;

        Mac(Token at) { super(at, "mac", opts("mac-source", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            String s = a.get(0).text();
            String[] parts = s.split(":", -1);
            long v = 0;
            boolean ok = parts.length == 6;
            for (String p : parts) {
                if (!ok) break;
                OptionalLong b = p.isEmpty() || p.length() > 2 ? OptionalLong.empty() : hexByte(p);
                if (b.isEmpty()) ok = false;
                else v = (v << 8) | b.getAsLong();
            }
            if (!ok) throw src.error(a.get(0), "Bad mac address \"" + s + "\"", "six hex bytes separated by ':'");
            result = new Match.Mac(new MacAddress(v), inv);
        }
        private static OptionalLong hexByte(String p) {
            try {
                return OptionalLong.of(Long.parseLong(p, 16));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (result == null) throw src.error(at, "mac: option \"--mac-source\" must be specified");
            return result;
        }
    }

    // ---------------------------------------------------------------- matches for real hosts' extras (ufw, fail2ban, firewalld)

    /** libxt_recent: one command, the list's name (DEFAULT), mask, side; the kernel's checkentry rules. */
    static final class Recent extends Ext {
        Match.RecentCommand command;
        boolean inverted, reap, rttl, rdest;
        long seconds;
        int hitcount;
        String listName = Match.Recent.DEFAULT_NAME;
        Ipv4Address mask = Ipv4Address.of(255, 255, 255, 255);

        Recent(Token at) {
            super(at, "recent", opts("set", 0, "rcheck", 0, "update", 0, "remove", 0, "seconds", 1, "reap", 0,
                    "hitcount", 1, "rttl", 0, "name", 1, "rsource", 0, "rdest", 0, "mask", 1));
        }
        @Override boolean invertible(String o) { return o.equals("set") || o.equals("rcheck") || o.equals("update") || o.equals("remove"); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            switch (o) {
                case "set", "rcheck", "update", "remove" -> {
                    Match.RecentCommand c = Match.RecentCommand.valueOf(o.toUpperCase(Locale.ROOT));
                    if (command != null) {
                        throw src.error(ot, "recent: option \"--" + o + "\" cannot be used together with \""
                                + command.option() + "\".");
                    }
                    if (o.equals("set") && rttl) throw src.error(ot, "recent: option \"--set\" cannot be used together with \"--rttl\".");
                    command = c;
                    inverted = inv;
                }
                case "seconds" -> seconds = bounded(a.get(0), 1, 0xffff_ffffL, "recent", "--seconds", src);
                case "hitcount" -> hitcount = (int) bounded(a.get(0), 0, 0xffff_ffffL, "recent", "--hitcount", src);
                case "reap" -> reap = true;
                case "rttl" -> {
                    if (command == Match.RecentCommand.SET) throw src.error(ot, "recent: option \"--rttl\" cannot be used together with \"--set\".");
                    rttl = true;
                }
                case "name" -> listName = a.get(0).text();
                case "rsource" -> rdest = false;
                case "rdest" -> rdest = true;
                default -> mask = Addresses.parsePlain(a.get(0).text(), src, a.get(0), "");
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (command == null) throw src.error(at, "recent: you must specify one of `--set', `--rcheck' `--update' or `--remove'");
            if (reap && seconds == 0) throw src.error(at, "recent: option \"--reap\" also requires \"--seconds\".");
            // recent_mt_check: --set and --remove take no --seconds, --hitcount, --rttl or --reap
            if ((command == Match.RecentCommand.SET || command == Match.RecentCommand.REMOVE)
                    && (seconds != 0 || hitcount != 0 || reap || rttl)) {
                throw src.error(at, "RULE_APPEND failed (Invalid argument): recent --set/--remove with --seconds, --hitcount, --rttl or --reap",
                        "the kernel accepts those modifiers only with --rcheck or --update");
            }
            if (listName.isEmpty() || listName.length() >= 200 || listName.indexOf('/') >= 0) {
                throw src.error(at, "RULE_APPEND failed (Invalid argument): recent list name \"" + listName + "\"",
                        "1 to 199 characters, no '/'");
            }
            return new Match.Recent(command, inverted, seconds, hitcount, reap, rttl, listName, mask, rdest);
        }
    }

    /** xtables' "bad value ... or out of range" check of one unsigned number. */
    static long bounded(Token t, long min, long max, String ext, String option, Source src) throws InputException {
        OptionalLong v = Numbers.strtoul(t.text(), min, max);
        if (v.isEmpty()) {
            throw src.error(t, ext + ": bad value for option \"" + option + "\", or out of range (" + min + "-" + max + ").");
        }
        return v.getAsLong();
    }

    static List<Match.SetDirection> setDirections(Token t, Source src) throws InputException {
        List<Match.SetDirection> dirs = new ArrayList<>();
        for (String w : t.text().split(",", -1)) {
            if (dirs.size() == 6) throw src.error(t, "Can't be more src/dst options than 6.");
            if (w.equals("src")) dirs.add(Match.SetDirection.SRC);
            else if (w.equals("dst")) dirs.add(Match.SetDirection.DST);
            else throw src.error(t, "You must spefify (the comma separated list of) 'src' or 'dst'.");
        }
        return dirs;
    }

    static String setName(Token t, Source src) throws InputException {
        String n = t.text();
        if (n.length() > 31) throw src.error(t, "setname `" + n + "' too long, max 31 characters.");
        return n;
    }

    /** libxt_set revision 4. The packet/byte counter tests are refused: vnetlab keeps no per-member counters. */
    static final class SetMatch extends Ext {
        String setName;
        List<Match.SetDirection> dirs;
        boolean inverted, nomatch, noCounters, noSubcounters;

        SetMatch(Token at) {
            super(at, "set", opts("match-set", 2, "set", 2, "return-nomatch", 0, "update-counters", 0,
                    "update-subcounters", 0, "packets-eq", 1, "packets-lt", 1, "packets-gt", 1, "bytes-eq", 1,
                    "bytes-lt", 1, "bytes-gt", 1));
        }
        @Override String canonical(String o) { return o.equals("set") ? "match-set" : o; }
        @Override String duplicateMessage(String o) {
            return o.equals("match-set") ? "--match-set can be specified only once" : super.duplicateMessage(o);
        }
        @Override boolean invertible(String o) { return !o.equals("return-nomatch"); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            switch (o) {
                case "match-set", "set" -> {
                    setName = setName(a.get(0), src);
                    dirs = setDirections(a.get(1), src);
                    inverted = inv;
                }
                case "return-nomatch" -> nomatch = true;
                case "update-counters" -> noCounters = inv;
                case "update-subcounters" -> noSubcounters = inv;
                default -> throw src.error(ot, "set: --" + o + " is not supported by vnetlab",
                        "vnetlab keeps no per-member packet/byte counters");
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (setName == null) throw src.error(at, "You must specify `--match-set' with proper arguments");
            return new Match.SetMatch(setName, dirs, inverted, nomatch, noCounters, noSubcounters);
        }
    }

    /** libxt_hashlimit revision 3 in packet mode (byte-rate mode, {@code kb/s}, is refused). */
    static final class Hashlimit extends Ext {
        long avg, unit = 1, size, max, gc = Match.Hashlimit.DEFAULT_GC_INTERVAL, expire = -1;
        boolean above;
        int burst = Match.Hashlimit.DEFAULT_BURST, mode, srcmask = 32, dstmask = 32;
        String hashName;

        Hashlimit(Token at) {
            super(at, "hashlimit", opts("hashlimit-upto", 1, "hashlimit-above", 1, "hashlimit", 1, "hashlimit-srcmask", 1,
                    "hashlimit-dstmask", 1, "hashlimit-burst", 1, "hashlimit-htable-size", 1, "hashlimit-htable-max", 1,
                    "hashlimit-htable-gcinterval", 1, "hashlimit-htable-expire", 1, "hashlimit-mode", 1,
                    "hashlimit-name", 1, "hashlimit-rate-match", 0, "hashlimit-rate-interval", 1));
        }
        @Override String canonical(String o) { return o.equals("hashlimit") ? "hashlimit-upto" : o; }
        @Override boolean invertible(String o) { return o.equals("hashlimit-upto") || o.equals("hashlimit-above"); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.isEmpty() ? ot : a.get(0);
            switch (o) {
                case "hashlimit-upto", "hashlimit", "hashlimit-above" -> {
                    String shown = o.equals("hashlimit") ? "hashlimit-upto" : o;
                    if (seen.contains("hashlimit-upto") && seen.contains("hashlimit-above")) {
                        throw src.error(ot, "hashlimit: option \"--" + shown + "\" can only be used once.");
                    }
                    above = o.equals("hashlimit-above") != inv;
                    rate(t, shown, src);
                }
                case "hashlimit-burst" -> burst = (int) boundedPlain(t, 1, 1_000_000, "--hashlimit-burst", src);
                case "hashlimit-htable-size" -> size = bounded(t, 0, 0xffff_ffffL, "hashlimit", "--hashlimit-htable-size", src);
                case "hashlimit-htable-max" -> max = bounded(t, 0, 0xffff_ffffL, "hashlimit", "--hashlimit-htable-max", src);
                case "hashlimit-htable-gcinterval" -> gc = bounded(t, 0, 0xffff_ffffL, "hashlimit", "--hashlimit-htable-gcinterval", src);
                case "hashlimit-htable-expire" -> expire = bounded(t, 0, 0xffff_ffffL, "hashlimit", "--hashlimit-htable-expire", src);
                case "hashlimit-srcmask" -> srcmask = (int) bounded(t, 0, 0xffff_ffffL, "hashlimit", "--hashlimit-srcmask", src);
                case "hashlimit-dstmask" -> dstmask = (int) bounded(t, 0, 0xffff_ffffL, "hashlimit", "--hashlimit-dstmask", src);
                case "hashlimit-mode" -> {
                    for (String w : t.text().split("[,|]", -1)) {
                        mode |= switch (w) {
                            case "srcip" -> Match.Hashlimit.SRC_IP;
                            case "dstip" -> Match.Hashlimit.DST_IP;
                            case "srcport" -> Match.Hashlimit.SRC_PORT;
                            case "dstport" -> Match.Hashlimit.DST_PORT;
                            default -> throw src.error(t, "hashlimit: Bad value for \"--hashlimit-mode\" option: \"" + t.text() + "\"",
                                    "a comma-separated list of srcip, srcport, dstip, dstport");
                        };
                    }
                }
                case "hashlimit-name" -> hashName = t.text();
                default -> throw src.error(ot, "hashlimit --" + o + " is not supported by vnetlab", "only packet-rate buckets are modelled");
            }
        }
        private static long boundedPlain(Token t, long min, long max, String option, Source src) throws InputException {
            OptionalLong v = Numbers.strtoul(t.text(), min, max);
            if (v.isEmpty()) throw src.error(t, "bad value for option \"" + option + "\", or out of range (" + min + "-" + max + ").");
            return v.getAsLong();
        }
        /** parse_rate (revision 3): N[/second|minute|hour|day] by any unit prefix, avg = 10^6 * unit / N. */
        private void rate(Token t, String option, Source src) throws InputException {
            String s = t.text();
            String bad = "hashlimit: Bad value for \"--" + option + "\" option: \"" + s + "\"";
            if (s.matches("(?i)\\d+[kmg]?b(/.*)?")) {
                throw src.error(t, "hashlimit byte rates (" + s + ") are not supported by vnetlab", "only packet rates are modelled");
            }
            int slash = s.indexOf('/');
            long mult = 1;
            if (slash >= 0) {
                String u = s.substring(slash + 1).toLowerCase(Locale.ROOT);
                if (u.isEmpty()) throw src.error(t, bad);
                if ("second".startsWith(u)) mult = 1;
                else if ("minute".startsWith(u)) mult = 60;
                else if ("hour".startsWith(u)) mult = 3600;
                else if ("day".startsWith(u)) mult = 86400;
                else throw src.error(t, bad, "N/second, N/minute, N/hour or N/day");
            }
            long r = Numbers.atoi(s);
            if (r <= 0) throw src.error(t, bad);
            if (r / mult > Match.Hashlimit.SCALE) throw src.error(t, "Rate too fast \"" + s + "\"");
            avg = Match.Hashlimit.SCALE * mult / r;
            unit = mult;
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (!seen.contains("hashlimit-upto") && !seen.contains("hashlimit-above")) throw src.error(at, "You have to specify --hashlimit");
            if (hashName == null) throw src.error(at, "hashlimit: option \"--hashlimit-name\" must be specified");
            // without --hashlimit-htable-expire, libxt_hashlimit sets one unit of the rate as written
            long exp = expire >= 0 ? expire : unit * 1000;
            String fail = "RULE_APPEND failed (Invalid argument): hashlimit ";
            if (hashName.length() >= 255) throw src.error(at, fail + "name longer than 254 characters");
            if (gc == 0 || exp == 0) throw src.error(at, fail + "--hashlimit-htable-gcinterval and --hashlimit-htable-expire must not be 0");
            if (srcmask > 32 || dstmask > 32) throw src.error(at, fail + "masks are prefix lengths 0-32 for IPv4");
            // hashlimit_mt_check_common: burst * avg must not overflow the kernel's 64-bit credit arithmetic
            if (Long.compareUnsigned(Match.Hashlimit.credits(avg * burst), Match.Hashlimit.credits(avg)) < 0) {
                throw src.error(at, "RULE_APPEND failed (Numerical result out of range): hashlimit overflow, try lower: "
                        + avg + "/" + burst, "a lower --hashlimit-burst or a faster rate");
            }
            return new Match.Hashlimit(avg, above, burst, mode, hashName, size, max, gc, exp, srcmask, dstmask);
        }
    }

    /** libxt_owner: uid/gid numbers, ranges or the few well-known names; --socket-exists. */
    static final class Owner extends Ext {
        Match.FlagTest socket = Match.FlagTest.ABSENT;
        Optional<Match.IdRange> uid = Optional.empty(), gid = Optional.empty();
        boolean suppl;

        Owner(Token at) { super(at, "owner", opts("uid-owner", 1, "gid-owner", 1, "socket-exists", 0, "suppl-groups", 0)); }
        @Override boolean invertible(String o) { return !o.equals("suppl-groups"); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            switch (o) {
                case "uid-owner" -> uid = Optional.of(ids(a.get(0), inv, true, src));
                case "gid-owner" -> gid = Optional.of(ids(a.get(0), inv, false, src));
                case "socket-exists" -> socket = inv ? Match.FlagTest.NOT_SET : Match.FlagTest.SET;
                default -> {
                    if (gid.isEmpty()) throw src.error(ot, "owner: Bad value for \"--suppl-groups\" option: \"you need to use --gid-owner first\"");
                    suppl = true;
                }
            }
        }
        private static Match.IdRange ids(Token t, boolean inv, boolean user, Source src) throws InputException {
            String s = t.text();
            String what = user ? "--uid-owner" : "--gid-owner";
            Optional<Long> named = user ? switch (s) {
                case "root" -> Optional.of(0L);
                case "daemon" -> Optional.of(1L);
                case "nobody" -> Optional.of(65534L);
                default -> Optional.<Long>empty();
            } : switch (s) {
                case "root" -> Optional.of(0L);
                case "nogroup" -> Optional.of(65534L);
                default -> Optional.<Long>empty();
            };
            if (named.isPresent()) return new Match.IdRange(named.get(), named.get(), inv);
            int dash = s.indexOf('-');
            OptionalLong lo = Numbers.strtoul(dash < 0 ? s : s.substring(0, dash), 0, 0xffff_fffeL);
            OptionalLong hi = dash < 0 ? lo : Numbers.strtoul(s.substring(dash + 1), 0, 0xffff_fffeL);
            if (lo.isEmpty() || hi.isEmpty()) {
                throw src.error(t, "owner: Bad value for \"" + what + "\" option: \"" + s + "\"",
                        "a number or range; of the names, vnetlab knows only root, daemon, nobody (users) and root, nogroup (groups)");
            }
            return new Match.IdRange(lo.getAsLong(), hi.getAsLong(), inv);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (seen.isEmpty()) throw src.error(at, "owner: At least one of --uid-owner, --gid-owner or --socket-exists is required");
            for (Optional<Match.IdRange> r : List.of(uid, gid)) {
                if (r.isPresent() && r.get().min() > r.get().max()) {
                    throw src.error(at, "RULE_APPEND failed (Invalid argument): owner range " + r.get().min() + "-" + r.get().max(),
                            "the kernel refuses a range whose start is above its end");
                }
            }
            return new Match.Owner(socket, uid, gid, suppl);
        }
    }

    static final class Ttl extends Ext {
        Match.TtlComparison cmp;
        int value;

        Ttl(Token at) { super(at, "ttl", opts("ttl-eq", 1, "ttl-lt", 1, "ttl-gt", 1)); }
        @Override boolean invertible(String o) { return o.equals("ttl-eq"); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            if (cmp != null) {
                String prev = cmp == Match.TtlComparison.NE ? "--ttl-eq" : cmp.text();
                throw src.error(ot, "ttl: option \"--" + o + "\" cannot be used together with \"" + prev + "\".");
            }
            value = (int) bounded(a.get(0), 0, 255, "ttl", "--" + o, src);
            cmp = switch (o) {
                case "ttl-eq" -> inv ? Match.TtlComparison.NE : Match.TtlComparison.EQ;
                case "ttl-lt" -> Match.TtlComparison.LT;
                default -> Match.TtlComparison.GT;
            };
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (cmp == null) throw src.error(at, "TTL match: You must specify one of `--ttl-eq', `--ttl-lt', `--ttl-gt");
            return new Match.Ttl(cmp, value);
        }
    }

    /** libxt_tos's symbolic names (mask 0x3f), matched case-insensitively. */
    static final Object[][] TOS_NAMES = {
        {"Minimize-Cost", 0x02}, {"Maximize-Reliability", 0x04}, {"Maximize-Throughput", 0x08},
        {"Minimize-Delay", 0x10}, {"Normal-Service", 0x00},
    };

    /** tos_parse_symbolic: {@code value[/mask]} (mask 0xff) or a name (mask 0x3f); {@code [0]} value, {@code [1]} mask. */
    static int[] tosValue(Token t, Source src) throws InputException {
        String s = t.text();
        int slash = s.indexOf('/');
        OptionalLong v = Numbers.strtoul(slash < 0 ? s : s.substring(0, slash), 0, 0xff);
        OptionalLong m = slash < 0 ? OptionalLong.of(0xff) : Numbers.strtoul(s.substring(slash + 1), 0, 0xff);
        if (v.isPresent() && m.isPresent()) return new int[] {(int) v.getAsLong(), (int) m.getAsLong()};
        for (Object[] n : TOS_NAMES) if (((String) n[0]).equalsIgnoreCase(s)) return new int[] {(int) n[1], 0x3f};
        throw src.error(t, "Symbolic name \"" + s + "\" is unknown",
                "a number 0-0xff[/mask] or Minimize-Delay, Maximize-Throughput, Maximize-Reliability, Minimize-Cost, Normal-Service");
    }

    static final class Tos extends Ext {
        int[] vm;
        boolean inv;

        Tos(Token at) { super(at, "tos", opts("tos", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            vm = tosValue(a.get(0), src);
            this.inv = inv;
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (vm == null) throw src.error(at, "tos: option \"--tos\" must be specified");
            return new Match.Tos(vm[0], vm[1], inv);
        }
    }

    /** DiffServ class names (libxt_dscp_helper): BE, CS0-7, AFxy, EF. */
    static int dscpClass(Token t, Source src) throws InputException {
        String s = t.text().toUpperCase(Locale.ROOT);
        if (s.equals("BE")) return 0;
        if (s.equals("EF")) return 46;
        if (s.matches("CS[0-7]")) return (s.charAt(2) - '0') << 3;
        if (s.matches("AF[1-4][1-3]")) return ((s.charAt(2) - '0') << 3) | ((s.charAt(3) - '0') << 1);
        throw src.error(t, "Invalid DSCP value `" + t.text() + "'", "BE, EF, CS0-CS7 or AF11-AF43");
    }

    static final class Dscp extends Ext {
        int dscp;
        boolean inv;
        String first;

        Dscp(Token at) { super(at, "dscp", opts("dscp", 1, "dscp-class", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            if (first != null) throw src.error(ot, "dscp: option \"--" + o + "\" cannot be used together with \"--" + first + "\".");
            first = o;
            this.inv = inv;
            dscp = o.equals("dscp") ? (int) bounded(a.get(0), 0, 63, "dscp", "--dscp", src) : dscpClass(a.get(0), src);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (first == null) throw src.error(at, "DSCP match: Parameter --dscp is required");
            return new Match.Dscp(dscp, inv);
        }
    }

    static final class Statistic extends Ext {
        String mode;
        boolean inv;
        long probability, every, packet;
        Token everyTok;

        Statistic(Token at) { super(at, "statistic", opts("mode", 1, "probability", 1, "every", 1, "packet", 1)); }
        @Override boolean invertible(String o) { return o.equals("probability") || o.equals("every"); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            switch (o) {
                case "mode" -> {
                    if (!t.text().equals("random") && !t.text().equals("nth")) throw src.error(t, "Bad mode \"" + t.text() + "\"", "random or nth");
                    mode = t.text();
                }
                case "probability" -> {
                    if (seen.contains("every")) throw src.error(ot, "statistic: option \"--probability\" cannot be used together with \"--every\".");
                    double d;
                    try {
                        d = Double.parseDouble(t.text());
                    } catch (NumberFormatException e) {
                        d = -1;
                    }
                    if (!(d >= 0 && d <= 1)) throw src.error(t, "statistic: bad value for option \"--probability\", or out of range (0-1).");
                    probability = Math.round(d * Match.Statistic.ONE); // lround(0x80000000 * prob)
                    this.inv = inv;
                }
                case "every" -> {
                    if (seen.contains("probability")) throw src.error(ot, "statistic: option \"--probability\" cannot be used together with \"--every\".");
                    every = bounded(t, 1, 0xffff_ffffL, "statistic", "--every", src);
                    everyTok = t;
                    this.inv = inv;
                }
                default -> packet = bounded(t, 0, 0xffff_ffffL, "statistic", "--packet", src);
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (mode == null) throw src.error(at, "statistic: option \"--mode\" must be specified");
            if (seen.contains("packet") && !seen.contains("every")) throw src.error(at, "statistic: option \"--packet\" also requires \"--every\".");
            if (seen.contains("every") && !seen.contains("packet")) throw src.error(at, "statistic: option \"--every\" also requires \"--packet\".");
            if (mode.equals("random")) {
                if (!seen.contains("probability")) throw src.error(at, "--probability must be specified when using random mode");
                if (seen.contains("every")) throw src.error(at, "--every and --packet are only valid with --mode nth");
                return new Match.Statistic(false, inv, probability, 0, 0);
            }
            if (!seen.contains("every")) throw src.error(at, "--every must be specified when using nth mode");
            if (packet > every - 1) throw src.error(everyTok, "the --packet p must be 0 <= p <= n-1");
            return new Match.Statistic(true, inv, 0, every, packet);
        }
    }

    static final class Helper extends Ext {
        String helper;
        boolean inv;

        Helper(Token at) { super(at, "helper", opts("helper", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            helper = a.get(0).text();
            if (helper.length() > 29) throw src.error(a.get(0), "helper: option \"--helper\" argument too long (max 29)");
            this.inv = inv;
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (helper == null) throw src.error(at, "helper: option \"--helper\" must be specified");
            return new Match.Helper(helper, inv);
        }
    }

    static final class TcpMss extends Ext {
        Match.TcpMss result;

        TcpMss(Token at) { super(at, "tcpmss", opts("mss", 1)); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            String s = t.text();
            int colon = s.indexOf(':');
            long lo = colon == 0 ? 0 : mss(t, colon < 0 ? s : s.substring(0, colon), src);
            long hi = colon < 0 ? lo : colon == s.length() - 1 ? 65535 : mss(t, s.substring(colon + 1), src);
            if (lo > hi) throw src.error(t, "tcpmss: invalid range given");
            result = new Match.TcpMss((int) lo, (int) hi, inv);
        }
        private static long mss(Token t, String s, Source src) throws InputException {
            OptionalLong v = Numbers.strtoul(s, 0, 65535);
            if (v.isEmpty()) throw src.error(t, "tcpmss: bad value for option \"--mss\" near \"" + s + "\", or out of range (0-65535).");
            return v.getAsLong();
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (result == null) throw src.error(at, "tcpmss: option \"--mss\" must be specified");
            if (!protoIs(p, 6)) throw src.error(at, "RULE_APPEND failed (Invalid argument): -m tcpmss needs -p tcp",
                    "the kernel registers tcpmss for TCP only");
            return result;
        }
    }

    // ---------------------------------------------------------------- targets for real hosts' extras

    static final class Nflog extends Ext {
        int group, threshold;
        Optional<String> prefix = Optional.empty();
        Optional<Long> size = Optional.empty();

        Nflog(Token at) {
            super(at, "NFLOG", opts("nflog-group", 1, "nflog-prefix", 1, "nflog-range", 1, "nflog-size", 1, "nflog-threshold", 1));
        }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            switch (o) {
                case "nflog-group" -> group = (int) bounded(t, 0, 65535, "NFLOG", "--nflog-group", src);
                case "nflog-prefix" -> {
                    if (t.text().isEmpty()) throw src.error(t, "Argument must have a minimum length of 1 characters");
                    prefix = Optional.of(t.text());
                }
                // "--nflog-range has never worked and is no longer supported": iptables warns and stores nothing
                case "nflog-range" -> bounded(t, 0, 0xffff_ffffL, "NFLOG", "--nflog-range", src);
                case "nflog-size" -> size = Optional.of(bounded(t, 0, 0xffff_ffffL, "NFLOG", "--nflog-size", src));
                default -> threshold = (int) bounded(t, 0, 65535, "NFLOG", "--nflog-threshold", src);
            }
        }
        Object finish(ProtocolFilter p, Source src) { return new Target.Nflog(group, prefix, size, threshold); }
    }

    static final class Nfqueue extends Ext {
        int first, total = 1;
        boolean balance, bypass, fanout;

        Nfqueue(Token at) { super(at, "NFQUEUE", opts("queue-num", 1, "queue-balance", 1, "queue-bypass", 0, "queue-cpu-fanout", 0)); }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            switch (o) {
                case "queue-num", "queue-balance" -> {
                    String other = o.equals("queue-num") ? "queue-balance" : "queue-num";
                    if (seen.contains(other)) throw src.error(ot, "NFQUEUE: option \"--" + other + "\" cannot be used together with \"--" + o + "\".");
                    Token t = a.get(0);
                    if (o.equals("queue-num")) {
                        first = (int) bounded(t, 0, 65535, "NFQUEUE", "--queue-num", src);
                    } else {
                        String[] ab = t.text().split(":", -1);
                        OptionalLong lo = Numbers.strtoul(ab[0], 0, 65535);
                        OptionalLong hi = ab.length == 2 ? Numbers.strtoul(ab[1], 0, 65535) : OptionalLong.empty();
                        if (lo.isEmpty() || hi.isEmpty()) throw src.error(t, "Bad range \"" + t.text() + "\"");
                        if (lo.getAsLong() >= hi.getAsLong()) throw src.error(t, lo.getAsLong() + " should be less than " + hi.getAsLong());
                        first = (int) lo.getAsLong();
                        total = (int) (hi.getAsLong() - lo.getAsLong() + 1);
                        balance = true;
                    }
                }
                case "queue-bypass" -> bypass = true;
                default -> fanout = true;
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (fanout && !balance) throw src.error(at, "NFQUEUE: option \"--queue-cpu-fanout\" also requires \"--queue-balance\".");
            return new Target.Nfqueue(first, total, balance, bypass, fanout);
        }
    }

    static final class TtlTarget extends Ext {
        Target.TtlOperation op;
        int value;

        TtlTarget(Token at) { super(at, "TTL", opts("ttl-set", 1, "ttl-inc", 1, "ttl-dec", 1)); }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            if (op != null) throw src.error(ot, "TTL: option \"--" + o + "\" cannot be used together with \"--ttl-" + op.name().toLowerCase(Locale.ROOT) + "\".");
            op = Target.TtlOperation.valueOf(o.substring(4).toUpperCase(Locale.ROOT));
            value = (int) bounded(a.get(0), op == Target.TtlOperation.SET ? 0 : 1, 255, "TTL", "--" + o, src);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (op == null) throw src.error(at, "TTL: You must specify an action");
            return new Target.Ttl(op, value);
        }
    }

    static final class TosTarget extends Ext {
        int value, mask;

        TosTarget(Token at) { super(at, "TOS", opts("set-tos", 1, "and-tos", 1, "or-tos", 1, "xor-tos", 1)); }
        @Override String canonical(String o) { return "op"; }
        @Override String duplicateMessage(String o) { return "TOS: Cannot specify more than one action"; }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            switch (o) {
                case "set-tos" -> { int[] vm = tosValue(t, src); value = vm[0]; mask = vm[1]; }
                case "and-tos" -> { value = 0; mask = ~byteValue(t, o, src) & 0xff; }
                case "or-tos" -> { value = byteValue(t, o, src); mask = value; }
                default -> { value = byteValue(t, o, src); mask = 0; }
            }
        }
        private static int byteValue(Token t, String o, Source src) throws InputException {
            return (int) bounded(t, 0, 255, "TOS", "--" + o, src);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (seen.isEmpty()) throw src.error(at, "TOS: An action is required");
            return new Target.Tos(value, mask);
        }
    }

    static final class DscpTarget extends Ext {
        int dscp;

        DscpTarget(Token at) { super(at, "DSCP", opts("set-dscp", 1, "set-dscp-class", 1)); }
        @Override String canonical(String o) { return "op"; }
        @Override String duplicateMessage(String o) { return "DSCP target: Only use --set-dscp ONCE!"; }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            dscp = o.equals("set-dscp") ? (int) bounded(a.get(0), 0, 63, "DSCP", "--set-dscp", src) : dscpClass(a.get(0), src);
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (seen.isEmpty()) throw src.error(at, "DSCP target: Parameter --set-dscp is required");
            return new Target.Dscp(dscp);
        }
    }

    /** libxt_SET revision 3 (--map-set is refused: it needs skbinfo extensions vnetlab does not keep). */
    static final class SetTarget extends Ext {
        Optional<Target.SetOperation> add = Optional.empty(), del = Optional.empty();
        boolean exist;
        OptionalLong timeout = OptionalLong.empty();

        SetTarget(Token at) {
            super(at, "SET", opts("add-set", 2, "del-set", 2, "exist", 0, "timeout", 1, "map-set", 2, "map-mark", 0,
                    "map-prio", 0, "map-queue", 0));
        }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            switch (o) {
                case "add-set" -> add = Optional.of(new Target.SetOperation(setName(a.get(0), src), setDirections(a.get(1), src)));
                case "del-set" -> del = Optional.of(new Target.SetOperation(setName(a.get(0), src), setDirections(a.get(1), src)));
                case "exist" -> exist = true;
                case "timeout" -> timeout = OptionalLong.of(bounded(a.get(0), 0, 0xffff_fffeL, "SET", "--timeout", src));
                default -> throw src.error(ot, "SET --" + o + " is not supported by vnetlab", "only --add-set and --del-set are modelled");
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (add.isEmpty() && del.isEmpty()) throw src.error(at, "You must specify either `--add-set' or `--del-set' or `--map-set'");
            return new Target.SetTarget(add, del, exist, timeout);
        }
    }

    // ---------------------------------------------------------------- targets

    static final class Reject extends Ext {
        RejectWith with = RejectWith.DEFAULT;

        Reject(Token at) { super(at, "REJECT", opts("reject-with", 1)); }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            String s = a.get(0).text();
            if (s.equals("echo-reply") || s.equals("echoreply")) {
                throw src.error(a.get(0), "REJECT: --reject-with echo-reply is no longer supported");
            }
            with = RejectWith.of(s).orElseThrow(() -> src.error(a.get(0), "unknown reject type \"" + s + "\"",
                    "icmp-net-unreachable, icmp-host-unreachable, icmp-port-unreachable, icmp-proto-unreachable, "
                            + "icmp-net-prohibited, icmp-host-prohibited, icmp-admin-prohibited or tcp-reset"));
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (with == RejectWith.TCP_RESET && !protoIs(p, 6)) {
                throw src.error(at, "RULE_APPEND failed (Invalid argument): REJECT --reject-with tcp-reset needs -p tcp",
                        "the kernel refuses TCP_RESET for rules that can match non-TCP packets");
            }
            return new Target.Reject(with);
        }
    }

    /** NAT port specifications need a protocol with ports (libxt_MASQUERADE/NAT). */
    static void needPortProtocol(ProtocolFilter p, Token at, Source src) throws InputException {
        int n = p.number();
        if (p.inverted() || !(n == 6 || n == 17 || n == 132 || n == 33 || n == 136)) {
            throw src.error(at, "Need TCP, UDP, SCTP or DCCP with port specification", "add -p tcp or -p udp");
        }
    }

    /** {@code a[-b]} ports of MASQUERADE/REDIRECT. */
    static PortRange natPorts(Token t, String s, Source src) throws InputException {
        int dash = s.indexOf('-');
        int lo = natPort(t, dash < 0 ? s : s.substring(0, dash), src);
        int hi = dash < 0 ? lo : natPort(t, s.substring(dash + 1), src);
        if (hi < lo) throw src.error(t, "Port range `" + s + "' funky");
        return new PortRange(lo, hi);
    }

    private static int natPort(Token t, String s, Source src) throws InputException {
        OptionalLong v = Numbers.strtoul(s, 0, 65535);
        Optional<Integer> svc = Services.port(s, "tcp").or(() -> Services.port(s, "udp"));
        if (v.isPresent() && v.getAsLong() > 0) return (int) v.getAsLong();
        if (v.isEmpty() && svc.isPresent()) return svc.get();
        throw src.error(t, "Port `" + s + "' not valid");
    }

    static final class Masquerade extends Ext {
        Optional<PortRange> ports = Optional.empty();
        Token portsTok;
        boolean random, fully;

        Masquerade(Token at) { super(at, "MASQUERADE", opts("to-ports", 1, "random", 0, "random-fully", 0)); }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            switch (o) {
                case "to-ports" -> {
                    portsTok = a.get(0);
                    ports = Optional.of(natPorts(a.get(0), a.get(0).text(), src));
                }
                case "random" -> random = true;
                default -> fully = true;
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (ports.isPresent()) needPortProtocol(p, portsTok, src);
            return new Target.Masquerade(ports, random, fully);
        }
    }

    /** SNAT/DNAT {@code [addr[-addr]][:port[-port]]}. */
    static NatRange natRange(Token t, ProtocolFilter p, Source src) throws InputException {
        String s = t.text();
        int colon = s.indexOf(':');
        String addr = colon < 0 ? s : s.substring(0, colon);
        Optional<PortRange> ports = Optional.empty();
        if (colon >= 0) {
            needPortProtocol(p, t, src);
            String ps = s.substring(colon + 1);
            int dash = ps.indexOf('-');
            OptionalLong lo = Numbers.strtoul(dash < 0 ? ps : ps.substring(0, dash), 1, 65535);
            OptionalLong hi = dash < 0 ? lo : Numbers.strtoul(ps.substring(dash + 1), 1, 65535);
            if (lo.isEmpty() || hi.isEmpty()) throw src.error(t, "Port `" + ps + "' not valid");
            if (hi.getAsLong() < lo.getAsLong()) throw src.error(t, "Port range `" + ps + "' funky");
            ports = Optional.of(new PortRange((int) lo.getAsLong(), (int) hi.getAsLong()));
        }
        Optional<AddressRange> addrs = Optional.empty();
        if (!addr.isEmpty()) {
            int dash = addr.indexOf('-');
            Ipv4Address first = Addresses.parsePlain(dash < 0 ? addr : addr.substring(0, dash), src, t, "");
            Ipv4Address last = dash < 0 ? first : Addresses.parsePlain(addr.substring(dash + 1), src, t, "");
            addrs = Optional.of(new AddressRange(first, last));
        }
        if (addrs.isEmpty() && ports.isEmpty()) throw src.error(t, "Bad IP address \"" + s + "\"");
        return new NatRange(addrs, ports);
    }

    static final class Snat extends Ext {
        Token to;
        boolean random, fully, persistent;

        Snat(Token at) { super(at, "SNAT", opts("to-source", 1, "random", 0, "random-fully", 0, "persistent", 0)); }
        @Override boolean invertible(String o) { return false; }
        @Override String duplicateMessage(String o) {
            return o.equals("to-source") ? "SNAT: Multiple --to-source not supported" : super.duplicateMessage(o);
        }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) {
            switch (o) {
                case "to-source" -> to = a.get(0);
                case "random" -> random = true;
                case "random-fully" -> fully = true;
                default -> persistent = true;
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (to == null) throw src.error(at, "SNAT: option \"--to-source\" must be specified");
            return new Target.Snat(natRange(to, p, src), random, fully, persistent);
        }
    }

    static final class Dnat extends Ext {
        Token to;
        boolean random, persistent;

        Dnat(Token at) { super(at, "DNAT", opts("to-destination", 1, "random", 0, "persistent", 0)); }
        @Override boolean invertible(String o) { return false; }
        @Override String duplicateMessage(String o) {
            return o.equals("to-destination") ? "DNAT: Multiple --to-destination not supported" : super.duplicateMessage(o);
        }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) {
            switch (o) {
                case "to-destination" -> to = a.get(0);
                case "random" -> random = true;
                default -> persistent = true;
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (to == null) throw src.error(at, "DNAT: option \"--to-destination\" must be specified");
            return new Target.Dnat(natRange(to, p, src), random, persistent);
        }
    }

    static final class Redirect extends Ext {
        Optional<PortRange> ports = Optional.empty();
        Token portsTok;
        boolean random;

        Redirect(Token at) { super(at, "REDIRECT", opts("to-ports", 1, "random", 0)); }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            if (o.equals("random")) {
                random = true;
                return;
            }
            portsTok = a.get(0);
            ports = Optional.of(natPorts(a.get(0), a.get(0).text(), src));
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (ports.isPresent()) needPortProtocol(p, portsTok, src);
            return new Target.Redirect(ports, random);
        }
    }

    static final class Log extends Ext {
        Optional<String> prefix = Optional.empty();
        int level = Target.Log.DEFAULT_LEVEL;
        boolean seq, opt, ipopt, uid, mac;

        Log(Token at) {
            super(at, "LOG", opts("log-level", 1, "log-prefix", 1, "log-tcp-sequence", 0, "log-tcp-options", 0,
                    "log-ip-options", 0, "log-uid", 0, "log-macdecode", 0));
        }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            switch (o) {
                case "log-level" -> level = level(a.get(0), src);
                case "log-prefix" -> {
                    String s = a.get(0).text();
                    if (s.isEmpty()) throw src.error(a.get(0), "Argument must have a minimum length of 1 characters");
                    if (s.length() > 29) throw src.error(a.get(0), "Maximum prefix length 29 for --log-prefix");
                    if (s.indexOf('\n') >= 0) throw src.error(a.get(0), "Newlines not allowed in --log-prefix");
                    prefix = Optional.of(s);
                }
                case "log-tcp-sequence" -> seq = true;
                case "log-tcp-options" -> opt = true;
                case "log-ip-options" -> ipopt = true;
                case "log-uid" -> uid = true;
                default -> mac = true;
            }
        }
        static int level(Token t, Source src) throws InputException {
            OptionalLong n = Numbers.strtoul(t.text(), 0, 7);
            if (n.isPresent()) return (int) n.getAsLong();
            // libxt_LOG's own name table: "err" and "warn" are not in it (iptables rejects them)
            return switch (t.text().toLowerCase(Locale.ROOT)) {
                case "emerg", "panic" -> 0;
                case "alert" -> 1;
                case "crit" -> 2;
                case "error" -> 3;
                case "warning" -> 4;
                case "notice" -> 5;
                case "info" -> 6;
                case "debug" -> 7;
                default -> throw src.error(t, "log-level `" + t.text() + "' unknown", "0-7 or emerg, alert, crit, error, warning, notice, info, debug");
            };
        }
        Object finish(ProtocolFilter p, Source src) { return new Target.Log(prefix, level, seq, opt, ipopt, uid, mac); }
    }

    static final class MarkTarget extends Ext {
        long value, mask;

        MarkTarget(Token at) {
            super(at, "MARK", opts("set-mark", 1, "set-xmark", 1, "and-mark", 1, "or-mark", 1, "xor-mark", 1));
        }
        @Override String canonical(String o) { return "op"; }
        @Override String duplicateMessage(String o) { return "MARK target: Can only specify one of --set-xmark, --set-mark, --and-mark, --or-mark, --xor-mark"; }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.get(0);
            switch (o) {
                case "set-xmark" -> { long[] vm = markMask(t, t.text(), src, "mark"); value = vm[0]; mask = vm[1]; }
                case "set-mark" -> { long[] vm = markMask(t, t.text(), src, "mark"); value = vm[0]; mask = vm[1] | vm[0]; }
                case "and-mark" -> { value = 0; mask = ~u32(t, t.text(), src, "mark") & 0xffff_ffffL; }
                case "or-mark" -> { value = u32(t, t.text(), src, "mark"); mask = value; }
                default -> { value = u32(t, t.text(), src, "mark"); mask = 0; }
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (seen.isEmpty()) throw src.error(at, "MARK target: Parameter --set/and/or/xor-mark is required");
            return new Target.Mark(value, mask);
        }
    }

    static final class ConnmarkTarget extends Ext {
        Target.ConnmarkMode mode;
        long value, ctmask = 0xffff_ffffL, nfmask = 0xffff_ffffL;
        Token maskTok;

        ConnmarkTarget(Token at) {
            super(at, "CONNMARK", opts("set-xmark", 1, "set-mark", 1, "and-mark", 1, "or-mark", 1, "xor-mark", 1, "save-mark", 0,
                    "restore-mark", 0, "ctmask", 1, "nfmask", 1, "mask", 1));
        }
        @Override String canonical(String o) {
            return switch (o) { case "ctmask", "nfmask", "mask" -> o; default -> "op"; };
        }
        @Override String duplicateMessage(String o) { return "CONNMARK target: Can only specify one action"; }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            Token t = a.isEmpty() ? ot : a.get(0);
            switch (o) {
                case "set-xmark" -> { long[] vm = markMask(t, t.text(), src, "mark"); mode = Target.ConnmarkMode.SET; value = vm[0]; ctmask = vm[1]; }
                case "set-mark" -> { long[] vm = markMask(t, t.text(), src, "mark"); mode = Target.ConnmarkMode.SET; value = vm[0]; ctmask = vm[1] | vm[0]; }
                case "and-mark" -> { mode = Target.ConnmarkMode.SET; value = 0; ctmask = ~u32(t, t.text(), src, "mark") & 0xffff_ffffL; }
                case "or-mark" -> { mode = Target.ConnmarkMode.SET; value = u32(t, t.text(), src, "mark"); ctmask = value; }
                case "xor-mark" -> { mode = Target.ConnmarkMode.SET; value = u32(t, t.text(), src, "mark"); ctmask = 0; }
                case "save-mark" -> mode = Target.ConnmarkMode.SAVE;
                case "restore-mark" -> mode = Target.ConnmarkMode.RESTORE;
                case "ctmask" -> { maskTok = t; ctmask = u32(t, t.text(), src, "mask"); }
                case "nfmask" -> { maskTok = t; nfmask = u32(t, t.text(), src, "mask"); }
                default -> { maskTok = t; ctmask = nfmask = u32(t, t.text(), src, "mask"); }
            }
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (mode == null) throw src.error(at, "CONNMARK target: No operation specified");
            if (mode == Target.ConnmarkMode.SET) {
                if (maskTok != null) throw src.error(maskTok, "CONNMARK: --mask/--ctmask/--nfmask only go with --save-mark or --restore-mark");
                return new Target.Connmark(mode, value, ctmask, 0);
            }
            return new Target.Connmark(mode, 0, ctmask, nfmask);
        }
    }

    static final class Checksum extends Ext {
        Checksum(Token at) { super(at, "CHECKSUM", opts("checksum-fill", 0)); }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) { }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (seen.isEmpty()) throw src.error(at, "CHECKSUM target: Parameter --checksum-fill is required");
            return new Target.Checksum();
        }
    }

    static final class Notrack extends Ext {
        Notrack(Token at) { super(at, "NOTRACK", Map.of()); }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) { }
        Object finish(ProtocolFilter p, Source src) { return new Target.Notrack(false); }
    }

    static final class Ct extends Ext {
        static final Set<String> OTHER = Set.of("helper", "ctevents", "expevents", "zone", "zone-orig", "zone-reply",
                "timeout");

        Ct(Token at) {
            super(at, "CT", opts("notrack", 0, "helper", 1, "ctevents", 1, "expevents", 1, "zone", 1, "zone-orig", 1,
                    "zone-reply", 1, "timeout", 1));
        }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            if (OTHER.contains(o)) throw src.error(ot, "CT --" + o + " is not supported by vnetlab", "only -j CT --notrack is modelled");
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (!seen.contains("notrack")) throw src.error(at, "-j CT without --notrack is not supported by vnetlab", "only -j CT --notrack is modelled");
            return new Target.Notrack(true);
        }
    }

    static final class Tcpmss extends Ext {
        boolean clamp;
        int mss;

        Tcpmss(Token at) { super(at, "TCPMSS", opts("set-mss", 1, "clamp-mss-to-pmtu", 0)); }
        @Override String canonical(String o) { return "op"; }
        @Override String duplicateMessage(String o) { return "TCPMSS target: Only one option may be specified"; }
        @Override boolean invertible(String o) { return false; }
        void parse(String o, boolean inv, List<Token> a, Token ot, Source src) throws InputException {
            if (o.equals("clamp-mss-to-pmtu")) {
                clamp = true;
                return;
            }
            OptionalLong v = Numbers.strtoul(a.get(0).text(), 0, 65535 - 40);
            if (v.isEmpty()) throw src.error(a.get(0), "Bad TCPMSS value \"" + a.get(0).text() + "\"");
            mss = (int) v.getAsLong();
        }
        Object finish(ProtocolFilter p, Source src) throws InputException {
            if (seen.isEmpty()) throw src.error(at, "TCPMSS target: At least one parameter is required");
            if (!protoIs(p, 6)) throw src.error(at, "RULE_APPEND failed (Invalid argument): TCPMSS needs -p tcp",
                    "the kernel only accepts TCPMSS in rules restricted to TCP");
            return new Target.Tcpmss(clamp, clamp ? 0 : mss);
        }
    }
}
