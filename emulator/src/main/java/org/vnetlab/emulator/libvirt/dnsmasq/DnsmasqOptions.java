package org.vnetlab.emulator.libvirt.dnsmasq;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.vnetlab.emulator.libvirt.IpAddress;

/**
 * The settings of a dnsmasq configuration in the subset libvirt writes (plus a few options users pass through
 * {@code <dnsmasq:options>}), immutable: what the emulated dnsmasq runs from. Read by {@link DnsmasqConfParser}.
 *
 * @param port DNS port; {@code port=0} switches DNS off (empty: dnsmasq's 53)
 * @param servers {@code server=} and {@code local=} lines, in file order (dnsmasq matches the longest domain)
 * @param exceptInterfaces interfaces dnsmasq must not listen on ({@code lo})
 * @param dhcpLeaseMax the most leases dnsmasq hands out (empty: dnsmasq's default of 1000)
 */
public record DnsmasqOptions(
        boolean strictOrder,
        boolean noResolv,
        boolean domainNeeded,
        boolean expandHosts,
        OptionalInt port,
        List<Server> servers,
        Optional<String> domain,
        Optional<String> pidFile,
        List<String> exceptInterfaces,
        BindMode bindMode,
        List<String> interfaces,
        List<IpAddress> listenAddresses,
        List<DhcpRange> dhcpRanges,
        boolean dhcpNoOverride,
        boolean dhcpAuthoritative,
        OptionalInt dhcpLeaseMax,
        List<String> dhcpHostsFiles,
        List<String> addnHostsFiles,
        List<DhcpOption> dhcpOptions,
        boolean enableTftp,
        Optional<String> tftpRoot,
        Optional<DhcpBoot> dhcpBoot,
        boolean enableRa,
        List<String> raParams,
        List<TxtRecord> txtRecords,
        List<SrvHost> srvHosts,
        List<Cname> cnames,
        boolean leasefileReadOnly) {

    public DnsmasqOptions {
        servers = List.copyOf(servers);
        exceptInterfaces = List.copyOf(exceptInterfaces);
        interfaces = List.copyOf(interfaces);
        listenAddresses = List.copyOf(listenAddresses);
        dhcpRanges = List.copyOf(dhcpRanges);
        dhcpHostsFiles = List.copyOf(dhcpHostsFiles);
        addnHostsFiles = List.copyOf(addnHostsFiles);
        dhcpOptions = List.copyOf(dhcpOptions);
        raParams = List.copyOf(raParams);
        txtRecords = List.copyOf(txtRecords);
        srvHosts = List.copyOf(srvHosts);
        cnames = List.copyOf(cnames);
    }

    /** DNS is served unless {@code port=0}. */
    public boolean dnsEnabled() { return port.isEmpty() || port.getAsInt() != 0; }

    /** How dnsmasq binds its sockets. */
    public enum BindMode {
        /** No bind option: one wildcard socket, replies filtered by interface. */
        WILDCARD,
        /** {@code bind-interfaces}: one socket per listen address, fixed at start. */
        INTERFACES,
        /** {@code bind-dynamic}: per-interface sockets that follow addresses as they come and go. */
        DYNAMIC
    }

    /**
     * An upstream rule. {@code domains} empty: every name; a domain "" is {@code local=//}, names without a dot.
     */
    public record Server(List<String> domains, Target target) {
        public Server {
            domains = List.copyOf(domains);
        }
    }

    /** Where queries for a {@link Server}'s domains go. */
    public sealed interface Target permits Address, StandardServers, LocalOnly {}

    /** To this server ({@code port} empty: 53). */
    public record Address(IpAddress address, OptionalInt port) implements Target {}

    /**
     * {@code #}: "use the standard servers" (dnsmasq's manual), i.e. the unqualified {@code server=} lines and
     * resolv.conf, overriding a wider domain rule. libvirt writes it for a {@code <forwarder domain>} without
     * an address, meaning "do not forward this domain"; dnsmasq does forward it, normally.
     */
    public record StandardServers() implements Target {}

    /** No address ({@code server=/d/} or {@code local=/d/}): answered from hosts files and DHCP only, never forwarded. */
    public record LocalOnly() implements Target {}

    public enum RangeMode { DYNAMIC, STATIC, RA_ONLY }

    /**
     * {@code dhcp-range}: a pool ({@code start,end}), a static-only network ({@code addr,static}) or router
     * advertisements only ({@code addr,ra-only}); netmask for IPv4, prefix length for IPv6.
     */
    public record DhcpRange(IpAddress start, Optional<IpAddress> end, RangeMode mode, Optional<IpAddress> netmask,
            OptionalInt prefixLength, Optional<LeaseTime> lease) {}

    /** A lease time: seconds, or infinite. */
    public record LeaseTime(long seconds, boolean infinite) {
        public static final LeaseTime INFINITE = new LeaseTime(0, true);

        public static LeaseTime seconds(long s) { return new LeaseTime(s, false); }
    }

    /** {@code dhcp-option=CODE[,VALUE...]}; no values sends the option empty (libvirt's "no default route"). */
    public record DhcpOption(int code, List<String> values) {
        public DhcpOption {
            values = List.copyOf(values);
        }
    }

    /** {@code dhcp-boot=FILE[,SERVERNAME[,SERVERADDRESS]]}. */
    public record DhcpBoot(String file, Optional<String> serverName, Optional<IpAddress> serverAddress) {}

    public record TxtRecord(String name, List<String> texts) {
        public TxtRecord {
            texts = List.copyOf(texts);
        }
    }

    /** {@code srv-host=_service._proto.domain[,target[,port[,priority[,weight]]]]}; no target: "not available". */
    public record SrvHost(String name, Optional<String> target, int port, int priority, int weight) {}

    /** {@code cname=ALIAS[,ALIAS...],TARGET[,TTL]}. */
    public record Cname(List<String> aliases, String target, OptionalInt ttl) {
        public Cname {
            aliases = List.copyOf(aliases);
        }
    }
}
