package org.vnetlab.emulator.netfilter;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * A rule's canonical words, exactly as iptables 1.8.9's iptables-save prints them after {@code -A CHAIN}:
 * header ({@code -s -d -i -o -p -f}), then each match as {@code -m NAME options} in rule order, then
 * {@code -j TARGET options} (or {@code -g CHAIN}). Option order and number formats follow each extension's
 * save function (libxt_tcp, libxt_conntrack, libipt_REJECT, ...).
 */
public final class RuleText {
    private RuleText() {}

    /** The rule spec without the leading {@code -A CHAIN}. */
    public static String format(Rule r) {
        String head = formatMatches(r), tail = formatTarget(r.target());
        return head.isEmpty() ? tail : tail.isEmpty() ? head : head + " " + tail;
    }

    /** The header filters and matches, without the target (iptables -S -v puts {@code -c P B} between them). */
    public static String formatMatches(Rule r) {
        StringBuilder sb = new StringBuilder();
        address(sb, "-s", r.source());
        address(sb, "-d", r.destination());
        iface(sb, "-i", r.inInterface());
        iface(sb, "-o", r.outInterface());
        ProtocolFilter p = r.protocol();
        if (p.number() != 0 || p.inverted()) {
            word(sb, p.inverted() ? "! -p" : "-p");
            word(sb, protocolName(p.number()));
        }
        if (r.fragment() == Fragment.LATER_FRAGMENTS) word(sb, "-f");
        if (r.fragment() == Fragment.NOT_LATER_FRAGMENTS) word(sb, "! -f");
        for (Match m : r.matches()) {
            word(sb, "-m " + m.module());
            match(sb, m);
        }
        return sb.toString();
    }

    /** {@code -j TARGET options}, {@code -g CHAIN}, or "" for a rule without target. */
    public static String formatTarget(Target t) {
        StringBuilder sb = new StringBuilder();
        target(sb, t);
        return sb.toString();
    }

    /** The protocol as iptables-save names it: its built-in names, then /etc/protocols, else the number. */
    public static String protocolName(int number) {
        if (number == 0) return "all";
        return IpProtocols.name(number).orElse(Integer.toString(number));
    }

    /** {@code a.b.c.d/len}, or a dotted mask when it is not contiguous (as iptables prints it). */
    public static String addressWithMask(AddressFilter a) {
        int len = a.prefixLength();
        return a.address() + "/" + (len >= 0 ? Integer.toString(len) : a.mask().toString());
    }

    /** Conntrack's form: no {@code /32}. */
    public static String addressWithShortMask(AddressFilter a) {
        return a.prefixLength() == 32 ? a.address().toString() : addressWithMask(a);
    }

    /**
     * A string argument as xtables_save_string writes it: bare if it is only letters, digits, '_' and '-',
     * else in double quotes with {@code " \ '} escaped by a backslash.
     */
    public static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> c == '_' || c == '-' || (c >= '0' && c <= '9')
                || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return s;
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\' || c == '\'') sb.append('\\');
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    public static String hex(long v) { return "0x" + Long.toHexString(v); }

    private static void address(StringBuilder sb, String opt, AddressFilter a) {
        if (a.mask().bits() == 0 && !a.inverted()) return;
        word(sb, (a.inverted() ? "! " : "") + opt + " " + addressWithMask(a));
    }

    private static void iface(StringBuilder sb, String opt, InterfaceFilter f) {
        if (f.isAny()) return;
        word(sb, (f.inverted() ? "! " : "") + opt + " " + f.name());
    }

    private static void word(StringBuilder sb, String w) {
        if (sb.length() > 0) sb.append(' ');
        sb.append(w);
    }

    private static String inv(boolean inverted) { return inverted ? "! " : ""; }

    private static String ports(PortRange r, char sep) {
        return r.isSingle() ? Integer.toString(r.first()) : r.first() + String.valueOf(sep) + r.last();
    }

    private static <E extends Enum<E>> String names(Set<E> set, Class<E> type) {
        StringJoiner j = new StringJoiner(",");
        for (E e : EnumSet.copyOf(set)) j.add(e.name());
        return j.toString();
    }

    private static void port(StringBuilder sb, String opt, Optional<Match.PortTest> t) {
        t.ifPresent(p -> word(sb, inv(p.inverted()) + opt + " " + ports(p.range(), ':')));
    }

    static String tcpFlags(int flags) {
        if (flags == 0) return "NONE";
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < names.length; i++) if ((flags & (1 << i)) != 0) j.add(names[i]);
        return j.toString();
    }

    private static void match(StringBuilder sb, Match m) {
        if (m instanceof Match.Tcp t) {
            port(sb, "--sport", t.sourcePort());
            port(sb, "--dport", t.destinationPort());
            t.option().ifPresent(o -> word(sb, inv(o.inverted()) + "--tcp-option " + o.kind()));
            t.flags().ifPresent(f -> word(sb, inv(f.inverted()) + "--tcp-flags " + tcpFlags(f.mask()) + " "
                    + tcpFlags(f.comparison())));
        } else if (m instanceof Match.Udp u) {
            port(sb, "--sport", u.sourcePort());
            port(sb, "--dport", u.destinationPort());
        } else if (m instanceof Match.Icmp i) {
            String type = i.isAny() ? "any"
                    : i.type() + (i.codeMin() != 0 || i.codeMax() != 0xff ? "/" + i.codeMin() : "");
            word(sb, inv(i.inverted()) + "--icmp-type " + type);
        } else if (m instanceof Match.Conntrack c) {
            c.state().ifPresent(s -> word(sb, inv(s.inverted()) + "--ctstate " + names(s.states(), CtState.class)));
            c.protocol().ifPresent(p -> word(sb, inv(p.inverted()) + "--ctproto " + p.number()));
            ctAddress(sb, "--ctorigsrc", c.origSource());
            ctAddress(sb, "--ctorigdst", c.origDestination());
            ctAddress(sb, "--ctreplsrc", c.replySource());
            ctAddress(sb, "--ctrepldst", c.replyDestination());
            port(sb, "--ctorigsrcport", c.origSourcePort());
            port(sb, "--ctorigdstport", c.origDestinationPort());
            port(sb, "--ctreplsrcport", c.replySourcePort());
            port(sb, "--ctrepldstport", c.replyDestinationPort());
            c.status().ifPresent(s -> word(sb, inv(s.inverted()) + "--ctstatus " + names(s.statuses(), CtStatus.class)));
            c.expire().ifPresent(e -> word(sb, inv(e.inverted()) + "--ctexpire " + e.min()
                    + (e.min() == e.max() ? "" : ":" + e.max())));
            c.direction().ifPresent(d -> word(sb, "--ctdir " + d.name()));
        } else if (m instanceof Match.State s) {
            word(sb, inv(s.states().inverted()) + "--state " + names(s.states().states(), CtState.class));
        } else if (m instanceof Match.Multiport mp) {
            StringJoiner j = new StringJoiner(",");
            for (PortRange r : mp.ports()) j.add(ports(r, ':'));
            word(sb, inv(mp.inverted()) + mp.kind().option() + " " + j);
        } else if (m instanceof Match.Comment c) {
            word(sb, "--comment " + quote(c.text()));
        } else if (m instanceof Match.AddrType a) {
            a.source().ifPresent(t -> word(sb, inv(t.inverted()) + "--src-type " + names(t.types(), AddressType.class)));
            a.destination().ifPresent(t -> word(sb, inv(t.inverted()) + "--dst-type " + names(t.types(), AddressType.class)));
            if (a.limitIfaceIn()) word(sb, "--limit-iface-in");
            if (a.limitIfaceOut()) word(sb, "--limit-iface-out");
        } else if (m instanceof Match.Mark k) {
            word(sb, inv(k.inverted()) + "--mark " + markValue(k.value(), k.mask()));
        } else if (m instanceof Match.Connmark k) {
            word(sb, inv(k.inverted()) + "--mark " + markValue(k.value(), k.mask()));
        } else if (m instanceof Match.Physdev p) {
            flag(sb, "--physdev-is-in", p.isIn());
            p.in().ifPresent(f -> word(sb, inv(f.inverted()) + "--physdev-in " + f.name()));
            flag(sb, "--physdev-is-out", p.isOut());
            p.out().ifPresent(f -> word(sb, inv(f.inverted()) + "--physdev-out " + f.name()));
            flag(sb, "--physdev-is-bridged", p.isBridged());
        } else if (m instanceof Match.Limit l) {
            word(sb, "--limit " + rate(l.period()));
            if (l.burst() != Match.Limit.DEFAULT_BURST) word(sb, "--limit-burst " + l.burst());
        } else if (m instanceof Match.PktType p) {
            word(sb, inv(p.inverted()) + "--pkt-type " + p.type().iptablesName());
        } else if (m instanceof Match.IpRange r) {
            r.source().ifPresent(t -> word(sb, inv(t.inverted()) + "--src-range " + t.range().first() + "-" + t.range().last()));
            r.destination().ifPresent(t -> word(sb, inv(t.inverted()) + "--dst-range " + t.range().first() + "-" + t.range().last()));
        } else if (m instanceof Match.Length l) {
            word(sb, inv(l.inverted()) + "--length " + l.min() + (l.min() == l.max() ? "" : ":" + l.max()));
        } else if (m instanceof Match.Mac mac) {
            word(sb, inv(mac.inverted()) + "--mac-source " + mac.source());
        } else if (m instanceof Match.Rpfilter r) {
            if (r.loose()) word(sb, "--loose");
            if (r.validMark()) word(sb, "--validmark");
            if (r.acceptLocal()) word(sb, "--accept-local");
            if (r.invert()) word(sb, "--invert");
        } else if (m instanceof Match.Recent r) {
            word(sb, inv(r.inverted()) + r.command().option());
            if (r.seconds() != 0) word(sb, "--seconds " + r.seconds());
            if (r.reap()) word(sb, "--reap");
            if (r.hitcount() != 0) word(sb, "--hitcount " + r.hitcount());
            if (r.rttl()) word(sb, "--rttl");
            // libxt_recent prints the name raw, not through xtables_save_string
            word(sb, "--name " + r.name());
            word(sb, "--mask " + r.mask());
            word(sb, r.rdest() ? "--rdest" : "--rsource");
        } else if (m instanceof Match.SetMatch s) {
            word(sb, inv(s.inverted()) + "--match-set " + s.name() + " " + directions(s.directions()));
            if (s.returnNomatch()) word(sb, "--return-nomatch");
            if (s.noUpdateCounters()) word(sb, "! --update-counters");
            if (s.noUpdateSubcounters()) word(sb, "! --update-subcounters");
        } else if (m instanceof Match.Hashlimit h) {
            long unit = hashlimitUnit(h.avg());
            word(sb, (h.above() ? "--hashlimit-above " : "--hashlimit-upto ") + hashlimitRate(h.avg()));
            word(sb, "--hashlimit-burst " + h.burst());
            if (h.mode() != 0) word(sb, "--hashlimit-mode " + hashlimitMode(h.mode()));
            word(sb, "--hashlimit-name " + h.name());
            if (h.size() != 0) word(sb, "--hashlimit-htable-size " + h.size());
            if (h.max() != 0) word(sb, "--hashlimit-htable-max " + h.max());
            if (h.gcInterval() != Match.Hashlimit.DEFAULT_GC_INTERVAL) word(sb, "--hashlimit-htable-gcinterval " + h.gcInterval());
            // the expiry a rate of this unit gets by default is left out
            if (h.expire() != unit * 1000) word(sb, "--hashlimit-htable-expire " + h.expire());
            if (h.srcmask() != 32) word(sb, "--hashlimit-srcmask " + h.srcmask());
            if (h.dstmask() != 32) word(sb, "--hashlimit-dstmask " + h.dstmask());
        } else if (m instanceof Match.Owner o) {
            flag(sb, "--socket-exists", o.socketExists());
            o.uid().ifPresent(r -> word(sb, inv(r.inverted()) + "--uid-owner " + idRange(r)));
            o.gid().ifPresent(r -> word(sb, inv(r.inverted()) + "--gid-owner " + idRange(r)));
            if (o.supplementaryGroups()) word(sb, "--suppl-groups");
        } else if (m instanceof Match.Ttl t) {
            word(sb, t.comparison().text() + " " + t.value());
        } else if (m instanceof Match.Tos t) {
            word(sb, inv(t.inverted()) + String.format("--tos 0x%02x/0x%02x", t.value(), t.mask()));
        } else if (m instanceof Match.Dscp d) {
            word(sb, inv(d.inverted()) + String.format("--dscp 0x%02x", d.dscp()));
        } else if (m instanceof Match.Statistic s) {
            if (s.nth()) {
                word(sb, "--mode nth " + inv(s.inverted()) + "--every " + s.every() + " --packet " + s.packet());
            } else {
                word(sb, "--mode random " + inv(s.inverted()) + "--probability "
                        + String.format(java.util.Locale.ROOT, "%.11f", (double) s.probability() / Match.Statistic.ONE));
            }
        } else if (m instanceof Match.Helper h) {
            word(sb, inv(h.inverted()) + "--helper " + (h.name().isEmpty() ? "\"\"" : quote(h.name())));
        } else if (m instanceof Match.TcpMss t) {
            word(sb, inv(t.inverted()) + "--mss " + t.min() + (t.min() == t.max() ? "" : ":" + t.max()));
        } else {
            throw new IllegalStateException("unhandled match " + m);
        }
    }

    private static String directions(java.util.List<Match.SetDirection> dirs) {
        StringJoiner j = new StringJoiner(",");
        for (Match.SetDirection d : dirs) j.add(d.name().toLowerCase(java.util.Locale.ROOT));
        return j.toString();
    }

    private static String idRange(Match.IdRange r) { return r.min() + (r.min() == r.max() ? "" : "-" + r.max()); }

    /** libxt_hashlimit's print_mode order. */
    static String hashlimitMode(int mode) {
        StringJoiner j = new StringJoiner(",");
        if ((mode & Match.Hashlimit.SRC_IP) != 0) j.add("srcip");
        if ((mode & Match.Hashlimit.SRC_PORT) != 0) j.add("srcport");
        if ((mode & Match.Hashlimit.DST_IP) != 0) j.add("dstip");
        if ((mode & Match.Hashlimit.DST_PORT) != 0) j.add("dstport");
        return j.toString();
    }

    private static final long[] HL_UNITS = {86400, 3600, 60, 1};
    private static final String[] HL_NAMES = {"day", "hour", "min", "sec"};

    /** print_rate's unit choice (as libxt_limit's, on the 10^6 scale): index into HL_UNITS. */
    private static int hashlimitUnitIndex(long avg) {
        int i;
        for (i = 1; i < HL_UNITS.length; i++) {
            long mult = HL_UNITS[i] * Match.Hashlimit.SCALE;
            if (avg > mult || mult / avg < mult % avg) break;
        }
        return i - 1;
    }

    static long hashlimitUnit(long avg) { return HL_UNITS[hashlimitUnitIndex(avg)]; }

    /** The --hashlimit-htable-expire that iptables-save leaves out for this rate: one unit of the rate as printed. */
    public static long hashlimitExpireDefault(long avg) { return hashlimitUnit(avg) * 1000; }

    static String hashlimitRate(long avg) {
        int i = hashlimitUnitIndex(avg);
        return (HL_UNITS[i] * Match.Hashlimit.SCALE / avg) + "/" + HL_NAMES[i];
    }

    private static void ctAddress(StringBuilder sb, String opt, Optional<AddressFilter> a) {
        a.ifPresent(f -> word(sb, inv(f.inverted()) + opt + " " + addressWithShortMask(f)));
    }

    private static void flag(StringBuilder sb, String opt, Match.FlagTest t) {
        if (t == Match.FlagTest.SET) word(sb, opt);
        if (t == Match.FlagTest.NOT_SET) word(sb, "! " + opt);
    }

    static String markValue(long value, long mask) {
        return hex(value) + (mask == 0xffff_ffffL ? "" : "/" + hex(mask));
    }

    /** libxt_limit's print_rate: the largest unit that still shows the rate without losing much. */
    public static String rate(long period) {
        long[] mult = {Match.Limit.SCALE * 86400, Match.Limit.SCALE * 3600, Match.Limit.SCALE * 60, Match.Limit.SCALE};
        String[] name = {"day", "hour", "min", "sec"};
        int i;
        for (i = 1; i < mult.length; i++) {
            if (period > mult[i] || mult[i] / period < mult[i] % period) break;
        }
        return (mult[i - 1] / period) + "/" + name[i - 1];
    }

    private static void target(StringBuilder sb, Target t) {
        if (t instanceof Target.None) return;
        if (t instanceof Target.Goto g) {
            word(sb, "-g " + g.chain());
            return;
        }
        word(sb, "-j " + t.name());
        if (t instanceof Target.Reject r) {
            word(sb, "--reject-with " + r.with().iptablesName());
        } else if (t instanceof Target.Masquerade m) {
            m.toPorts().ifPresent(p -> word(sb, "--to-ports " + ports(p, '-')));
            if (m.random()) word(sb, "--random");
            if (m.randomFully()) word(sb, "--random-fully");
        } else if (t instanceof Target.Snat s) {
            word(sb, "--to-source " + natRange(s.to()));
            if (s.random()) word(sb, "--random");
            if (s.randomFully()) word(sb, "--random-fully");
            if (s.persistent()) word(sb, "--persistent");
        } else if (t instanceof Target.Dnat d) {
            word(sb, "--to-destination " + natRange(d.to()));
            if (d.random()) word(sb, "--random");
            if (d.persistent()) word(sb, "--persistent");
        } else if (t instanceof Target.Redirect r) {
            r.toPorts().ifPresent(p -> word(sb, "--to-ports " + ports(p, '-')));
            if (r.random()) word(sb, "--random");
        } else if (t instanceof Target.Log l) {
            l.prefix().ifPresent(p -> word(sb, "--log-prefix " + quote(p)));
            if (l.level() != Target.Log.DEFAULT_LEVEL) word(sb, "--log-level " + l.level());
            if (l.tcpSequence()) word(sb, "--log-tcp-sequence");
            if (l.tcpOptions()) word(sb, "--log-tcp-options");
            if (l.ipOptions()) word(sb, "--log-ip-options");
            if (l.uid()) word(sb, "--log-uid");
            if (l.macDecode()) word(sb, "--log-macdecode");
        } else if (t instanceof Target.Mark m) {
            word(sb, "--set-xmark " + hex(m.value()) + "/" + hex(m.mask()));
        } else if (t instanceof Target.Connmark c) {
            switch (c.mode()) {
                case SET -> word(sb, "--set-xmark " + hex(c.value()) + "/" + hex(c.ctmask()));
                case SAVE -> word(sb, "--save-mark --nfmask " + hex(c.nfmask()) + " --ctmask " + hex(c.ctmask()));
                case RESTORE -> word(sb, "--restore-mark --nfmask " + hex(c.nfmask()) + " --ctmask " + hex(c.ctmask()));
            }
        } else if (t instanceof Target.Checksum) {
            word(sb, "--checksum-fill");
        } else if (t instanceof Target.Notrack n) {
            if (n.viaCt()) word(sb, "--notrack");
        } else if (t instanceof Target.Tcpmss m) {
            word(sb, m.clampToPmtu() ? "--clamp-mss-to-pmtu" : "--set-mss " + m.mss());
        } else if (t instanceof Target.Nflog n) {
            n.prefix().ifPresent(p -> word(sb, "--nflog-prefix " + quote(p)));
            if (n.group() != 0) word(sb, "--nflog-group " + n.group());
            n.size().ifPresent(s -> word(sb, "--nflog-size " + s));
            if (n.threshold() != 0) word(sb, "--nflog-threshold " + n.threshold());
        } else if (t instanceof Target.Nfqueue q) {
            word(sb, q.balance() ? "--queue-balance " + q.first() + ":" + (q.first() + q.total() - 1) : "--queue-num " + q.first());
            if (q.bypass()) word(sb, "--queue-bypass");
            if (q.cpuFanout()) word(sb, "--queue-cpu-fanout");
        } else if (t instanceof Target.Ttl l) {
            word(sb, "--ttl-" + l.operation().name().toLowerCase(java.util.Locale.ROOT) + " " + l.value());
        } else if (t instanceof Target.Tos o) {
            word(sb, String.format("--set-tos 0x%02x/0x%02x", o.value(), o.mask()));
        } else if (t instanceof Target.Dscp d) {
            word(sb, String.format("--set-dscp 0x%02x", d.dscp()));
        } else if (t instanceof Target.SetTarget s) {
            s.add().ifPresent(o -> word(sb, "--add-set " + o.set() + " " + directions(o.directions())));
            s.delete().ifPresent(o -> word(sb, "--del-set " + o.set() + " " + directions(o.directions())));
            if (s.exist()) word(sb, "--exist");
            s.timeout().ifPresent(v -> word(sb, "--timeout " + v));
        }
    }

    /** {@code addr[-addr][:port[-port]]}, as libipt_SNAT/DNAT print it. */
    public static String natRange(NatRange n) {
        StringBuilder sb = new StringBuilder();
        n.addresses().ifPresent(a -> sb.append(a.first()).append(a.isSingle() ? "" : "-" + a.last()));
        n.ports().ifPresent(p -> sb.append(':').append(ports(p, '-')));
        return sb.toString();
    }
}
