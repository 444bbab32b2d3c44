package org.vnetlab.emulator.stack;

/**
 * Stack counter names, spelled as {@code nstat} prints the kernel's SNMP MIB counters (/proc/net/snmp and
 * netstat). They live in the lab's {@link org.vnetlab.emulator.sim.Counters} under the stack's path.
 */
public final class Mib {
    private Mib() {}

    public static final String IP_IN_RECEIVES = "IpInReceives";
    public static final String IP_IN_HDR_ERRORS = "IpInHdrErrors";
    public static final String IP_EXT_IN_CSUM_ERRORS = "IpExtInCsumErrors";
    public static final String IP_EXT_IN_TRUNCATED_PKTS = "IpExtInTruncatedPkts";
    public static final String IP_IN_ADDR_ERRORS = "IpInAddrErrors";
    public static final String IP_EXT_IN_NO_ROUTES = "IpExtInNoRoutes";
    public static final String IP_IN_UNKNOWN_PROTOS = "IpInUnknownProtos";
    public static final String IP_IN_DELIVERS = "IpInDelivers";
    public static final String IP_FORW_DATAGRAMS = "IpForwDatagrams";
    public static final String IP_OUT_REQUESTS = "IpOutRequests";
    public static final String IP_OUT_NO_ROUTES = "IpOutNoRoutes";
    public static final String IP_OUT_DISCARDS = "IpOutDiscards";
    public static final String IP_FRAG_OKS = "IpFragOKs";
    public static final String IP_FRAG_FAILS = "IpFragFails";
    public static final String IP_FRAG_CREATES = "IpFragCreates";
    public static final String IP_REASM_REQDS = "IpReasmReqds";
    public static final String IP_REASM_OKS = "IpReasmOKs";
    public static final String IP_REASM_FAILS = "IpReasmFails";
    public static final String IP_REASM_TIMEOUT = "IpReasmTimeout";
    /** IpExt (/proc/net/netstat): fragment queues killed for an overlapping fragment (IPSTATS_MIB_REASM_OVERLAPS). */
    public static final String IP_EXT_REASM_OVERLAPS = "IpExtReasmOverlaps";
    /** TcpExt: packets dropped by the reverse-path filter (LINUX_MIB_IPRPFILTER). */
    public static final String TCP_EXT_IP_REVERSE_PATH_FILTER = "TcpExtIPReversePathFilter";
    /** Not a kernel MIB: martian source or destination drops, as "ip -s route cache" in_martian_*. */
    public static final String STACK_MARTIANS = "StackMartians";
    /** Not a kernel MIB: frames to another MAC (PACKET_OTHERHOST) dropped before IP. */
    public static final String STACK_OTHERHOST = "StackOtherHost";

    public static final String ICMP_IN_MSGS = "IcmpInMsgs";
    public static final String ICMP_IN_ERRORS = "IcmpInErrors";
    public static final String ICMP_IN_CSUM_ERRORS = "IcmpInCsumErrors";
    public static final String ICMP_OUT_MSGS = "IcmpOutMsgs";
    public static final String ICMP_OUT_RATE_LIMIT_GLOBAL = "IcmpOutRateLimitGlobal";
    public static final String ICMP_OUT_RATE_LIMIT_HOST = "IcmpOutRateLimitHost";

    public static final String UDP_IN_DATAGRAMS = "UdpInDatagrams";
    public static final String UDP_NO_PORTS = "UdpNoPorts";
    public static final String UDP_IN_ERRORS = "UdpInErrors";
    public static final String UDP_IN_CSUM_ERRORS = "UdpInCsumErrors";
    public static final String UDP_OUT_DATAGRAMS = "UdpOutDatagrams";
    /** Broadcast datagrams no socket wanted (UDP_MIB_IGNOREDMULTI), not NoPorts. */
    public static final String UDP_IGNORED_MULTI = "UdpIgnoredMulti";

    public static final String TCP_ACTIVE_OPENS = "TcpActiveOpens";
    public static final String TCP_PASSIVE_OPENS = "TcpPassiveOpens";
    public static final String TCP_ATTEMPT_FAILS = "TcpAttemptFails";
    public static final String TCP_ESTAB_RESETS = "TcpEstabResets";
    public static final String TCP_IN_SEGS = "TcpInSegs";
    public static final String TCP_OUT_SEGS = "TcpOutSegs";
    public static final String TCP_RETRANS_SEGS = "TcpRetransSegs";
    public static final String TCP_IN_ERRS = "TcpInErrs";
    public static final String TCP_IN_CSUM_ERRORS = "TcpInCsumErrors";
    public static final String TCP_OUT_RSTS = "TcpOutRsts";

    /** IcmpMsg counters per type, e.g. {@code IcmpMsgOutType3}. */
    public static String icmpMsgIn(int type) { return "IcmpMsgInType" + type; }

    public static String icmpMsgOut(int type) { return "IcmpMsgOutType" + type; }

    /** ArpTable-like counters (not nstat names): requests sent, replies sent, resolution failures. */
    public static final String ARP_REQUESTS_SENT = "ArpRequestsSent";
    public static final String ARP_REPLIES_SENT = "ArpRepliesSent";
    public static final String NEIGH_RES_FAILED = "NeighResFailed";
    public static final String NEIGH_UNRES_DISCARDS = "NeighUnresolvedDiscards";
}
