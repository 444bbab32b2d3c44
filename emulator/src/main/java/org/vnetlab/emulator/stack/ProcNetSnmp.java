package org.vnetlab.emulator.stack;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code cat /proc/net/snmp} of a stack, as Linux 6.1 prints it (net/ipv4/proc.c): pairs of lines, names
 * then values, for Ip, Icmp, IcmpMsg (only the types seen, all In before all Out, 16 to a line), Tcp, Udp and
 * UdpLite. Counters vnetlab does not model print 0. The IpExt counters (InTruncatedPkts, InCsumErrors,
 * InNoRoutes) are in {@code /proc/net/netstat}, not here; {@link #netstatIpExt} prints that part.
 */
public final class ProcNetSnmp {
    private ProcNetSnmp() {}

    private static final int[] ICMP_IN_TYPES = {3, 11, 12, 4, 5, 8, 0, 13, 14, 17, 18};

    public static String render(IpStack s) {
        StringBuilder sb = new StringBuilder();
        pair(sb, "Ip", List.of("Forwarding", "DefaultTTL", "InReceives", "InHdrErrors", "InAddrErrors", "ForwDatagrams",
                        "InUnknownProtos", "InDiscards", "InDelivers", "OutRequests", "OutDiscards", "OutNoRoutes",
                        "ReasmTimeout", "ReasmReqds", "ReasmOKs", "ReasmFails", "FragOKs", "FragFails", "FragCreates"),
                List.of(s.settings().ipForward() ? 1L : 2L, (long) s.settings().defaultTtl(), s.counter(Mib.IP_IN_RECEIVES),
                        s.counter(Mib.IP_IN_HDR_ERRORS), s.counter(Mib.IP_IN_ADDR_ERRORS), s.counter(Mib.IP_FORW_DATAGRAMS),
                        s.counter(Mib.IP_IN_UNKNOWN_PROTOS), 0L, s.counter(Mib.IP_IN_DELIVERS), s.counter(Mib.IP_OUT_REQUESTS),
                        s.counter(Mib.IP_OUT_DISCARDS), s.counter(Mib.IP_OUT_NO_ROUTES), s.counter(Mib.IP_REASM_TIMEOUT),
                        s.counter(Mib.IP_REASM_REQDS), s.counter(Mib.IP_REASM_OKS), s.counter(Mib.IP_REASM_FAILS),
                        s.counter(Mib.IP_FRAG_OKS), s.counter(Mib.IP_FRAG_FAILS), s.counter(Mib.IP_FRAG_CREATES)));
        List<String> icmpNames = new ArrayList<>(List.of("InMsgs", "InErrors", "InCsumErrors"));
        List<Long> icmpValues = new ArrayList<>(List.of(s.counter(Mib.ICMP_IN_MSGS), s.counter(Mib.ICMP_IN_ERRORS),
                s.counter(Mib.ICMP_IN_CSUM_ERRORS)));
        String[] perType = {"DestUnreachs", "TimeExcds", "ParmProbs", "SrcQuenchs", "Redirects", "Echos", "EchoReps",
                "Timestamps", "TimestampReps", "AddrMasks", "AddrMaskReps"};
        for (int i = 0; i < perType.length; i++) {
            icmpNames.add("In" + perType[i]);
            icmpValues.add(s.counter(Mib.icmpMsgIn(ICMP_IN_TYPES[i])));
        }
        icmpNames.addAll(List.of("OutMsgs", "OutErrors", "OutRateLimitGlobal", "OutRateLimitHost"));
        icmpValues.addAll(List.of(s.counter(Mib.ICMP_OUT_MSGS), 0L, s.counter(Mib.ICMP_OUT_RATE_LIMIT_GLOBAL),
                s.counter(Mib.ICMP_OUT_RATE_LIMIT_HOST)));
        for (int i = 0; i < perType.length; i++) {
            icmpNames.add("Out" + perType[i]);
            icmpValues.add(s.counter(Mib.icmpMsgOut(ICMP_IN_TYPES[i])));
        }
        pair(sb, "Icmp", icmpNames, icmpValues);
        icmpMsg(sb, s);
        long established = s.tcp().connections().stream()
                .filter(c -> c.state() == TcpConnection.State.ESTABLISHED || c.state() == TcpConnection.State.CLOSE_WAIT).count();
        pair(sb, "Tcp", List.of("RtoAlgorithm", "RtoMin", "RtoMax", "MaxConn", "ActiveOpens", "PassiveOpens", "AttemptFails",
                        "EstabResets", "CurrEstab", "InSegs", "OutSegs", "RetransSegs", "InErrs", "OutRsts", "InCsumErrors"),
                List.of(1L, 200L, 120000L, -1L, s.counter(Mib.TCP_ACTIVE_OPENS), s.counter(Mib.TCP_PASSIVE_OPENS),
                        s.counter(Mib.TCP_ATTEMPT_FAILS), s.counter(Mib.TCP_ESTAB_RESETS), established, s.counter(Mib.TCP_IN_SEGS),
                        s.counter(Mib.TCP_OUT_SEGS), s.counter(Mib.TCP_RETRANS_SEGS), s.counter(Mib.TCP_IN_ERRS),
                        s.counter(Mib.TCP_OUT_RSTS), s.counter(Mib.TCP_IN_CSUM_ERRORS)));
        List<String> udpNames = List.of("InDatagrams", "NoPorts", "InErrors", "OutDatagrams", "RcvbufErrors", "SndbufErrors",
                "InCsumErrors", "IgnoredMulti", "MemErrors");
        pair(sb, "Udp", udpNames, List.of(s.counter(Mib.UDP_IN_DATAGRAMS), s.counter(Mib.UDP_NO_PORTS), s.counter(Mib.UDP_IN_ERRORS),
                s.counter(Mib.UDP_OUT_DATAGRAMS), 0L, 0L, s.counter(Mib.UDP_IN_CSUM_ERRORS), s.counter(Mib.UDP_IGNORED_MULTI), 0L));
        pair(sb, "UdpLite", udpNames, List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L));
        return sb.toString();
    }

    /** The IpExt lines of {@code /proc/net/netstat} that carry the receive errors (the rest print 0). */
    public static String netstatIpExt(IpStack s) {
        StringBuilder sb = new StringBuilder();
        List<String> names = List.of("InNoRoutes", "InTruncatedPkts", "InMcastPkts", "OutMcastPkts", "InBcastPkts",
                "OutBcastPkts", "InOctets", "OutOctets", "InMcastOctets", "OutMcastOctets", "InBcastOctets", "OutBcastOctets",
                "InCsumErrors", "InNoECTPkts", "InECT1Pkts", "InECT0Pkts", "InCEPkts", "ReasmOverlaps");
        List<Long> values = new ArrayList<>();
        for (String n : names) {
            values.add(switch (n) {
                case "InNoRoutes" -> s.counter(Mib.IP_EXT_IN_NO_ROUTES);
                case "InTruncatedPkts" -> s.counter(Mib.IP_EXT_IN_TRUNCATED_PKTS);
                case "InCsumErrors" -> s.counter(Mib.IP_EXT_IN_CSUM_ERRORS);
                default -> 0L;
            });
        }
        pair(sb, "IpExt", names, values);
        return sb.toString();
    }

    private static void icmpMsg(StringBuilder sb, IpStack s) {
        List<String> names = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            long v = s.counter(i < 256 ? Mib.icmpMsgIn(i) : Mib.icmpMsgOut(i - 256));
            if (v != 0) {
                names.add((i < 256 ? "In" : "Out") + "Type" + (i & 0xff));
                values.add(v);
            }
            if (names.size() == 16) {
                pair(sb, "IcmpMsg", names, values);
                names.clear();
                values.clear();
            }
        }
        if (!names.isEmpty()) pair(sb, "IcmpMsg", names, values);
    }

    private static void pair(StringBuilder sb, String group, List<String> names, List<Long> values) {
        sb.append(group).append(':');
        for (String n : names) sb.append(' ').append(n);
        sb.append('\n').append(group).append(':');
        for (long v : values) sb.append(' ').append(v);
        sb.append('\n');
    }
}
