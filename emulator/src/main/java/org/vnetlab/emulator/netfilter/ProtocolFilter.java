package org.vnetlab.emulator.netfilter;

/**
 * {@code -p}: an IP protocol number, 0 meaning "all" (as in iptables, where {@code -p all} and {@code -p 0}
 * are the same rule), optionally inverted. Names are mapped by {@link IpProtocols}.
 */
public record ProtocolFilter(int number, boolean inverted) {
    public static final ProtocolFilter ALL = new ProtocolFilter(0, false);
    public static final ProtocolFilter TCP = new ProtocolFilter(6, false);
    public static final ProtocolFilter UDP = new ProtocolFilter(17, false);
    public static final ProtocolFilter ICMP = new ProtocolFilter(1, false);

    public ProtocolFilter {
        if (number < 0 || number > 255) throw new IllegalArgumentException("protocol number " + number);
    }

    public boolean isAll() { return number == 0 && !inverted; }

    public boolean matches(int ipProtocol) {
        return (number == 0 || number == ipProtocol) != inverted;
    }
}
