package org.vnetlab.scenarios.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * What the scenario builds: the host from its dump (a folder of real outputs, relative to the scenario
 * folder), files of the dump named explicitly when recognition by content is not wanted, the guests on the
 * libvirt network and hosts on the host's LAN. The router and the internet are always there.
 */
public record Topology(SourcePos pos, String kind, Optional<String> dump, Map<DumpPart, String> files,
                       List<Guest> guests, List<LanHost> lanHosts) {

    public static final String LIBVIRT_DEFAULT = "libvirt-default";
    /** Nodes every topology has. */
    public static final List<String> FIXED_NODES = List.of("host", "router", "internet");

    public Topology {
        files = Map.copyOf(files);
        guests = List.copyOf(guests);
        lanHosts = List.copyOf(lanHosts);
    }

    /** The guest operating systems the emulator models; each has its own commands and output formats. */
    public enum GuestOs {
        WINDOWS, LINUX;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    public record Guest(String name, GuestOs os, MacAddress mac, SourcePos pos) {}

    /** A machine on the host's LAN (the uplink network); without an address it gets one the dump leaves free. */
    public record LanHost(String name, Optional<Ipv4Address> address, SourcePos pos) {}

    /** Files of a host dump a topology may name explicitly (overriding recognition by content). */
    public enum DumpPart {
        NETWORK_XML("net-xml", "virsh net-dumpxml"),
        IPTABLES("iptables", "iptables-save"),
        SYSCTL("sysctl", "sysctl -a or /etc/sysctl.conf"),
        ROUTES("routes", "ip route or route -n"),
        ADDRESSES("addresses", "ip addr"),
        RESOLV_CONF("resolv", "/etc/resolv.conf"),
        NFT_RULESET("nft", "nft list ruleset"),
        IPSET("ipset", "ipset save"),
        NETWORK_CONF("network-conf", "/etc/libvirt/network.conf"),
        /** A guest's own settings; {@code ipconfig=} is the older name of the key. */
        GUEST_SETTINGS("guest-settings", "a guest's ipconfig /all or ip addr");

        private final String key;
        private final String what;

        DumpPart(String key, String what) {
            this.key = key;
            this.what = what;
        }

        public String key() { return key; }

        public String what() { return what; }

        public static Optional<DumpPart> byKey(String key) {
            if (key.equals("ipconfig")) return Optional.of(GUEST_SETTINGS);
            for (DumpPart p : values()) if (p.key.equals(key)) return Optional.of(p);
            return Optional.empty();
        }

        public static String keys() {
            List<String> ks = new ArrayList<>();
            for (DumpPart p : values()) ks.add(p.key);
            return String.join(", ", ks);
        }
    }

    /** Every node name a step may address, in a stable order. */
    public List<String> nodes() {
        List<String> out = new ArrayList<>(FIXED_NODES);
        guests.forEach(g -> out.add(g.name()));
        lanHosts.forEach(l -> out.add(l.name()));
        return out;
    }

    public Optional<Guest> guest(String name) {
        return guests.stream().filter(g -> g.name().equals(name)).findFirst();
    }
}
