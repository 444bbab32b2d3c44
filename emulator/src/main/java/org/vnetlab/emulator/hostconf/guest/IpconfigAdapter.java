package org.vnetlab.emulator.hostconf.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * One adapter block of ipconfig: kind ({@code Ethernet}, {@code Wireless LAN}, {@code Tunnel}, {@code PPP},
 * {@code Unknown}), name, and its fields in printed order. Typed accessors read the fields.
 */
public record IpconfigAdapter(String kind, String name, List<IpconfigField> fields) {
    public IpconfigAdapter {
        fields = List.copyOf(fields);
    }

    /** An IPv4 address line: the address and Windows' state suffix ({@code Preferred}, {@code Duplicate}, …). */
    public record Ipv4Entry(Ipv4Address address, Optional<String> state) {}

    public Optional<IpconfigField> field(String label) {
        return fields.stream().filter(f -> f.label().equals(label)).findFirst();
    }

    private List<String> all(String... labels) {
        List<String> out = new ArrayList<>();
        for (IpconfigField f : fields) {
            for (String l : labels) if (f.label().equals(l)) out.addAll(f.values());
        }
        return out;
    }

    public boolean mediaDisconnected() { return field("Media State").map(f -> f.first().equals("Media disconnected")).orElse(false); }

    public String dnsSuffix() { return field("Connection-specific DNS Suffix").map(IpconfigField::first).orElse(""); }

    public Optional<String> description() { return field("Description").map(IpconfigField::first); }

    /** {@code Physical Address}, written {@code 52-54-00-AA-BB-01} by Windows; empty for 8-byte tunnel addresses. */
    public Optional<MacAddress> physicalAddress() {
        return field("Physical Address").map(IpconfigField::first).filter(s -> s.split("-").length == 6).map(MacAddress::parse);
    }

    public Optional<Boolean> dhcpEnabled() { return field("DHCP Enabled").map(f -> f.first().equals("Yes")); }

    /** IPv4 addresses (also APIPA autoconfiguration ones), with their state suffix split off. */
    public List<Ipv4Entry> ipv4Entries() {
        List<Ipv4Entry> out = new ArrayList<>();
        for (String v : all("IPv4 Address", "IP Address", "Autoconfiguration IPv4 Address", "Autoconfiguration IP Address")) {
            int paren = v.indexOf('(');
            String addr = paren < 0 ? v : v.substring(0, paren);
            Optional<String> state = paren < 0 ? Optional.empty() : Optional.of(v.substring(paren + 1, v.length() - 1));
            out.add(new Ipv4Entry(Ipv4Address.parse(addr), state));
        }
        return out;
    }

    /** Subnet masks, one per IPv4 address in the same order. */
    public List<Ipv4Address> subnetMasks() {
        return all("Subnet Mask").stream().map(Ipv4Address::parse).toList();
    }

    /** Default gateways as printed: IPv6 ({@code fe80::1%13}) and IPv4 ones. */
    public List<String> defaultGateways() { return all("Default Gateway"); }

    public Optional<Ipv4Address> ipv4Gateway() {
        return defaultGateways().stream().filter(s -> !s.contains(":")).findFirst().map(Ipv4Address::parse);
    }

    public Optional<Ipv4Address> dhcpServer() {
        return field("DHCP Server").map(IpconfigField::first).filter(s -> !s.isEmpty()).map(Ipv4Address::parse);
    }

    public List<String> dnsServers() { return all("DNS Servers"); }

    /** Lease times as Windows printed them (locale-formatted; kept as text). */
    public Optional<String> leaseObtained() { return field("Lease Obtained").map(IpconfigField::first); }

    public Optional<String> leaseExpires() { return field("Lease Expires").map(IpconfigField::first); }

    /** Addresses with prefix lengths from the matching subnet masks. */
    public List<GuestAddress> addresses() {
        List<Ipv4Entry> entries = ipv4Entries();
        List<Ipv4Address> masks = subnetMasks();
        List<GuestAddress> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            int len = i < masks.size() ? Ipv4Prefix.maskLength(masks.get(i)) : 32;
            out.add(new GuestAddress(name, entries.get(i).address(), len));
        }
        return out;
    }

    /** The block header as Windows prints it, e.g. {@code Ethernet adapter Local Area Connection 2:}. */
    public String header() { return kind + " adapter " + name + ":"; }

    /**
     * An adapter configured by DHCP, with the fields of {@code ipconfig /all} in Windows' order; what the
     * emulated Windows guest prints.
     */
    public static IpconfigAdapter dhcpEthernet(String name, String description, MacAddress mac, String linkLocalIpv6,
                                               Ipv4Address address, Ipv4Address mask, String leaseObtained,
                                               String leaseExpires, Optional<Ipv4Address> gateway, Ipv4Address dhcpServer,
                                               List<Ipv4Address> dns, String dnsSuffix) {
        List<IpconfigField> f = new ArrayList<>();
        f.add(IpconfigField.of("Connection-specific DNS Suffix", dnsSuffix.isEmpty() ? new String[0] : new String[] {dnsSuffix}));
        f.add(IpconfigField.of("Description", description));
        f.add(IpconfigField.of("Physical Address", windowsMac(mac)));
        f.add(IpconfigField.of("DHCP Enabled", "Yes"));
        f.add(IpconfigField.of("Autoconfiguration Enabled", "Yes"));
        f.add(IpconfigField.of("Link-local IPv6 Address", linkLocalIpv6 + "(Preferred)"));
        f.add(IpconfigField.of("IPv4 Address", address + "(Preferred)"));
        f.add(IpconfigField.of("Subnet Mask", mask.toString()));
        f.add(IpconfigField.of("Lease Obtained", leaseObtained));
        f.add(IpconfigField.of("Lease Expires", leaseExpires));
        f.add(new IpconfigField("Default Gateway", gateway.map(g -> List.of(g.toString())).orElse(List.of())));
        f.add(IpconfigField.of("DHCP Server", dhcpServer.toString()));
        f.add(new IpconfigField("DNS Servers", dns.stream().map(Ipv4Address::toString).toList()));
        f.add(IpconfigField.of("NetBIOS over Tcpip", "Enabled"));
        return new IpconfigAdapter("Ethernet", name, f);
    }

    /** {@code 52-54-00-AA-BB-01}: Windows writes MACs with dashes, upper case. */
    public static String windowsMac(MacAddress mac) {
        return mac.toString().replace(':', '-').toUpperCase(java.util.Locale.ROOT);
    }
}
