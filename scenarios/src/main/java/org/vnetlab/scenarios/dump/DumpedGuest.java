package org.vnetlab.scenarios.dump;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.DumpContent;
import org.vnetlab.emulator.hostconf.DumpKind;
import org.vnetlab.emulator.hostconf.DumpedFile;
import org.vnetlab.emulator.hostconf.guest.IpconfigAdapter;
import org.vnetlab.emulator.hostconf.guest.WindowsIpconfig;
import org.vnetlab.emulator.hostconf.iface.HostInterfaces;
import org.vnetlab.emulator.hostconf.iface.InterfaceAddress;
import org.vnetlab.emulator.hostconf.iface.InterfaceConfig;
import org.vnetlab.protocols.Ipv4Address;

/**
 * A guest's own view of its network, from its {@code ipconfig /all} (Windows) or {@code ip addr} (Linux) in
 * the dump: the adapter on the libvirt network, its IPv4 address, gateway and DNS servers, and whether it
 * takes them by DHCP ({@code Optional.empty()} when the output does not say: plain ipconfig).
 *
 * @param file    the dump file it came from
 * @param line    the file's line that shows the address (1-based)
 * @param windows true for ipconfig output
 * @param gateway the default gateway when the output shows one (ipconfig does; ip addr does not)
 */
public record DumpedGuest(String file, int line, boolean windows, String adapter, Ipv4Address address, int prefixLength,
                          Optional<Ipv4Address> gateway, List<Ipv4Address> dns, Optional<Boolean> dhcp) {
    public DumpedGuest {
        dns = List.copyOf(dns);
    }

    /** A static configuration: DHCP is off (shown as such), so the address is what someone typed in. */
    public boolean isStatic() { return dhcp.equals(Optional.of(false)); }

    public String cidr() { return address + "/" + prefixLength; }

    /** The guest in a recognised dump file, if the file is a guest's. */
    static Optional<DumpedGuest> of(DumpedFile f) {
        Optional<DumpedGuest> g = Optional.empty();
        if (f.content() instanceof DumpContent.Ipconfig i) g = windows(f.name(), i.ipconfig());
        if (f.is(DumpKind.IP_ADDR) && f.content() instanceof DumpContent.Interfaces i && isGuests(i.interfaces())) g = linux(f.name(), i.interfaces());
        return g.map(x -> x.at(lineOf(f.text(), x.address().toString())));
    }

    /** The guest in a file named explicitly as the guest's settings: an ip addr listing needs no QEMU MAC to count. */
    static Optional<DumpedGuest> named(DumpedFile f) {
        Optional<DumpedGuest> g = Optional.empty();
        if (f.content() instanceof DumpContent.Ipconfig i) g = windows(f.name(), i.ipconfig());
        if (f.is(DumpKind.IP_ADDR) && f.content() instanceof DumpContent.Interfaces i && !looksLikeAHost(i.interfaces())) g = linux(f.name(), i.interfaces());
        return g.map(x -> x.at(lineOf(f.text(), x.address().toString())));
    }

    private DumpedGuest at(int l) { return new DumpedGuest(file, l, windows, adapter, address, prefixLength, gateway, dns, dhcp); }

    private static int lineOf(String text, String what) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (java.util.regex.Pattern.compile("(^|[^0-9.])" + java.util.regex.Pattern.quote(what) + "([^0-9.]|$)").matcher(lines[i]).find()) return i + 1;
        }
        return 1;
    }

    /**
     * Whether an {@code ip addr} listing is a guest's rather than the host's, by content: the host that runs
     * a libvirt network has its bridge (and taps, enslaved to it); a guest has neither, and its NIC has the
     * MAC prefix libvirt gives guests (52:54:00, QEMU's).
     */
    public static boolean isGuests(HostInterfaces ifs) {
        if (looksLikeAHost(ifs)) return false;
        for (InterfaceConfig i : ifs.interfaces()) {
            String n = i.name().toLowerCase(Locale.ROOT);
            if (!n.equals("lo") && i.linkAddress().map(m -> m.toLowerCase(Locale.ROOT).startsWith("52:54:00:")).orElse(false)) return true;
        }
        return false;
    }

    /** Whether a listing has what only a virtualization host has: a bridge, a tap or an interface enslaved to one. */
    public static boolean looksLikeAHost(HostInterfaces ifs) {
        for (InterfaceConfig i : ifs.interfaces()) {
            String n = i.name().toLowerCase(Locale.ROOT);
            if (i.master().isPresent() || n.startsWith("virbr") || n.startsWith("vnet") || n.startsWith("docker") || n.startsWith("br-")
                    || i.linkType().filter("bridge"::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    private static Optional<DumpedGuest> windows(String file, WindowsIpconfig ipconfig) {
        for (IpconfigAdapter a : ipconfig.adapters()) {
            if (a.mediaDisconnected() || a.addresses().isEmpty()) continue;
            if (a.kind().equals("Tunnel")) continue;
            var addr = a.addresses().get(0);
            List<Ipv4Address> dns = new ArrayList<>();
            for (String s : a.dnsServers()) {
                try {
                    dns.add(Ipv4Address.parse(s));
                } catch (IllegalArgumentException e) {
                    // an IPv6 server: not modelled, and not what the probes use
                }
            }
            return Optional.of(new DumpedGuest(file, 1, true, a.name(), addr.address(), addr.prefixLength(), a.ipv4Gateway(), dns, a.dhcpEnabled()));
        }
        return Optional.empty();
    }

    private static Optional<DumpedGuest> linux(String file, HostInterfaces ifs) {
        for (InterfaceConfig i : ifs.interfaces()) {
            if (i.name().equals("lo") || i.ipv4().isEmpty()) continue;
            InterfaceAddress a = i.ipv4().get(0);
            // dhclient, NetworkManager and systemd-networkd mark what DHCP gave "dynamic" (it has a lifetime)
            boolean dynamic = a.flags().contains("dynamic");
            return Optional.of(new DumpedGuest(file, 1, false, i.name(), a.address(), a.prefixLength(), Optional.empty(), List.of(),
                    Optional.of(dynamic)));
        }
        return Optional.empty();
    }
}
