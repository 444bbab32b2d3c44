package org.vnetlab.emulator.netfilter.iptables;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import org.vnetlab.emulator.netfilter.AddressFilter;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.ChainRef;
import org.vnetlab.emulator.netfilter.Counter;
import org.vnetlab.emulator.netfilter.Fragment;
import org.vnetlab.emulator.netfilter.InterfaceFilter;
import org.vnetlab.emulator.netfilter.IpProtocols;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.PortRange;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.RuleText;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.Target;

/**
 * {@code iptables -L} and {@code iptables -S} output, as iptables 1.8.9 (nf_tables) prints it: the column
 * layout of print_header/print_rule_details, each extension's print function, numbers abbreviated with
 * K/M/G unless {@code -x}. Without {@code -n} ports and ICMP types get their names, but addresses stay
 * numeric (vnetlab does no reverse DNS; a real host may show host names there).
 */
public final class Listing {

    /** The {@code -L} switches. */
    public record Options(boolean numeric, boolean verbose, boolean exact, boolean lineNumbers) {
        public static final Options PLAIN = new Options(false, false, false, false);
        /** {@code -n -v}: what the reference captures quote. */
        public static final Options NUMERIC_VERBOSE = new Options(true, true, false, false);
    }

    private Listing() {}

    // ---------------------------------------------------------------- -S

    /** {@code iptables -t T -S} (all chains); with {@code verbose}, each line carries {@code -c PKTS BYTES}. */
    public static String listRules(Table t, RuleCounters counters, boolean verbose) {
        StringBuilder sb = new StringBuilder();
        for (Chain c : t.chains()) sb.append(chainHead(t, c, counters, verbose));
        for (Chain c : t.chains()) appendRules(sb, t, c, counters, verbose, 0);
        return sb.toString();
    }

    /** {@code iptables -S CHAIN [N]}. */
    public static String listRules(Table t, Chain c, int ruleNumber, RuleCounters counters, boolean verbose) {
        StringBuilder sb = new StringBuilder();
        if (ruleNumber == 0) sb.append(chainHead(t, c, counters, verbose));
        appendRules(sb, t, c, counters, verbose, ruleNumber);
        return sb.toString();
    }

    private static String chainHead(Table t, Chain c, RuleCounters counters, boolean verbose) {
        if (!c.isBuiltin()) return "-N " + c.name() + "\n";
        String s = "-P " + c.name() + " " + c.policy().orElseThrow();
        if (verbose) {
            Counter k = counters.policy(new ChainRef(t.name(), c.name()));
            s += " -c " + k.packets() + " " + k.bytes();
        }
        return s + "\n";
    }

    private static void appendRules(StringBuilder sb, Table t, Chain c, RuleCounters counters, boolean verbose, int only) {
        for (int i = 1; i <= c.rules().size(); i++) {
            if (only != 0 && i != only) continue;
            sb.append("-A ").append(c.name());
            if (verbose) {
                String head = RuleText.formatMatches(c.rule(i)), tail = RuleText.formatTarget(c.rule(i).target());
                Counter k = counters.rule(new RuleRef(t.name(), c.name(), i));
                if (!head.isEmpty()) sb.append(' ').append(head);
                sb.append(" -c ").append(k.packets()).append(' ').append(k.bytes());
                if (!tail.isEmpty()) sb.append(' ').append(tail);
            } else {
                String spec = c.rule(i).text();
                if (!spec.isEmpty()) sb.append(' ').append(spec);
            }
            sb.append('\n');
        }
    }

    // ---------------------------------------------------------------- -L

    /** {@code iptables -t T -L}: every chain, separated by an empty line. */
    public static String list(Table t, RuleCounters counters, Options o) {
        StringBuilder sb = new StringBuilder();
        boolean first = true;
        for (Chain c : t.chains()) {
            if (!first) sb.append('\n');
            first = false;
            sb.append(list(t, c, 0, counters, o));
        }
        return sb.toString();
    }

    /** {@code iptables -L CHAIN [N]}; with a rule number only that rule's line is printed. */
    public static String list(Table t, Chain c, int ruleNumber, RuleCounters counters, Options o) {
        StringBuilder sb = new StringBuilder();
        if (ruleNumber == 0) {
            sb.append("Chain ").append(c.name());
            if (c.isBuiltin()) {
                sb.append(" (policy ").append(c.policy().orElseThrow());
                if (o.verbose()) {
                    Counter k = counters.policy(new ChainRef(t.name(), c.name()));
                    sb.append(' ').append(num(k.packets(), o, true)).append("packets, ")
                            .append(num(k.bytes(), o, true)).append("bytes");
                }
                sb.append(")\n");
            } else {
                sb.append(" (").append(references(t, c.name())).append(" references)\n");
            }
            if (o.lineNumbers()) sb.append(String.format("%-4s ", "num"));
            if (o.verbose()) {
                if (o.exact()) sb.append(String.format("%8s %10s ", "pkts", "bytes"));
                else sb.append(String.format("%5s %5s ", "pkts", "bytes"));
            }
            sb.append(String.format("%-9s ", "target")).append(" prot ").append("opt");
            if (o.verbose()) sb.append(String.format(" %-6s %-6s ", "in", "out"));
            sb.append(String.format(" %-19s  %-19s ", "source", "destination")).append('\n');
        }
        for (int i = 1; i <= c.rules().size(); i++) {
            if (ruleNumber != 0 && i != ruleNumber) continue;
            sb.append(row(t, c, i, counters, o)).append('\n');
        }
        return sb.toString();
    }

    /** How many rules of the table jump or go to {@code chain}: the "(N references)" of a user chain. */
    public static int references(Table t, String chain) {
        int n = 0;
        for (Chain c : t.chains()) {
            for (Rule r : c.rules()) {
                if (r.target() instanceof Target.Jump j && j.chain().equals(chain)) n++;
                if (r.target() instanceof Target.Goto g && g.chain().equals(chain)) n++;
            }
        }
        return n;
    }

    /** One rule's line of {@code -L} output (no trailing newline). */
    public static String row(Table t, Chain c, int n, RuleCounters counters, Options o) {
        Rule r = c.rule(n);
        StringBuilder sb = new StringBuilder();
        if (o.lineNumbers()) sb.append(String.format("%-4d ", n));
        if (o.verbose()) {
            Counter k = counters.rule(new RuleRef(t.name(), c.name(), n));
            sb.append(num(k.packets(), o, false)).append(num(k.bytes(), o, false));
        }
        String target = r.target() instanceof Target.Notrack ? "CT" : r.target().name();
        sb.append(String.format("%-9s ", target));
        sb.append(r.protocol().inverted() ? '!' : ' ');
        int p = r.protocol().number();
        String pname = o.numeric() ? Integer.toString(p) : p == 0 ? "all" : IpProtocols.name(p).orElse(Integer.toString(p));
        sb.append(String.format("%-4s ", pname));
        sb.append(r.fragment() == Fragment.NOT_LATER_FRAGMENTS ? '!' : '-');
        sb.append(r.fragment() == Fragment.ANY ? '-' : 'f').append(' ');
        if (o.verbose()) {
            sb.append(String.format(" %-6s ", ifname(r.inInterface(), o)));
            sb.append(String.format("%-6s ", ifname(r.outInterface(), o)));
        }
        sb.append(r.source().inverted() ? '!' : ' ').append(String.format("%-19s ", address(r.source(), o)));
        sb.append(r.destination().inverted() ? '!' : ' ').append(String.format("%-19s ", address(r.destination(), o)));
        if (r.target() instanceof Target.Goto) sb.append("[goto] ");
        for (Match m : r.matches()) sb.append(match(m, r, o.numeric()));
        sb.append(target(r.target(), o.numeric()));
        return sb.toString();
    }

    private static String ifname(InterfaceFilter f, Options o) {
        String name = f.name().isEmpty() ? (o.numeric() ? "*" : "any") : f.name();
        return (f.inverted() ? "!" : "") + name;
    }

    private static String address(AddressFilter a, Options o) {
        if (a.mask().bits() == 0 && !o.numeric()) return "anywhere";
        return RuleText.addressWithShortMask(a);
    }

    /** xtables_print_num: K/M/G/T with rounding unless -x; {@code inline} is the policy line's form. */
    static String num(long v, Options o, boolean inline) {
        if (o.exact()) return inline ? v + " " : String.format("%8d ", v);
        if (v <= 99999) return inline ? v + " " : String.format("%5d ", v);
        String[] units = {"K", "M", "G", "T"};
        long n = v;
        for (int i = 0; i < units.length; i++) {
            n = (n + 500) / 1000;
            if (n <= 9999 || i == units.length - 1) return inline ? n + units[i] + " " : String.format("%4d%s ", n, units[i]);
        }
        throw new IllegalStateException();
    }

    // ---------------------------------------------------------------- extension print functions

    private static String port(int p, String proto, boolean numeric) {
        if (numeric || proto == null) return Integer.toString(p);
        return Services.name(p, proto).orElse(Integer.toString(p));
    }

    private static String ports(String name, Optional<Match.PortTest> t, String proto, boolean numeric) {
        if (t.isEmpty()) return "";
        PortRange r = t.get().range();
        String inv = t.get().inverted() ? "!" : "";
        if (r.isSingle()) return " " + name + ":" + inv + port(r.first(), proto, numeric);
        return " " + name + "s:" + inv + port(r.first(), proto, numeric) + ":" + port(r.last(), proto, numeric);
    }

    private static String tcpFlagNames(int f) {
        if (f == 0) return "NONE";
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < names.length; i++) if ((f & (1 << i)) != 0) j.add(names[i]);
        return j.toString();
    }

    private static <E extends Enum<E>> String names(Set<E> s) {
        StringJoiner j = new StringJoiner(",");
        for (E e : EnumSet.copyOf(s)) j.add(e.name());
        return j.toString();
    }

    private static String match(Match m, Rule r, boolean numeric) {
        StringBuilder sb = new StringBuilder();
        if (m instanceof Match.Tcp t) {
            sb.append(" tcp").append(ports("spt", t.sourcePort(), "tcp", numeric)).append(ports("dpt", t.destinationPort(), "tcp", numeric));
            t.option().ifPresent(op -> sb.append(" option=").append(op.inverted() ? "!" : "").append(op.kind()));
            t.flags().ifPresent(f -> {
                sb.append(" flags:").append(f.inverted() ? "!" : "");
                if (numeric) sb.append(String.format("0x%02X/0x%02X", f.mask(), f.comparison()));
                else sb.append(tcpFlagNames(f.mask())).append('/').append(tcpFlagNames(f.comparison()));
            });
        } else if (m instanceof Match.Udp u) {
            sb.append(" udp").append(ports("spt", u.sourcePort(), "udp", numeric)).append(ports("dpt", u.destinationPort(), "udp", numeric));
        } else if (m instanceof Match.Icmp i) {
            sb.append(" icmp");
            if (!numeric) {
                for (Object[] n : Extensions.ICMP_NAMES) {
                    if ((int) n[1] == i.type() && (int) n[2] == i.codeMin() && (int) n[3] == i.codeMax()) {
                        return sb.append(' ').append(i.inverted() ? "!" : "").append(n[0]).toString();
                    }
                }
            }
            if (i.inverted()) sb.append(" !");
            sb.append("type ").append(i.type());
            if (i.codeMin() == i.codeMax()) sb.append(" code ").append(i.codeMin());
            else if (i.codeMin() != 0 || i.codeMax() != 0xff) sb.append(" codes ").append(i.codeMin()).append('-').append(i.codeMax());
        } else if (m instanceof Match.Conntrack c) {
            c.state().ifPresent(s -> sb.append(s.inverted() ? " !" : "").append(" ctstate ").append(names(s.states())));
            c.protocol().ifPresent(p -> sb.append(p.inverted() ? " !" : "").append(" ctproto ").append(p.number()));
            ctAddr(sb, "ctorigsrc", c.origSource());
            ctAddr(sb, "ctorigdst", c.origDestination());
            ctAddr(sb, "ctreplsrc", c.replySource());
            ctAddr(sb, "ctrepldst", c.replyDestination());
            ctPort(sb, "ctorigsrcport", c.origSourcePort());
            ctPort(sb, "ctorigdstport", c.origDestinationPort());
            ctPort(sb, "ctreplsrcport", c.replySourcePort());
            ctPort(sb, "ctrepldstport", c.replyDestinationPort());
            c.status().ifPresent(s -> sb.append(s.inverted() ? " !" : "").append(" ctstatus ").append(names(s.statuses())));
            c.expire().ifPresent(e -> sb.append(e.inverted() ? " !" : "").append(" ctexpire ").append(e.min())
                    .append(e.min() == e.max() ? "" : ":" + e.max()));
            c.direction().ifPresent(d -> sb.append(" ctdir ").append(d.name()));
        } else if (m instanceof Match.State s) {
            sb.append(s.states().inverted() ? " !" : "").append(" state ").append(names(s.states().states()));
        } else if (m instanceof Match.Multiport mp) {
            String proto = Extensions.protoName(r.protocol());
            sb.append(" multiport ").append(switch (mp.kind()) {
                case SOURCE -> "sports";
                case DESTINATION -> "dports";
                case EITHER -> "ports";
            }).append(' ').append(mp.inverted() ? " !" : "");
            StringJoiner j = new StringJoiner(",");
            for (PortRange p : mp.ports()) {
                j.add(p.isSingle() ? port(p.first(), proto, numeric) : port(p.first(), proto, numeric) + ":" + port(p.last(), proto, numeric));
            }
            sb.append(j);
        } else if (m instanceof Match.Comment c) {
            sb.append(" /* ").append(c.text()).append(" */");
        } else if (m instanceof Match.AddrType a) {
            sb.append(" ADDRTYPE match");
            a.source().ifPresent(t -> sb.append(" src-type ").append(t.inverted() ? "!" : "").append(names(t.types())));
            a.destination().ifPresent(t -> sb.append(" dst-type ").append(t.inverted() ? "!" : "").append(names(t.types())));
            if (a.limitIfaceIn()) sb.append(" limit-in");
            if (a.limitIfaceOut()) sb.append(" limit-out");
        } else if (m instanceof Match.Mark k) {
            sb.append(" mark match").append(k.inverted() ? " !" : "").append(' ').append(markValue(k.value(), k.mask()));
        } else if (m instanceof Match.Connmark k) {
            sb.append(" connmark match").append(k.inverted() ? " !" : "").append(' ').append(markValue(k.value(), k.mask()));
        } else if (m instanceof Match.Physdev p) {
            sb.append(" PHYSDEV match");
            flag(sb, "--physdev-is-in", p.isIn());
            p.in().ifPresent(f -> sb.append(f.inverted() ? " !" : "").append(" --physdev-in ").append(f.name()));
            flag(sb, "--physdev-is-out", p.isOut());
            p.out().ifPresent(f -> sb.append(f.inverted() ? " !" : "").append(" --physdev-out ").append(f.name()));
            flag(sb, "--physdev-is-bridged", p.isBridged());
        } else if (m instanceof Match.Limit l) {
            sb.append(" limit: avg ").append(RuleText.rate(l.period())).append(" burst ").append(l.burst());
        } else if (m instanceof Match.PktType p) {
            sb.append(" PKTTYPE ").append(p.inverted() ? "!" : "").append("= ").append(p.type().iptablesName());
        } else if (m instanceof Match.IpRange ir) {
            ir.source().ifPresent(t -> sb.append(" source IP range").append(t.inverted() ? " !" : "").append(' ')
                    .append(t.range().first()).append('-').append(t.range().last()));
            ir.destination().ifPresent(t -> sb.append(" destination IP range").append(t.inverted() ? " !" : "").append(' ')
                    .append(t.range().first()).append('-').append(t.range().last()));
        } else if (m instanceof Match.Length l) {
            sb.append(" length ").append(l.inverted() ? "!" : "").append(l.min()).append(l.min() == l.max() ? "" : ":" + l.max());
        } else if (m instanceof Match.Mac mac) {
            sb.append(" MAC").append(mac.inverted() ? " !" : "").append(' ').append(mac.source());
        } else if (m instanceof Match.Rpfilter rp) {
            sb.append(" rpfilter");
            if (rp.loose()) sb.append(" loose");
            if (rp.validMark()) sb.append(" validmark");
            if (rp.acceptLocal()) sb.append(" accept-local");
            if (rp.invert()) sb.append(" invert");
        }
        return sb.toString();
    }

    private static void ctAddr(StringBuilder sb, String name, Optional<AddressFilter> a) {
        a.ifPresent(f -> sb.append(f.inverted() ? " !" : "").append(' ').append(name).append(' ').append(RuleText.addressWithShortMask(f)));
    }

    private static void ctPort(StringBuilder sb, String name, Optional<Match.PortTest> t) {
        t.ifPresent(p -> sb.append(p.inverted() ? " !" : "").append(' ').append(name).append(' ').append(p.range().first())
                .append(p.range().isSingle() ? "" : ":" + p.range().last()));
    }

    private static void flag(StringBuilder sb, String name, Match.FlagTest f) {
        if (f == Match.FlagTest.SET) sb.append(' ').append(name);
        if (f == Match.FlagTest.NOT_SET) sb.append(" ! ").append(name);
    }

    private static String markValue(long v, long m) {
        return RuleText.hex(v) + (m == 0xffff_ffffL ? "" : "/" + RuleText.hex(m));
    }

    private static final String[] LOG_LEVELS = {"emerg", "alert", "crit", "err", "warn", "notice", "info", "debug"};

    private static String target(Target t, boolean numeric) {
        StringBuilder sb = new StringBuilder();
        if (t instanceof Target.Reject r) {
            sb.append(" reject-with ").append(r.with().iptablesName());
        } else if (t instanceof Target.Masquerade m) {
            m.toPorts().ifPresent(p -> sb.append(" masq ports: ").append(p.first()).append(p.isSingle() ? "" : "-" + p.last()));
            if (m.random()) sb.append(" random");
            if (m.randomFully()) sb.append(" random-fully");
        } else if (t instanceof Target.Snat s) {
            sb.append(" to:").append(RuleText.natRange(s.to()));
            if (s.random()) sb.append(" random");
            if (s.randomFully()) sb.append(" random-fully");
            if (s.persistent()) sb.append(" persistent");
        } else if (t instanceof Target.Dnat d) {
            sb.append(" to:").append(RuleText.natRange(d.to()));
            if (d.random()) sb.append(" random");
            if (d.persistent()) sb.append(" persistent");
        } else if (t instanceof Target.Redirect r) {
            r.toPorts().ifPresent(p -> sb.append(" redir ports ").append(p.first()).append(p.isSingle() ? "" : "-" + p.last()));
            if (r.random()) sb.append(" random");
        } else if (t instanceof Target.Log l) {
            sb.append(" LOG");
            int flags = (l.tcpSequence() ? 1 : 0) | (l.tcpOptions() ? 2 : 0) | (l.ipOptions() ? 4 : 0) | (l.uid() ? 8 : 0)
                    | (l.macDecode() ? 0x20 : 0);
            if (numeric) {
                sb.append(" flags ").append(flags).append(" level ").append(l.level());
            } else {
                sb.append(" level ").append(LOG_LEVELS[l.level()]);
                if (l.tcpSequence()) sb.append(" tcp-sequence");
                if (l.tcpOptions()) sb.append(" tcp-options");
                if (l.ipOptions()) sb.append(" ip-options");
                if (l.uid()) sb.append(" uid");
                if (l.macDecode()) sb.append(" macdecode");
            }
            l.prefix().ifPresent(p -> sb.append(" prefix \"").append(p).append('"'));
        } else if (t instanceof Target.Mark m) {
            sb.append(markOp(" MARK", m.value(), m.mask()));
        } else if (t instanceof Target.Connmark c) {
            long all = 0xffff_ffffL;
            switch (c.mode()) {
                case SET -> sb.append(markOp(" CONNMARK", c.value(), c.ctmask()));
                case SAVE -> {
                    if (c.nfmask() == all && c.ctmask() == all) sb.append(" CONNMARK save");
                    else if (c.nfmask() == c.ctmask()) sb.append(" CONNMARK save mask ").append(RuleText.hex(c.nfmask()));
                    else sb.append(" CONNMARK save nfmask ").append(RuleText.hex(c.nfmask())).append(" ctmask ~").append(RuleText.hex(c.ctmask()));
                }
                case RESTORE -> {
                    if (c.nfmask() == all && c.ctmask() == all) sb.append(" CONNMARK restore");
                    else if (c.nfmask() == c.ctmask()) sb.append(" CONNMARK restore mask ").append(RuleText.hex(c.ctmask()));
                    else sb.append(" CONNMARK restore ctmask ").append(RuleText.hex(c.ctmask())).append(" nfmask ~").append(RuleText.hex(c.nfmask()));
                }
            }
        } else if (t instanceof Target.Checksum) {
            sb.append(" CHECKSUM fill");
        } else if (t instanceof Target.Notrack n) {
            sb.append(n.viaCt() ? " CT notrack" : " NOTRACK");
        } else if (t instanceof Target.Tcpmss m) {
            sb.append(m.clampToPmtu() ? " TCPMSS clamp to PMTU" : " TCPMSS set " + m.mss());
        }
        return sb.toString();
    }

    private static String markOp(String name, long mark, long mask) {
        if (mark == 0) return name + " and " + RuleText.hex(~mask & 0xffff_ffffL);
        if (mark == mask) return name + " or " + RuleText.hex(mark);
        if (mask == 0) return name + " xor " + RuleText.hex(mark);
        if (mask == 0xffff_ffffL) return name + " set " + RuleText.hex(mark);
        return name + " xset " + RuleText.hex(mark) + "/" + RuleText.hex(mask);
    }

}
