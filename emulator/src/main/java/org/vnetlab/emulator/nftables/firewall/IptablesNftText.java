package org.vnetlab.emulator.nftables.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.netfilter.AddressFilter;
import org.vnetlab.emulator.netfilter.AddressRange;
import org.vnetlab.emulator.netfilter.AddressType;
import org.vnetlab.emulator.netfilter.Counter;
import org.vnetlab.emulator.netfilter.CtState;
import org.vnetlab.emulator.netfilter.CtStatus;
import org.vnetlab.emulator.netfilter.Fragment;
import org.vnetlab.emulator.netfilter.InterfaceFilter;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.PortRange;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.Target;

/**
 * One iptables-nft rule as {@code nft list ruleset} prints it, nft 1.0.6 (built with libxtables, as Debian 12
 * ships it) over iptables 1.8.9's nf_tables encoding. iptables-nft encodes the header (interfaces, protocol,
 * addresses, {@code -f}) and the tcp, udp, mark and limit matches as native expressions; every other match and
 * every target but the verdicts goes through the xtables compat layer, and nft prints those with iptables' own
 * translation ("xlate") — which has quirks we keep (a comment prints as nothing, {@code --ctstate SNAT} as
 * {@code ct status snat} whatever else the set holds), or prints {@code xt match NAME} where it has none.
 * Statements are joined by one space, so an empty translation leaves two. A native tcp/udp payload match
 * makes nft drop the {@code meta l4proto} it depends on; an xt one does not.
 *
 * <p>Every form printed here was recorded from the real tools (test resources nftables/iptables-nft). A form
 * not recorded is refused with {@link Unprintable} naming it, never guessed. New match or target kinds go into
 * {@link #MATCHES} / {@link #TARGETS}.
 */
public final class IptablesNftText {
    /** A rule part whose nft 1.0.6 listing vnetlab does not know. */
    public static final class Unprintable extends Exception {
        private static final long serialVersionUID = 1L;

        Unprintable(String what) { super(what); }
    }

    /** How one match kind prints, and whether iptables-nft encodes it natively. */
    private record MatchText(boolean nativePayload, String text) {}

    @FunctionalInterface
    private interface MatchPrinter<M extends Match> {
        MatchText print(M m, Rule r) throws Unprintable;
    }

    @FunctionalInterface
    private interface TargetPrinter<T extends Target> {
        String print(T t) throws Unprintable;
    }

    private record MatchEntry<M extends Match>(Class<M> type, MatchPrinter<M> printer) {
        MatchText print(Match m, Rule r) throws Unprintable { return printer.print(type.cast(m), r); }
    }

    private record TargetEntry<T extends Target>(Class<T> type, TargetPrinter<T> printer) {
        String print(Target t) throws Unprintable { return printer.print(type.cast(t)); }
    }

    private static final List<MatchEntry<?>> MATCHES = List.of(
            new MatchEntry<>(Match.Tcp.class, IptablesNftText::tcp),
            new MatchEntry<>(Match.Udp.class, IptablesNftText::udp),
            new MatchEntry<>(Match.Icmp.class, (m, r) -> xt(icmp(m))),
            new MatchEntry<>(Match.Conntrack.class, (m, r) -> xt(conntrack(m))),
            new MatchEntry<>(Match.State.class, (m, r) -> xt("ct state " + (m.states().inverted() ? "! " : "") + states(m.states().states()))),
            new MatchEntry<>(Match.Multiport.class, IptablesNftText::multiport),
            new MatchEntry<>(Match.Comment.class, (m, r) -> xt("")),
            new MatchEntry<>(Match.AddrType.class, (m, r) -> xt(addrtype(m))),
            new MatchEntry<>(Match.Mark.class, (m, r) -> new MatchText(true, mark(m))),
            new MatchEntry<>(Match.Connmark.class, (m, r) -> xt(connmark(m))),
            new MatchEntry<>(Match.Physdev.class, (m, r) -> xt("xt match physdev")),
            new MatchEntry<>(Match.Limit.class, (m, r) -> new MatchText(true, limit(m))),
            new MatchEntry<>(Match.PktType.class, (m, r) -> xt("pkttype " + (m.inverted() ? "!= " : "") + m.type().iptablesName())),
            new MatchEntry<>(Match.IpRange.class, (m, r) -> xt(iprange(m))),
            new MatchEntry<>(Match.Length.class, (m, r) -> xt("meta length " + (m.inverted() ? "!= " : "") + range(m.min(), m.max()))),
            new MatchEntry<>(Match.Mac.class, (m, r) -> xt("ether saddr " + (m.inverted() ? "!= " : "") + m.source().toString().toLowerCase())),
            new MatchEntry<>(Match.Rpfilter.class, (m, r) -> xt(rpfilter(m))),
            // libxt_recent, libxt_set and libxt_tos have no translation in 1.8.9
            new MatchEntry<>(Match.Recent.class, (m, r) -> xt("xt match recent")),
            new MatchEntry<>(Match.SetMatch.class, (m, r) -> xt("xt match set")),
            new MatchEntry<>(Match.Tos.class, (m, r) -> xt("xt match tos")),
            new MatchEntry<>(Match.Hashlimit.class, (m, r) -> xt(hashlimit(m))),
            new MatchEntry<>(Match.Owner.class, (m, r) -> xt(owner(m))),
            new MatchEntry<>(Match.Ttl.class, (m, r) -> xt("ip ttl " + ttl(m.comparison()) + m.value())),
            new MatchEntry<>(Match.Dscp.class, (m, r) -> xt("ip dscp " + (m.inverted() ? "!= " : "") + hex2(m.dscp()))),
            new MatchEntry<>(Match.Statistic.class, (m, r) -> xt(statistic(m))),
            new MatchEntry<>(Match.Helper.class, (m, r) -> xt("ct helper " + (m.inverted() ? "!= " : "") + "\"" + m.name() + "\"")),
            new MatchEntry<>(Match.TcpMss.class, (m, r) -> xt("tcp option maxseg size " + (m.inverted() ? "!= " : "") + range(m.min(), m.max()))));

    private static final List<TargetEntry<?>> TARGETS = List.of(
            new TargetEntry<>(Target.None.class, t -> ""),
            new TargetEntry<>(Target.Accept.class, t -> "accept"),
            new TargetEntry<>(Target.Drop.class, t -> "drop"),
            new TargetEntry<>(Target.Return.class, t -> "return"),
            new TargetEntry<>(Target.Jump.class, t -> "jump " + t.chain()),
            new TargetEntry<>(Target.Goto.class, t -> "goto " + t.chain()),
            new TargetEntry<>(Target.Reject.class, IptablesNftText::reject),
            new TargetEntry<>(Target.Masquerade.class, t -> "masquerade" + t.toPorts().map(p -> " to :" + ports(p)).orElse("")
                    + flags(t.random(), t.randomFully(), false, t.toPorts().isPresent())),
            new TargetEntry<>(Target.Snat.class, t -> "snat to " + nat(t.to()) + flags(t.random(), t.randomFully(), t.persistent(), false)),
            new TargetEntry<>(Target.Dnat.class, t -> "dnat to " + nat(t.to()) + flags(t.random(), false, t.persistent(), false)),
            new TargetEntry<>(Target.Redirect.class, t -> "redirect" + t.toPorts().map(p -> " to :" + ports(p)).orElse("")
                    + flags(t.random(), false, false, false)),
            new TargetEntry<>(Target.Log.class, IptablesNftText::log),
            new TargetEntry<>(Target.Mark.class, t -> "meta mark set " + xmark(t.value(), t.mask())),
            new TargetEntry<>(Target.Connmark.class, IptablesNftText::connmarkTarget),
            new TargetEntry<>(Target.Checksum.class, t -> "xt target CHECKSUM"),
            new TargetEntry<>(Target.Notrack.class, t -> "notrack"),
            new TargetEntry<>(Target.Tcpmss.class, t -> "tcp option maxseg size set " + (t.clampToPmtu() ? "rt mtu" : Integer.toString(t.mss()))),
            new TargetEntry<>(Target.Nflog.class, IptablesNftText::nflog),
            new TargetEntry<>(Target.Nfqueue.class, IptablesNftText::nfqueue),
            // libipt_TTL and libxt_SET have no translation in 1.8.9
            new TargetEntry<>(Target.Ttl.class, t -> "xt target TTL"),
            new TargetEntry<>(Target.SetTarget.class, t -> "xt target SET"),
            new TargetEntry<>(Target.Tos.class, IptablesNftText::tosTarget),
            new TargetEntry<>(Target.Dscp.class, t -> "ip dscp set " + hex2(t.dscp())));

    private IptablesNftText() {}

    /** The rule's statements as nft prints them, with {@code counter} showing {@code counter}. */
    public static String rule(Rule r, Counter counter) throws Unprintable {
        List<String> parts = new ArrayList<>();
        if (!r.inInterface().isAny()) parts.add("iifname " + iface(r.inInterface()));
        if (!r.outInterface().isAny()) parts.add("oifname " + iface(r.outInterface()));
        List<MatchText> matches = new ArrayList<>();
        for (Match m : r.matches()) matches.add(match(m, r));
        boolean elided = !r.protocol().inverted() && (r.protocol().number() == 6 || r.protocol().number() == 17)
                && r.matches().stream().anyMatch(m -> (m instanceof Match.Tcp || m instanceof Match.Udp) && match(m, r, true));
        if (!r.protocol().isAll() && !elided) parts.add("meta l4proto " + (r.protocol().inverted() ? "!= " : "") + protocol(r.protocol().number()));
        address("saddr", r.source(), parts);
        address("daddr", r.destination(), parts);
        if (r.fragment() == Fragment.LATER_FRAGMENTS) parts.add("ip frag-off & 8191 != 0");
        if (r.fragment() == Fragment.NOT_LATER_FRAGMENTS) parts.add("ip frag-off & 8191 == 0");
        for (MatchText t : matches) parts.add(t.text());
        parts.add("counter packets " + counter.packets() + " bytes " + counter.bytes());
        String target = target(r.target());
        if (!target.isEmpty()) parts.add(target);
        return String.join(" ", parts);
    }

    private static boolean match(Match m, Rule r, boolean nativeOnly) {
        try {
            return match(m, r).nativePayload();
        } catch (Unprintable e) {
            return false;
        }
    }

    private static MatchText match(Match m, Rule r) throws Unprintable {
        for (MatchEntry<?> e : MATCHES) if (e.type().isInstance(m)) return e.print(m, r);
        throw new Unprintable("match -m " + m.module());
    }

    private static String target(Target t) throws Unprintable {
        for (TargetEntry<?> e : TARGETS) if (e.type().isInstance(t)) return e.print(t);
        throw new Unprintable("target -j " + t.name());
    }

    private static MatchText xt(String text) { return new MatchText(false, text); }

    private static String iface(InterfaceFilter f) {
        String n = f.isWildcard() ? f.name().substring(0, f.name().length() - 1) + "*" : f.name();
        return (f.inverted() ? "!= " : "") + "\"" + n + "\"";
    }

    /** nft names protocols from /etc/protocols; only names recorded on Debian 12 are printed. */
    private static final Map<Integer, String> PROTOCOLS = Map.of(1, "icmp", 6, "tcp", 17, "udp", 47, "gre", 50, "esp", 132, "sctp");

    private static String protocol(int n) throws Unprintable {
        String s = PROTOCOLS.get(n);
        if (s == null) throw new Unprintable("-p " + n + " (nft prints the name /etc/protocols gives it)");
        return s;
    }

    private static void address(String field, AddressFilter a, List<String> parts) {
        if (a.isAny()) return;
        String op = a.inverted() ? "!= " : "";
        int len = a.prefixLength();
        if (len < 0) {
            parts.add("ip " + field + " & " + a.mask() + (a.inverted() ? " != " : " == ") + a.address());
        } else {
            parts.add("ip " + field + " " + op + a.address() + (len == 32 ? "" : "/" + len));
        }
    }

    private static String range(long min, long max) { return min == max ? Long.toString(min) : min + "-" + max; }

    private static String ports(PortRange p) { return range(p.first(), p.last()); }

    private static String port(String proto, String field, Match.PortTest t) {
        return proto + " " + field + " " + (t.inverted() ? "!= " : "") + ports(t.range());
    }

    private static MatchText tcp(Match.Tcp m, Rule r) throws Unprintable {
        List<String> p = new ArrayList<>();
        m.sourcePort().ifPresent(t -> p.add(port("tcp", "sport", t)));
        m.destinationPort().ifPresent(t -> p.add(port("tcp", "dport", t)));
        if (m.option().isPresent()) {
            // iptables-nft 1.8.9 cannot encode --tcp-option natively: the whole match is xt, translated
            if (!p.isEmpty()) throw new Unprintable("-m tcp --tcp-option with ports");
            p.add("tcp option " + m.option().get().kind() + (m.option().get().inverted() ? " missing" : " exists"));
            if (m.flags().isPresent()) p.add(tcpFlags(m.flags().get()));
            return xt(String.join(" ", p));
        }
        if (m.flags().isPresent()) p.add(tcpFlags(m.flags().get()));
        return p.isEmpty() ? xt("") : new MatchText(true, String.join(" ", p));
    }

    private static MatchText udp(Match.Udp m, Rule r) {
        List<String> p = new ArrayList<>();
        m.sourcePort().ifPresent(t -> p.add(port("udp", "sport", t)));
        m.destinationPort().ifPresent(t -> p.add(port("udp", "dport", t)));
        return p.isEmpty() ? xt("") : new MatchText(true, String.join(" ", p));
    }

    private static final String[] TCP_FLAGS = {"fin", "syn", "rst", "psh", "ack", "urg"};

    private static String flagNames(int bits) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < TCP_FLAGS.length; i++) if ((bits & (1 << i)) != 0) l.add(TCP_FLAGS[i]);
        return String.join(",", l);
    }

    private static String tcpFlags(Match.TcpFlagsTest f) throws Unprintable {
        if (f.comparison() == 0) {
            if (f.inverted()) throw new Unprintable("! --tcp-flags MASK NONE");
            return "tcp flags ! " + flagNames(f.mask());
        }
        if (f.comparison() == f.mask() && Integer.bitCount(f.mask()) == 1) {
            if (f.inverted()) throw new Unprintable("! --tcp-flags FLAG FLAG");
            return "tcp flags & " + flagNames(f.mask()) + " == " + flagNames(f.comparison());
        }
        return "tcp flags " + (f.inverted() ? "!= " : "") + flagNames(f.comparison()) + " / " + flagNames(f.mask());
    }

    /** nft's ICMP type names (a type with every code); a type with one code has no translation in 1.8.9. */
    private static final Map<Integer, String> ICMP_TYPES = Map.ofEntries(Map.entry(0, "echo-reply"),
            Map.entry(3, "destination-unreachable"), Map.entry(4, "source-quench"), Map.entry(5, "redirect"),
            Map.entry(8, "echo-request"), Map.entry(9, "router-advertisement"), Map.entry(10, "router-solicitation"),
            Map.entry(11, "time-exceeded"), Map.entry(12, "parameter-problem"), Map.entry(13, "timestamp-request"),
            Map.entry(14, "timestamp-reply"), Map.entry(15, "info-request"), Map.entry(16, "info-reply"),
            Map.entry(17, "address-mask-request"), Map.entry(18, "address-mask-reply"));

    private static String icmp(Match.Icmp m) throws Unprintable {
        if (m.isAny()) {
            if (m.inverted()) throw new Unprintable("! --icmp-type any");
            return "ip protocol icmp";
        }
        if (m.codeMin() != 0 || m.codeMax() != 0xff) return "xt match icmp";
        String name = ICMP_TYPES.get(m.type());
        if (name == null) throw new Unprintable("--icmp-type " + m.type());
        return "icmp type " + (m.inverted() ? "!= " : "") + name;
    }

    private static final List<CtState> STATE_ORDER = List.of(CtState.INVALID, CtState.NEW, CtState.RELATED, CtState.ESTABLISHED, CtState.UNTRACKED);

    private static String states(Set<CtState> s) {
        List<String> l = new ArrayList<>();
        for (CtState c : STATE_ORDER) if (s.contains(c)) l.add(c.name().toLowerCase());
        return String.join(",", l);
    }

    private static final List<CtStatus> STATUS_ORDER = List.of(CtStatus.EXPECTED, CtStatus.SEEN_REPLY, CtStatus.ASSURED, CtStatus.CONFIRMED);

    private static String conntrack(Match.Conntrack m) throws Unprintable {
        List<String> p = new ArrayList<>();
        m.direction().ifPresent(d -> p.add("ct direction " + d.name().toLowerCase()));
        m.protocol().ifPresent(t -> p.add("ct original protocol " + (t.inverted() ? "!= " : "") + t.number()));
        if (m.state().isPresent()) {
            Match.StateSet s = m.state().get();
            if (s.states().contains(CtState.SNAT)) {
                p.add("ct status snat"); // libxt_conntrack's translation: other states and the ! are lost
            } else if (s.states().contains(CtState.DNAT)) {
                p.add("ct status dnat");
            } else {
                p.add("ct state " + (s.inverted() ? "! " : "") + states(s.states()));
            }
        }
        if (m.status().isPresent()) {
            Match.StatusSet s = m.status().get();
            List<String> l = new ArrayList<>();
            for (CtStatus c : STATUS_ORDER) if (s.statuses().contains(c)) l.add(c.name().toLowerCase().replace('_', '-'));
            // --ctstatus NONE sets no bit: the translation is the bare keyword
            p.add(("ct status " + (s.inverted() ? "! " : "") + String.join(",", l)).strip());
        }
        boolean addresses = m.origSource().isPresent() || m.origDestination().isPresent() || m.replySource().isPresent()
                || m.replyDestination().isPresent();
        if (m.expire().isPresent() && addresses) throw new Unprintable("--ctexpire with conntrack address tests");
        m.expire().ifPresent(e -> p.add("ct expiration " + (e.inverted() ? "!= " : "") + range(e.min(), e.max())));
        ctAddress("ct original saddr", m.origSource(), p);
        ctAddress("ct original daddr", m.origDestination(), p);
        ctAddress("ct reply saddr", m.replySource(), p);
        ctAddress("ct reply daddr", m.replyDestination(), p);
        m.origSourcePort().ifPresent(t -> p.add("ct original proto-src " + (t.inverted() ? "!= " : "") + ports(t.range())));
        m.origDestinationPort().ifPresent(t -> p.add("ct original proto-dst " + (t.inverted() ? "!= " : "") + ports(t.range())));
        m.replySourcePort().ifPresent(t -> p.add("ct reply proto-src " + (t.inverted() ? "!= " : "") + ports(t.range())));
        m.replyDestinationPort().ifPresent(t -> p.add("ct reply proto-dst " + (t.inverted() ? "!= " : "") + ports(t.range())));
        if (m.direction().isPresent() && m.protocol().isPresent()) throw new Unprintable("--ctdir with --ctproto");
        return String.join(" ", p);
    }

    private static void ctAddress(String field, Optional<AddressFilter> a, List<String> p) throws Unprintable {
        if (a.isEmpty()) return;
        int len = a.get().prefixLength();
        if (len < 0) throw new Unprintable(field + " with a non-contiguous mask");
        p.add(field + " " + (a.get().inverted() ? "!= " : "") + a.get().address() + (len == 32 ? "" : "/" + len));
    }

    private static MatchText multiport(Match.Multiport m, Rule r) throws Unprintable {
        String proto = r.protocol().number() == 6 && !r.protocol().inverted() ? "tcp"
                : r.protocol().number() == 17 && !r.protocol().inverted() ? "udp" : null;
        if (proto == null) throw new Unprintable("-m multiport without -p tcp or -p udp");
        List<String> elems = new ArrayList<>();
        for (PortRange p : m.ports()) elems.add(ports(p));
        String op = m.inverted() ? "!= " : "";
        if (m.kind() == Match.MultiportKind.EITHER) {
            if (m.inverted()) throw new Unprintable("! --ports");
            List<String> pairs = new ArrayList<>();
            for (String e : elems) {
                pairs.add("0-65535 . " + e);
                pairs.add(e + " . 0-65535");
            }
            return xt(proto + " sport . " + proto + " dport { " + String.join(", ", pairs) + " }");
        }
        String field = m.kind() == Match.MultiportKind.SOURCE ? "sport" : "dport";
        String set = elems.size() == 1 ? elems.get(0) : "{ " + String.join(", ", elems) + " }";
        return xt(proto + " " + field + " " + op + set);
    }

    private static String addrtype(Match.AddrType m) throws Unprintable {
        if (m.source().isPresent() && m.destination().isPresent()) throw new Unprintable("-m addrtype with both --src-type and --dst-type");
        boolean src = m.source().isPresent();
        Match.AddressTypes t = src ? m.source().get() : m.destination().orElseThrow(() -> new Unprintable("-m addrtype without types"));
        String key = src ? "saddr" : "daddr";
        if (m.limitIfaceIn()) key += " . iif";
        if (m.limitIfaceOut()) key += " . oif";
        List<String> names = new ArrayList<>();
        for (AddressType a : AddressType.values()) if (t.types().contains(a)) names.add(a.name().toLowerCase());
        String set = names.size() == 1 ? names.get(0) : "{ " + String.join(", ", names) + " }";
        return "fib " + key + " type " + (t.inverted() ? "!= " : "") + set;
    }

    private static String mark(Match.Mark m) {
        if (m.mask() == 0xffff_ffffL) return "meta mark " + (m.inverted() ? "!= " : "") + hex8(m.value());
        return "meta mark & " + hex8(m.mask()) + (m.inverted() ? " != " : " == ") + hex8(m.value());
    }

    private static String connmark(Match.Connmark m) throws Unprintable {
        if (m.mask() == 0xffff_ffffL) return "ct mark " + (m.inverted() ? "!= " : "") + hex(m.value());
        if (m.inverted()) throw new Unprintable("-m connmark ! --mark VALUE/MASK");
        return "ct mark and " + hex(m.mask()) + " == " + hex(m.value());
    }

    private static final long[] LIMIT_UNITS = {Match.Limit.SCALE * 86400, Match.Limit.SCALE * 3600, Match.Limit.SCALE * 60, Match.Limit.SCALE};
    private static final String[] LIMIT_NAMES = {"day", "hour", "minute", "second"};

    /** iptables-nft's unit choice: the first unit (from days down) one step below which the rate stops being exact. */
    private static String limit(Match.Limit m) {
        int i = 1;
        for (; i < LIMIT_UNITS.length; i++) {
            if (m.period() > LIMIT_UNITS[i] || LIMIT_UNITS[i] / m.period() < LIMIT_UNITS[i] % m.period()) break;
        }
        String s = "limit rate " + LIMIT_UNITS[i - 1] / m.period() + "/" + LIMIT_NAMES[i - 1];
        return m.burst() == Match.Limit.DEFAULT_BURST || m.burst() == 0 ? s : s + " burst " + m.burst() + " packets";
    }

    private static String iprange(Match.IpRange m) {
        List<String> p = new ArrayList<>();
        m.source().ifPresent(t -> p.add("ip saddr " + (t.inverted() ? "!= " : "") + range(t.range())));
        m.destination().ifPresent(t -> p.add("ip daddr " + (t.inverted() ? "!= " : "") + range(t.range())));
        return String.join(" ", p);
    }

    private static String range(AddressRange r) { return r.first() + "-" + r.last(); }

    private static String rpfilter(Match.Rpfilter m) throws Unprintable {
        if (m.acceptLocal()) return "xt match rpfilter";
        if (m.validMark()) {
            if (m.loose() || m.invert()) throw new Unprintable("-m rpfilter --validmark with --loose or --invert");
            return "fib saddr . mark . iif oif != 0";
        }
        if (!m.loose() && !m.invert()) return "fib saddr . iif oif != 0";
        if (m.loose() && m.invert()) return "fib saddr oif 0";
        throw new Unprintable("-m rpfilter " + (m.loose() ? "--loose" : "--invert") + " alone");
    }

    private static String reject(Target.Reject t) {
        return switch (t.with()) {
            case ICMP_PORT_UNREACHABLE -> "reject";
            case TCP_RESET -> "reject with tcp reset";
            case ICMP_PROTO_UNREACHABLE -> "reject with icmp type prot-unreachable";
            default -> "reject with icmp type " + t.with().iptablesName().substring("icmp-".length());
        };
    }

    private static String nat(org.vnetlab.emulator.netfilter.NatRange to) {
        String a = to.addresses().map(r -> r.isSingle() ? r.first().toString() : range(r)).orElse("");
        return a + to.ports().map(p -> ":" + ports(p)).orElse("");
    }

    private static String flags(boolean random, boolean fully, boolean persistent, boolean withPorts) throws Unprintable {
        List<String> l = new ArrayList<>();
        if (random) l.add("random");
        if (fully) l.add("fully-random");
        if (persistent) l.add("persistent");
        if (l.isEmpty()) return "";
        if (withPorts || (random && fully)) throw new Unprintable("NAT flags " + String.join(",", l) + (withPorts ? " with --to-ports" : ""));
        return " " + String.join(",", l);
    }

    private static final Map<Integer, String> LOG_LEVELS = Map.of(0, "emerg", 1, "alert", 2, "crit", 3, "err", 5, "notice", 6, "info", 7, "debug");

    private static String log(Target.Log t) throws Unprintable {
        StringBuilder sb = new StringBuilder("log");
        t.prefix().ifPresent(p -> sb.append(" prefix \"").append(p).append('"'));
        if (t.level() != Target.Log.DEFAULT_LEVEL) sb.append(" level ").append(LOG_LEVELS.get(t.level()));
        boolean all = t.tcpSequence() && t.tcpOptions() && t.ipOptions() && t.uid() && t.macDecode();
        boolean none = !(t.tcpSequence() || t.tcpOptions() || t.ipOptions() || t.uid() || t.macDecode());
        if (all) sb.append(" flags all");
        else if (!none) throw new Unprintable("-j LOG with some of the --log-* flags");
        return sb.toString();
    }

    /** MARK revision 2's translation of {@code mark = (mark & ~mask) ^ value}. */
    private static String xmark(long value, long mask) {
        if (mask == 0xffff_ffffL) return hex(value);
        long keep = ~mask & 0xffff_ffffL;
        if (value == 0) return "mark and " + hex(keep);
        if (value == mask) return "mark or " + hex(value);
        if (mask == 0) return "mark xor " + hex(value);
        return "mark and " + hex(keep) + " xor " + hex(value);
    }

    private static String connmarkTarget(Target.Connmark t) throws Unprintable {
        long all = 0xffff_ffffL;
        return switch (t.mode()) {
            case SET -> t.ctmask() == all ? "ct mark set " + hex(t.value())
                    : "ct mark set ct mark xor " + hex(t.value()) + " and " + hex(~t.ctmask() & all);
            case SAVE -> {
                if (t.nfmask() == all && t.ctmask() == all) yield "ct mark set mark";
                if (t.nfmask() == t.ctmask()) yield "ct mark set mark and " + hex(t.nfmask());
                throw new Unprintable("-j CONNMARK --save-mark with different --nfmask and --ctmask");
            }
            case RESTORE -> {
                if (t.nfmask() == all && t.ctmask() == all) yield "meta mark set ct mark";
                throw new Unprintable("-j CONNMARK --restore-mark with masks");
            }
        };
    }

    private static String ttl(Match.TtlComparison c) {
        return switch (c) {
            case EQ -> "";
            case NE -> "!= ";
            case LT -> "lt ";
            case GT -> "gt ";
        };
    }

    /** libxt_owner translates one uid or gid test alone; with any other option the match stays xt. */
    private static String owner(Match.Owner m) {
        if (m.socketExists() != Match.FlagTest.ABSENT || m.supplementaryGroups() || m.uid().isPresent() == m.gid().isPresent()) {
            return "xt match owner";
        }
        Match.IdRange id = m.uid().isPresent() ? m.uid().get() : m.gid().get();
        return (m.uid().isPresent() ? "skuid " : "skgid ") + (id.inverted() ? "!= " : "") + range(id.min(), id.max());
    }

    /** libxt_statistic: random against a 31-bit random number, nth as an incrementing counter modulo every. */
    private static String statistic(Match.Statistic m) {
        if (m.nth()) return "numgen inc mod " + m.every() + " " + (m.inverted() ? "!= " : "") + m.packet();
        return "meta random & 2147483647 " + (m.inverted() ? ">= " : "< ") + m.probability();
    }

    private static final long[] HASHLIMIT_UNITS = {86400, 3600, 60, 1};

    /**
     * libxt_hashlimit's translation, a meter: the key in the order daddr, dport, saddr, sport (ports always
     * spelled {@code tcp}, whatever the rule's protocol), masks as {@code and NETMASK}, the expiry unless it is
     * one second, the burst unless it is the default. Without --hashlimit-mode there is no translation.
     */
    private static String hashlimit(Match.Hashlimit m) throws Unprintable {
        if (m.mode() == 0) return "xt match hashlimit";
        List<String> key = new ArrayList<>();
        if ((m.mode() & Match.Hashlimit.DST_IP) != 0) key.add("ip daddr" + netmask(m.dstmask()));
        if ((m.mode() & Match.Hashlimit.DST_PORT) != 0) key.add("tcp dport");
        if ((m.mode() & Match.Hashlimit.SRC_IP) != 0) key.add("ip saddr" + netmask(m.srcmask()));
        if ((m.mode() & Match.Hashlimit.SRC_PORT) != 0) key.add("tcp sport");
        StringBuilder sb = new StringBuilder("meter " + m.name() + " { " + String.join(" . ", key) + " ");
        if (m.expire() != 1000) {
            if (m.expire() % 1000 != 0) throw new Unprintable("-m hashlimit --hashlimit-htable-expire " + m.expire() + " (not whole seconds)");
            sb.append("timeout ").append(m.expire() / 1000).append("s ");
        }
        int i = 1;
        for (; i < HASHLIMIT_UNITS.length; i++) {
            long mult = HASHLIMIT_UNITS[i] * Match.Hashlimit.SCALE;
            if (m.avg() > mult || mult / m.avg() < mult % m.avg()) break;
        }
        sb.append("limit rate ").append(m.above() ? "over " : "").append(HASHLIMIT_UNITS[i - 1] * Match.Hashlimit.SCALE / m.avg())
                .append('/').append(LIMIT_NAMES[i - 1]);
        if (m.burst() != Match.Hashlimit.DEFAULT_BURST) sb.append(" burst ").append(m.burst()).append(" packets");
        return sb.append(" }").toString();
    }

    private static String netmask(int len) {
        if (len == 32) return "";
        long mask = len == 0 ? 0 : (0xffff_ffffL << (32 - len)) & 0xffff_ffffL;
        return " and " + (mask >>> 24) + "." + ((mask >>> 16) & 0xff) + "." + ((mask >>> 8) & 0xff) + "." + (mask & 0xff);
    }

    private static String nflog(Target.Nflog t) {
        StringBuilder sb = new StringBuilder("log");
        t.prefix().ifPresent(p -> sb.append(" prefix \"").append(p).append('"'));
        sb.append(" group ").append(t.group());
        t.size().ifPresent(n -> sb.append(" snaplen ").append(n));
        if (t.threshold() != 0) sb.append(" queue-threshold ").append(t.threshold());
        return sb.toString();
    }

    private static String nfqueue(Target.Nfqueue t) {
        String num = t.balance() ? t.first() + "-" + (t.first() + t.total() - 1) : Integer.toString(t.first());
        List<String> flags = new ArrayList<>();
        if (t.bypass()) flags.add("bypass");
        if (t.cpuFanout()) flags.add("fanout");
        return "queue num " + num + (flags.isEmpty() ? "" : " " + String.join(",", flags));
    }

    /**
     * libxt_TOS's translation as nft 1.0.6 prints it: it writes the IPv6 traffic class ({@code ip6 dscp}) even in
     * an ip table, and on the DSCP scale (the TOS bits shifted right by two): set, and/or/xor as MARK does.
     */
    private static String tosTarget(Target.Tos t) {
        int value = t.value() >> 2;
        int keep = (~t.mask() & 0xff) >> 2;
        String v = hex2(value);
        if (t.mask() == 0xff || t.mask() == 0x3f) return "ip6 dscp set " + v;
        if (t.value() == 0) return "ip6 dscp set ip6 dscp and " + hex2(keep);
        if (t.value() == t.mask()) return "ip6 dscp set ip6 dscp or " + v;
        if (t.mask() == 0) return "ip6 dscp set ip6 dscp xor " + v;
        return "ip6 dscp set ip6 dscp and " + hex2(keep) + " xor " + v;
    }

    private static String hex2(int v) { return String.format("0x%02x", v); }

    private static String hex(long v) { return "0x" + Long.toHexString(v); }

    private static String hex8(long v) { return String.format("0x%08x", v); }
}
