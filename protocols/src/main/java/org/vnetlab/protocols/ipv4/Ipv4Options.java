package org.vnetlab.protocols.ipv4;

/** IPv4 option type numbers (RFC 791, IANA "IP Option Numbers") that the header walk needs to know. */
public final class Ipv4Options {
    public static final int END_OF_LIST = 0;
    public static final int NO_OPERATION = 1;
    public static final int RECORD_ROUTE = 7;
    public static final int TIMESTAMP = 68;
    public static final int LOOSE_SOURCE_ROUTE = 131;
    public static final int STRICT_SOURCE_ROUTE = 137;
    public static final int ROUTER_ALERT = 148;

    private Ipv4Options() {}
}
