package org.vnetlab.protocols.dhcp;

/**
 * The DHCP message type (option 53, RFC 2132 9.6) as an open enum: {@link #of(int)} returns the named
 * constant for a known code and a new value for any other code, so an unknown type is kept, never refused.
 */
public final class DhcpMessageType {
    public static final DhcpMessageType DISCOVER = new DhcpMessageType(1, "DISCOVER");
    public static final DhcpMessageType OFFER = new DhcpMessageType(2, "OFFER");
    public static final DhcpMessageType REQUEST = new DhcpMessageType(3, "REQUEST");
    public static final DhcpMessageType DECLINE = new DhcpMessageType(4, "DECLINE");
    public static final DhcpMessageType ACK = new DhcpMessageType(5, "ACK");
    public static final DhcpMessageType NAK = new DhcpMessageType(6, "NAK");
    public static final DhcpMessageType RELEASE = new DhcpMessageType(7, "RELEASE");
    public static final DhcpMessageType INFORM = new DhcpMessageType(8, "INFORM");

    private static final DhcpMessageType[] KNOWN = {DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM};

    private final int code;
    private final String name;

    private DhcpMessageType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    public static DhcpMessageType of(int code) {
        if (code < 0 || code > 255) throw new IllegalArgumentException("DHCP message type out of range: " + code);
        if (code >= 1 && code <= KNOWN.length) return KNOWN[code - 1];
        return new DhcpMessageType(code, "UNKNOWN(" + code + ")");
    }

    public int code() { return code; }

    /** Upper-case name as RFC 2132 spells it after "DHCP" (DISCOVER, OFFER…), or UNKNOWN(n). */
    public String name() { return name; }

    public boolean isKnown() { return code >= 1 && code <= KNOWN.length; }

    @Override
    public boolean equals(Object o) { return o instanceof DhcpMessageType t && t.code == code; }

    @Override
    public int hashCode() { return code; }

    @Override
    public String toString() { return name; }
}
