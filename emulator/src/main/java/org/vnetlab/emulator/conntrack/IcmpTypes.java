package org.vnetlab.emulator.conntrack;

/** The ICMP facts conntrack needs (nf_conntrack_proto_icmp.c): which types pair up, which start a flow. */
final class IcmpTypes {
    static final int ECHO_REPLY = 0, DEST_UNREACH = 3, SOURCE_QUENCH = 4, REDIRECT = 5, ECHO = 8,
            TIME_EXCEEDED = 11, PARAMETER_PROB = 12, TIMESTAMP = 13, TIMESTAMP_REPLY = 14, INFO_REQUEST = 15,
            INFO_REPLY = 16, ADDRESS = 17, ADDRESS_REPLY = 18;
    /** NR_ICMP_TYPES: larger types are "invalid icmp type" for conntrack. */
    static final int MAX_TYPE = 18;

    private IcmpTypes() {}

    /** The reply type for a query type (and back), or -1: the kernel's invmap. */
    static int inverse(int type) {
        return switch (type) {
            case ECHO -> ECHO_REPLY;
            case ECHO_REPLY -> ECHO;
            case TIMESTAMP -> TIMESTAMP_REPLY;
            case TIMESTAMP_REPLY -> TIMESTAMP;
            case INFO_REQUEST -> INFO_REPLY;
            case INFO_REPLY -> INFO_REQUEST;
            case ADDRESS -> ADDRESS_REPLY;
            case ADDRESS_REPLY -> ADDRESS;
            default -> -1;
        };
    }

    /** Types that may create a new connection (valid_new). */
    static boolean startsFlow(int type) {
        return type == ECHO || type == TIMESTAMP || type == INFO_REQUEST || type == ADDRESS;
    }

    /** Error messages that quote a datagram (icmp_is_err). */
    static boolean isError(int type) {
        return type == DEST_UNREACH || type == SOURCE_QUENCH || type == REDIRECT || type == TIME_EXCEEDED
                || type == PARAMETER_PROB;
    }
}
