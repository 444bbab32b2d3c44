package org.vnetlab.protocols.icmp;

/** ICMPv4 message types (RFC 792, IANA "ICMP Type Numbers"), as the kernel's ICMP_* constants number them. */
public final class IcmpType {
    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int ROUTER_ADVERTISEMENT = 9;
    public static final int ROUTER_SOLICITATION = 10;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;
    public static final int TIMESTAMP_REQUEST = 13;
    public static final int TIMESTAMP_REPLY = 14;
    public static final int INFO_REQUEST = 15;
    public static final int INFO_REPLY = 16;
    public static final int ADDRESS_MASK_REQUEST = 17;
    public static final int ADDRESS_MASK_REPLY = 18;

    private IcmpType() {}

    /**
     * Error messages carry a quoted datagram and must never be answered with another error (RFC 1122
     * 3.2.2; Linux icmp_send checks its icmp_pointers[].error table the same way).
     */
    public static boolean isError(int type) {
        return type == DESTINATION_UNREACHABLE || type == SOURCE_QUENCH || type == REDIRECT
                || type == TIME_EXCEEDED || type == PARAMETER_PROBLEM;
    }

    public static String name(int type) {
        return switch (type) {
            case ECHO_REPLY -> "echo-reply";
            case DESTINATION_UNREACHABLE -> "destination-unreachable";
            case SOURCE_QUENCH -> "source-quench";
            case REDIRECT -> "redirect";
            case ECHO_REQUEST -> "echo-request";
            case ROUTER_ADVERTISEMENT -> "router-advertisement";
            case ROUTER_SOLICITATION -> "router-solicitation";
            case TIME_EXCEEDED -> "time-exceeded";
            case PARAMETER_PROBLEM -> "parameter-problem";
            case TIMESTAMP_REQUEST -> "timestamp-request";
            case TIMESTAMP_REPLY -> "timestamp-reply";
            case INFO_REQUEST -> "info-request";
            case INFO_REPLY -> "info-reply";
            case ADDRESS_MASK_REQUEST -> "address-mask-request";
            case ADDRESS_MASK_REPLY -> "address-mask-reply";
            default -> "type " + type;
        };
    }
}
