package org.vnetlab.emulator.netfilter;

/** An inclusive port range; a single port has {@code first == last}. */
public record PortRange(int first, int last) {
    public static final PortRange ALL = new PortRange(0, 65535);

    public PortRange {
        if (first < 0 || last > 65535 || first > last) {
            throw new IllegalArgumentException("bad port range " + first + ":" + last);
        }
    }

    public static PortRange of(int port) { return new PortRange(port, port); }

    public boolean isSingle() { return first == last; }

    public boolean contains(int port) { return port >= first && port <= last; }
}
