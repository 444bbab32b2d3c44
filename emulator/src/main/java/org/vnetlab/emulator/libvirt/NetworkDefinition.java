package org.vnetlab.emulator.libvirt;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.vnetlab.protocols.MacAddress;

/**
 * A libvirt virtual network, as {@code virsh net-dumpxml} prints it and {@code virsh net-define} accepts it:
 * what libvirt itself uses to write dnsmasq's configuration and install firewall rules. Immutable. The
 * {@code connections} count and {@code <metadata>} are read but change nothing.
 *
 * @param ipv6NoGateway {@code <network ipv6='yes'>}: guest-to-guest IPv6 without any IPv6 address on the bridge
 * @param portIsolated {@code <port isolated='yes'/>}: guests' bridge ports may not talk to each other
 * @param dnsmasqOptions the {@code <dnsmasq:options>} values, passed through verbatim to dnsmasq.conf
 * @param unmodelled elements the definition has but the emulator does not act on, for a warning
 */
public record NetworkDefinition(
        String name,
        Optional<String> uuid,
        OptionalLong connections,
        boolean ipv6NoGateway,
        Forward forward,
        Optional<Bridge> bridge,
        Optional<MacAddress> mac,
        OptionalInt mtu,
        Tristate portIsolated,
        Optional<Domain> domain,
        Dns dns,
        List<IpDefinition> ips,
        List<Route> routes,
        List<String> dnsmasqOptions,
        List<Unmodelled> unmodelled) {

    public NetworkDefinition {
        ips = List.copyOf(ips);
        routes = List.copyOf(routes);
        dnsmasqOptions = List.copyOf(dnsmasqOptions);
        unmodelled = List.copyOf(unmodelled);
    }

    /** An element that is valid but changes nothing the emulator computes; {@code effect} says what is lost. */
    public record Unmodelled(String element, int line, String effect) {}

    /** The bridge device libvirt creates (or, in bridge mode, attaches to). */
    public Optional<String> bridgeName() {
        return bridge.flatMap(Bridge::name);
    }

    /** The {@code <ip>} elements of one family, in document order (libvirt's {@code virNetworkDefGetIPByIndex}). */
    public List<IpDefinition> ips(IpAddress.Family family) {
        return ips.stream().filter(ip -> ip.family() == family).toList();
    }

    /** libvirt's yes/no attributes that may also be absent (its {@code virTristateBool}). */
    public enum Tristate {
        ABSENT, YES, NO;

        static Tristate of(Optional<String> value) {
            return value.map(v -> v.equals("yes") ? YES : NO).orElse(ABSENT);
        }
    }

    /** {@code <forward mode=...>}; {@link #NONE} is an isolated network (no {@code <forward>} element). */
    public enum ForwardMode {
        NONE, NAT, ROUTE, OPEN, BRIDGE, PASSTHROUGH, PRIVATE, VEPA, HOSTDEV;

        public String xmlName() { return name().toLowerCase(Locale.ROOT); }

        /** Modes where libvirt owns the bridge and runs dnsmasq and its firewall rules. */
        public boolean virtual() {
            return this == NONE || this == NAT || this == ROUTE || this == OPEN;
        }

        static ForwardMode of(String xmlName) {
            return valueOf(xmlName.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * {@code <forward>}: the mode, the uplink device ({@code dev} or the first {@code <interface>}), and for NAT
     * the public address and port ranges ({@code <nat><address/><port/></nat>}).
     */
    public record Forward(ForwardMode mode, Optional<String> dev, List<String> interfaces,
            Optional<AddressRange> natAddresses, Optional<PortRange> natPorts, Tristate natIpv6) {
        public Forward {
            interfaces = List.copyOf(interfaces);
        }

        public static Forward isolated() {
            return new Forward(ForwardMode.NONE, Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
                    Tristate.ABSENT);
        }

        /** The device traffic leaves by, when the network names one (libvirt's {@code virNetworkDefForwardIf}). */
        public Optional<String> uplink() {
            return interfaces.isEmpty() ? dev : Optional.of(interfaces.get(0));
        }
    }

    public record AddressRange(IpAddress start, IpAddress end) {}

    public record PortRange(int start, int end) {}

    /** {@code <bridge name stp delay zone macTableManager>}. */
    public record Bridge(Optional<String> name, Optional<String> zone, Optional<Boolean> stp, OptionalLong delay,
            Optional<String> macTableManager) {}

    /** {@code <domain name localOnly>}: the DNS domain dnsmasq serves guests' names in. */
    public record Domain(String name, Tristate localOnly) {}

    /** {@code <dns>}; an absent element is {@link #defaults()}: DNS on, forwarding plain names as dnsmasq does. */
    public record Dns(Tristate enable, Tristate forwardPlainNames, List<DnsForwarder> forwarders, List<DnsTxt> txts,
            List<DnsSrv> srvs, List<DnsHost> hosts) {
        public Dns {
            forwarders = List.copyOf(forwarders);
            txts = List.copyOf(txts);
            srvs = List.copyOf(srvs);
            hosts = List.copyOf(hosts);
        }

        public static Dns defaults() {
            return new Dns(Tristate.ABSENT, Tristate.ABSENT, List.of(), List.of(), List.of(), List.of());
        }

        /** DNS is served unless {@code enable='no'}. */
        public boolean enabled() { return enable != Tristate.NO; }
    }

    /** {@code <forwarder addr domain>}: no address means "do not forward this domain". */
    public record DnsForwarder(Optional<IpAddress> address, Optional<String> domain) {}

    public record DnsTxt(String name, String value) {}

    /** {@code <srv>}; port, priority and weight are 0 when not given, as libvirt stores them. */
    public record DnsSrv(String service, String protocol, Optional<String> domain, Optional<String> target,
            int port, int priority, int weight) {}

    public record DnsHost(IpAddress ip, List<String> hostnames) {
        public DnsHost {
            hostnames = List.copyOf(hostnames);
        }
    }

    /**
     * One {@code <ip>}: the bridge's address and prefix (from {@code prefix}, {@code netmask}, or the classful
     * default libvirt falls back to), optional TFTP root, DHCP ranges, static hosts and BOOTP file.
     */
    public record IpDefinition(IpAddress address, int prefix, Tristate localPtr, Optional<String> tftpRoot,
            List<DhcpRange> ranges, List<DhcpHost> hosts, Optional<Bootp> bootp) {
        public IpDefinition {
            ranges = List.copyOf(ranges);
            hosts = List.copyOf(hosts);
        }

        public IpAddress.Family family() { return address.family(); }

        /** libvirt serves DHCP on an {@code <ip>} with at least one range or static host. */
        public boolean hasDhcp() { return !ranges.isEmpty() || !hosts.isEmpty(); }

        public IpAddress network() { return address.masked(prefix); }
    }

    /** {@code <range start end>} with an optional lease time. */
    public record DhcpRange(IpAddress start, IpAddress end, Optional<Lease> lease) {

        /**
         * How many addresses the range holds, checked the way libvirt's {@code virSocketAddrGetRange} checks it:
         * inside {@code network/prefix}, not the IPv4 network or broadcast address, not reversed, and (a legacy
         * limit) differing only in the last 16 bits for IPv4 or the last 32 bits for IPv6.
         *
         * @throws IllegalArgumentException naming what is wrong, in libvirt's words
         */
        public long addressCount(IpAddress network, int prefix) {
            String range = start + " - " + end;
            String net = network.masked(prefix) + "/" + prefix;
            if (start.family() != end.family() || start.family() != network.family()) {
                throw new IllegalArgumentException("range " + range + " mixes address families with network " + net);
            }
            if (!start.inNetwork(network, prefix) || !end.inNetwork(network, prefix)) {
                throw new IllegalArgumentException("range " + range + " is not entirely within network " + net);
            }
            long count;
            if (start instanceof IpAddress.V4 s && end instanceof IpAddress.V4 e) {
                if (prefix < 31) {
                    if (s.equals(network.masked(prefix))) {
                        throw new IllegalArgumentException("start of range " + range + " in network " + net + " is the network address");
                    }
                    if (e.equals(network.lastInNetwork(prefix))) {
                        throw new IllegalArgumentException("end of range " + range + " in network " + net + " is the broadcast address");
                    }
                }
                if ((s.unsigned() >>> 16) != (e.unsigned() >>> 16)) {
                    throw new IllegalArgumentException("range " + range + " is too large");
                }
                count = (e.unsigned() & 0xffff) - (s.unsigned() & 0xffff);
            } else {
                IpAddress.V6 s = (IpAddress.V6) start;
                IpAddress.V6 e = (IpAddress.V6) end;
                if (s.high() != e.high() || (s.low() >>> 32) != (e.low() >>> 32)) {
                    throw new IllegalArgumentException("range " + range + " is too large");
                }
                count = (e.low() & 0xffff_ffffL) - (s.low() & 0xffff_ffffL);
            }
            if (count < 0) throw new IllegalArgumentException("range " + range + " is reversed");
            return count + 1;
        }
    }

    /** {@code <host mac|id name ip>} of {@code <dhcp>}. */
    public record DhcpHost(Optional<MacAddress> mac, Optional<String> id, Optional<String> name, IpAddress ip,
            Optional<Lease> lease) {}

    /** {@code <lease expiry unit>}; expiry 0 is an infinite lease. */
    public record Lease(long expiry, LeaseUnit unit) {
        public boolean infinite() { return expiry == 0; }

        /** How dnsmasq spells it: {@code infinite}, {@code 200s}, {@code 5m}, {@code 2h}. */
        public String dnsmasqForm() {
            return infinite() ? "infinite" : expiry + unit.suffix();
        }
    }

    public enum LeaseUnit {
        SECONDS, MINUTES, HOURS;

        /** The first letter of the unit's name, which is what libvirt writes after the number. */
        public String suffix() { return name().substring(0, 1).toLowerCase(Locale.ROOT); }
    }

    /** {@code <bootp file server>}. */
    public record Bootp(String file, Optional<IpAddress> server) {}

    /** {@code <route address prefix gateway metric>}: a static route libvirt adds via a guest. */
    public record Route(IpAddress address, int prefix, IpAddress gateway, OptionalInt metric) {}
}
