package org.vnetlab.protocols.icmp;

/** ICMPv4 codes per type (RFC 792, RFC 1122, RFC 1812), as the kernel's ICMP_* constants number them. */
public final class IcmpCode {
    // Destination unreachable (type 3)
    public static final int NET_UNREACHABLE = 0;
    public static final int HOST_UNREACHABLE = 1;
    public static final int PROTOCOL_UNREACHABLE = 2;
    public static final int PORT_UNREACHABLE = 3;
    /** Fragmentation needed and DF set: the next-hop MTU rides in the low 16 bits of the rest-of-header. */
    public static final int FRAGMENTATION_NEEDED = 4;
    public static final int SOURCE_ROUTE_FAILED = 5;
    public static final int NET_UNKNOWN = 6;
    public static final int HOST_UNKNOWN = 7;
    public static final int HOST_ISOLATED = 8;
    public static final int NET_PROHIBITED = 9;
    public static final int HOST_PROHIBITED = 10;
    public static final int NET_UNREACHABLE_FOR_TOS = 11;
    public static final int HOST_UNREACHABLE_FOR_TOS = 12;
    public static final int ADMIN_PROHIBITED = 13;
    public static final int HOST_PRECEDENCE_VIOLATION = 14;
    public static final int PRECEDENCE_CUTOFF = 15;

    // Time exceeded (type 11)
    public static final int TTL_EXCEEDED = 0;
    public static final int REASSEMBLY_TIME_EXCEEDED = 1;

    // Redirect (type 5)
    public static final int REDIRECT_NET = 0;
    public static final int REDIRECT_HOST = 1;
    public static final int REDIRECT_TOS_NET = 2;
    public static final int REDIRECT_TOS_HOST = 3;

    // Parameter problem (type 12)
    public static final int POINTER_INDICATES_ERROR = 0;
    public static final int MISSING_REQUIRED_OPTION = 1;
    public static final int BAD_LENGTH = 2;

    private IcmpCode() {}

    /** A readable name for a destination-unreachable code, as tcpdump words them. */
    public static String unreachableName(int code) {
        return switch (code) {
            case NET_UNREACHABLE -> "net unreachable";
            case HOST_UNREACHABLE -> "host unreachable";
            case PROTOCOL_UNREACHABLE -> "protocol unreachable";
            case PORT_UNREACHABLE -> "port unreachable";
            case FRAGMENTATION_NEEDED -> "fragmentation needed";
            case SOURCE_ROUTE_FAILED -> "source route failed";
            case NET_UNKNOWN -> "net unknown";
            case HOST_UNKNOWN -> "host unknown";
            case HOST_ISOLATED -> "host isolated";
            case NET_PROHIBITED -> "net prohibited";
            case HOST_PROHIBITED -> "host prohibited";
            case NET_UNREACHABLE_FOR_TOS -> "net unreachable for TOS";
            case HOST_UNREACHABLE_FOR_TOS -> "host unreachable for TOS";
            case ADMIN_PROHIBITED -> "communication administratively prohibited";
            case HOST_PRECEDENCE_VIOLATION -> "host precedence violation";
            case PRECEDENCE_CUTOFF -> "precedence cutoff";
            default -> "code " + code;
        };
    }
}
