package org.vnetlab.protocols.ethernet;

/**
 * The 16-bit type/length field of an Ethernet header, as an open enum: {@link #of(int)} returns the named
 * constant for a known code and a new value for any other, so an unknown protocol is kept, never refused.
 *
 * <p>Values below {@code 0x0600} are not EtherTypes at all: IEEE 802.3 puts the payload length there and an
 * LLC header after it (STP's BPDUs arrive that way). Such a value says so through {@link #isLength()}.
 */
public final class EtherType {
    /** Below this the field is an 802.3 payload length (IEEE 802.3 clause 3.2.6). */
    public static final int MIN_ETHERTYPE = 0x0600;

    public static final EtherType IPV4 = new EtherType(0x0800, "IPv4");
    public static final EtherType ARP = new EtherType(0x0806, "ARP");
    public static final EtherType VLAN = new EtherType(0x8100, "802.1Q");
    public static final EtherType IPV6 = new EtherType(0x86dd, "IPv6");
    public static final EtherType LLDP = new EtherType(0x88cc, "LLDP");

    private final int value;
    private final String name;

    private EtherType(int value, String name) {
        this.value = value;
        this.name = name;
    }

    public static EtherType of(int value) {
        if (value < 0 || value > 0xffff) throw new IllegalArgumentException("EtherType out of 16 bits: " + value);
        return switch (value) {
            case 0x0800 -> IPV4;
            case 0x0806 -> ARP;
            case 0x8100 -> VLAN;
            case 0x86dd -> IPV6;
            case 0x88cc -> LLDP;
            default -> value < MIN_ETHERTYPE
                    ? new EtherType(value, "802.3 length " + value)
                    : new EtherType(value, String.format("0x%04x", value));
        };
    }

    /** An 802.3 length field, not a type: the payload is LLC and exactly {@link #value()} bytes long. */
    public static EtherType ieee8023Length(int length) {
        if (length < 0 || length >= MIN_ETHERTYPE) throw new IllegalArgumentException("not an 802.3 length: " + length);
        return of(length);
    }

    public int value() { return value; }

    public boolean isLength() { return value < MIN_ETHERTYPE; }

    @Override
    public boolean equals(Object o) { return o instanceof EtherType t && t.value == value; }

    @Override
    public int hashCode() { return value; }

    @Override
    public String toString() { return name; }
}
