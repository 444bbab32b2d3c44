package org.vnetlab.protocols.arp;

/** ARP opcode as an open enum (RFC 826; IANA "ARP operation codes"): unknown codes are kept, not refused. */
public final class ArpOperation {
    public static final ArpOperation REQUEST = new ArpOperation(1, "request");
    public static final ArpOperation REPLY = new ArpOperation(2, "reply");

    private final int value;
    private final String name;

    private ArpOperation(int value, String name) {
        this.value = value;
        this.name = name;
    }

    public static ArpOperation of(int value) {
        if (value < 0 || value > 0xffff) throw new IllegalArgumentException("ARP opcode out of 16 bits: " + value);
        return switch (value) {
            case 1 -> REQUEST;
            case 2 -> REPLY;
            default -> new ArpOperation(value, "op " + value);
        };
    }

    public int value() { return value; }

    @Override
    public boolean equals(Object o) { return o instanceof ArpOperation a && a.value == value; }

    @Override
    public int hashCode() { return value; }

    @Override
    public String toString() { return name; }
}
