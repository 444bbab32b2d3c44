package org.vnetlab.emulator.dnsmasq;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One {@code dhcp-option=} line: an option dnsmasq sends when the client asks for it. An empty value for an
 * option dnsmasq fills in itself (1, 3, 6, 12, 15, 28) means "do not send it" — libvirt writes
 * {@code dhcp-option=3} for a network without a gateway.
 */
public record DhcpOptionSetting(int code, byte[] value) {
    private static final Map<String, Integer> NAMES = Map.of(
            "netmask", 1, "router", 3, "dns-server", 6, "hostname", 12, "domain-name", 15,
            "mtu", 26, "broadcast", 28, "ntp-server", 42);

    public DhcpOptionSetting {
        if (code < 1 || code > 254) throw new IllegalArgumentException("DHCP option code out of 1..254: " + code);
        value = value.clone();
    }

    @Override
    public byte[] value() { return value.clone(); }

    public boolean isEmpty() { return value.length == 0; }

    /**
     * Parses the value of a {@code dhcp-option} line: "3", "option:mtu,7000", "6,8.8.8.8,1.1.1.1",
     * "option:domain-name,example.org". Tags and encapsulated options are not supported.
     */
    public static DhcpOptionSetting parse(String text) {
        String[] parts = text.split(",", -1);
        String head = parts[0].strip();
        if (head.startsWith("tag:") || head.startsWith("set:") || head.startsWith("net:") || head.startsWith("encap:")
                || head.startsWith("vendor:") || head.startsWith("vi-encap:") || head.startsWith("option6:")) {
            throw new IllegalArgumentException("unsupported dhcp-option form: '" + head + "'");
        }
        int code;
        if (head.startsWith("option:")) {
            Integer c = NAMES.get(head.substring(7).toLowerCase(Locale.ROOT));
            if (c == null) throw new IllegalArgumentException("unsupported dhcp-option name: '" + head + "'");
            code = c;
        } else {
            try {
                code = Integer.parseInt(head);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a DHCP option: '" + head + "'");
            }
        }
        List<String> values = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) values.add(parts[i].strip());
        return new DhcpOptionSetting(code, encode(code, values));
    }

    /** An option from its code and the values of its configuration line (none: the empty option). */
    public static DhcpOptionSetting of(int code, List<String> values) {
        return new DhcpOptionSetting(code, encode(code, values));
    }

    private static byte[] encode(int code, List<String> values) {
        if (values.isEmpty()) return new byte[0];
        switch (code) {
            case 1, 3, 6, 28, 42 -> {
                byte[] out = new byte[4 * values.size()];
                for (int i = 0; i < values.size(); i++) {
                    // "0.0.0.0" means the server's own address; the server substitutes it when sending
                    System.arraycopy(Ipv4Address.parse(values.get(i)).toBytes(), 0, out, 4 * i, 4);
                }
                return out;
            }
            case 26 -> {
                int mtu = Integer.parseInt(values.get(0));
                if (values.size() != 1 || mtu < 0 || mtu > 65535) throw new IllegalArgumentException("bad MTU value");
                return new byte[] {(byte) (mtu >> 8), (byte) mtu};
            }
            case 12, 15 -> {
                return String.join(",", values).getBytes(StandardCharsets.ISO_8859_1);
            }
            default -> throw new IllegalArgumentException("unsupported: a value for DHCP option " + code);
        }
    }
}
