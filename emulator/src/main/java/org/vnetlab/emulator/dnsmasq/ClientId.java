package org.vnetlab.emulator.dnsmasq;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A DHCP client identifier (option 61) as received, type byte included: what dnsmasq keys leases on and
 * prints in its lease file and to libvirt's status file ("01:52:54:00:aa:bb:01").
 */
public record ClientId(byte[] bytes) {
    public ClientId {
        if (bytes.length == 0) throw new IllegalArgumentException("empty client identifier");
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() { return bytes.clone(); }

    /** Colon-separated lower-case hex, as dnsmasq writes it. */
    public String hex() {
        return HexFormat.ofDelimiter(":").formatHex(bytes);
    }

    /** Parses colon-separated hex ("01:52:54:00:aa:bb:01"). */
    public static ClientId parseHex(String text) {
        return new ClientId(HexFormat.ofDelimiter(":").parseHex(text));
    }

    @Override
    public boolean equals(Object o) { return o instanceof ClientId c && Arrays.equals(c.bytes, bytes); }

    @Override
    public int hashCode() { return Arrays.hashCode(bytes); }

    @Override
    public String toString() { return hex(); }
}
