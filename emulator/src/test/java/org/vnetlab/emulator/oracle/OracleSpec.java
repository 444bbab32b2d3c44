package org.vnetlab.emulator.oracle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One oracle run, written in the spec format of src/oracle/README.md: topology parameters, sysctls,
 * routes, the ruleset, dnsmasq's conf and upstream resolv.conf, and the probes in order. Immutable; built
 * with {@link #builder()}.
 */
public final class OracleSpec {
    private final List<String> lines;
    private final List<Probe> probes;

    private OracleSpec(List<String> lines, List<Probe> probes) {
        this.lines = List.copyOf(lines);
        this.probes = List.copyOf(probes);
    }

    public static Builder builder() { return new Builder(); }

    public List<Probe> probes() { return probes; }

    /** The spec file's text. */
    public String text() {
        StringBuilder sb = new StringBuilder("# vnetlab-oracle spec, written by OracleSpec\n");
        lines.forEach(line -> sb.append(line).append('\n'));
        probes.forEach(probe -> sb.append(probe.line()).append('\n'));
        return sb.toString();
    }

    @Override
    public String toString() { return text(); }

    public static final class Builder {
        private final List<String> lines = new ArrayList<>();
        private final List<Probe> probes = new ArrayList<>();
        private final Set<String> ids = new HashSet<>();

        private Builder() { }

        /** A topology parameter, e.g. {@code set("guest.ip", "192.168.122.55/24")}. */
        public Builder set(String key, String value) { return line("set " + word(key) + " " + value); }

        /** A per-namespace {@code net.*} sysctl, e.g. {@code sysctl("host", "net.ipv4.ip_forward", "0")}. */
        public Builder sysctl(String namespace, String key, String value) {
            return line("sysctl " + word(namespace) + " " + word(key) + "=" + word(value));
        }

        /** {@code ip route add ARGS} in a namespace; any route line replaces that namespace's default routes. */
        public Builder route(String namespace, String ipRouteAddArgs) { return line("route " + word(namespace) + " " + ipRouteAddArgs); }

        /** An iptables-save file loaded into the host with iptables-restore. */
        public Builder iptables(Path file) { return line("iptables " + file.toAbsolutePath()); }

        /** An iptables-save file loaded into another namespace (its counters and conntrack are snapshot too). */
        public Builder iptables(String namespace, Path file) { return line("iptables " + word(namespace) + " " + file.toAbsolutePath()); }

        /** The MTU of one interface of a namespace (each end of a veth pair has its own). */
        public Builder mtu(String namespace, String iface, int mtu) { return line("mtu " + word(namespace) + " " + word(iface) + " " + mtu); }

        /** An nft file loaded into the host with {@code nft -f}. */
        public Builder nft(Path file) { return line("nft " + file.toAbsolutePath()); }

        /** The host dnsmasq's conf (paths in it are moved into the run's folder). */
        public Builder dnsmasqConf(Path file) { return line("dnsmasq-conf " + file.toAbsolutePath()); }

        /** One line of the resolv.conf dnsmasq forwards to, e.g. {@code resolv("nameserver 8.8.8.8")}. */
        public Builder resolv(String line) { return line("resolv " + line); }

        /** An A record the internet's DNS servers answer. */
        public Builder inetDns(String name, String address) { return line("inet-dns " + word(name) + " " + word(address)); }

        /** A pcap of one interface, written to OUT/pcap/NS-IFACE.pcap. */
        public Builder capture(String namespace, String iface) { return line("capture " + word(namespace) + " " + word(iface)); }

        public Builder probe(Probe probe) {
            if (!ids.add(probe.id())) throw new IllegalArgumentException("duplicate probe id " + probe.id());
            probes.add(probe);
            return this;
        }

        public OracleSpec build() { return new OracleSpec(lines, probes); }

        private Builder line(String line) {
            if (line.contains("\n") || line.contains("#")) throw new IllegalArgumentException("one spec line without '#': " + line);
            lines.add(line);
            return this;
        }

        private static String word(String value) {
            if (value.isEmpty() || value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("expected one word, got '" + value + "'");
            }
            return value;
        }
    }
}
