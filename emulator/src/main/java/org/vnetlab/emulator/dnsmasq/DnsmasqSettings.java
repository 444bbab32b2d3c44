package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The subset of dnsmasq's configuration that libvirt generates, as one immutable value: what the emulated
 * dnsmasq is started with. Defaults are dnsmasq's own ({@code dhcp-lease-max} 1000, DNS on port 53).
 *
 * @param interfaceName the {@code interface=} dnsmasq serves (libvirt: the bridge, {@code virbr0})
 * @param dhcpRanges {@code dhcp-range=} lines; none means no DHCP
 * @param dhcpHosts the entries of the {@code dhcp-hostsfile}
 * @param dhcpLeaseMax {@code dhcp-lease-max=}
 * @param dhcpAuthoritative {@code dhcp-authoritative}: NAK requests for addresses that are not ours
 * @param dhcpNoOverride {@code dhcp-no-override}: never put options in the file/sname fields
 * @param dhcpOptions {@code dhcp-option=} lines
 * @param port {@code port=}: 53, or 0 when {@code <dns enable='no'/>} turned DNS off
 * @param domain {@code domain=}
 * @param expandHosts {@code expand-hosts}: hosts-file names get the domain too
 * @param servers {@code server=} and {@code local=} lines, in order
 * @param noResolv {@code no-resolv}: ignore the host's resolv.conf
 * @param strictOrder {@code strict-order}: ask upstreams one at a time, in order
 * @param domainNeeded {@code domain-needed}: never forward names without a dot
 * @param bogusPriv {@code bogus-priv}: never forward reverse lookups of private addresses
 * @param noHosts {@code no-hosts}: do not read /etc/hosts
 * @param addnHosts the entries of the {@code addn-hosts} file
 * @param hostsfilePath where the dhcp-hostsfile is (for log lines), if any
 * @param addnHostsPath where the addn-hosts file is (for log lines), if any
 * @param unmodelled parts of the configuration the emulation leaves out (IPv6 ranges, router
 *                   advertisements), said once in the log at start
 */
public record DnsmasqSettings(String interfaceName, List<DhcpRange> dhcpRanges, List<StaticHost> dhcpHosts,
        int dhcpLeaseMax, boolean dhcpAuthoritative, boolean dhcpNoOverride, List<DhcpOptionSetting> dhcpOptions,
        int port, Optional<String> domain, boolean expandHosts, List<ServerRule> servers, boolean noResolv,
        boolean strictOrder, boolean domainNeeded, boolean bogusPriv, boolean noHosts, List<HostRecord> addnHosts,
        Optional<String> hostsfilePath, Optional<String> addnHostsPath, List<String> unmodelled) {

    /** dnsmasq's MAXLEASES, the default of {@code dhcp-lease-max}. */
    public static final int DEFAULT_LEASE_MAX = 1000;
    public static final int DNS_PORT = 53;

    public DnsmasqSettings {
        if (interfaceName == null || interfaceName.isEmpty()) throw new IllegalArgumentException("interface name required");
        dhcpRanges = List.copyOf(dhcpRanges);
        dhcpHosts = List.copyOf(dhcpHosts);
        dhcpOptions = List.copyOf(dhcpOptions);
        servers = List.copyOf(servers);
        addnHosts = List.copyOf(addnHosts);
        unmodelled = List.copyOf(unmodelled);
        if (dhcpLeaseMax < 0) throw new IllegalArgumentException("dhcp-lease-max must not be negative");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
        domain = domain.map(Hostnames::key);
    }

    public boolean dnsEnabled() { return port != 0; }

    public boolean dhcpEnabled() { return !dhcpRanges.isEmpty(); }

    public static Builder builder(String interfaceName) { return new Builder(interfaceName); }

    public Builder toBuilder() {
        Builder b = new Builder(interfaceName);
        b.dhcpRanges.addAll(dhcpRanges);
        b.dhcpHosts.addAll(dhcpHosts);
        b.dhcpLeaseMax = dhcpLeaseMax;
        b.dhcpAuthoritative = dhcpAuthoritative;
        b.dhcpNoOverride = dhcpNoOverride;
        b.dhcpOptions.addAll(dhcpOptions);
        b.port = port;
        b.domain = domain;
        b.expandHosts = expandHosts;
        b.servers.addAll(servers);
        b.noResolv = noResolv;
        b.strictOrder = strictOrder;
        b.domainNeeded = domainNeeded;
        b.bogusPriv = bogusPriv;
        b.noHosts = noHosts;
        b.addnHosts.addAll(addnHosts);
        b.hostsfilePath = hostsfilePath;
        b.addnHostsPath = addnHostsPath;
        b.unmodelled.addAll(unmodelled);
        return b;
    }

    /** Builds settings; starts from dnsmasq's defaults. */
    public static final class Builder {
        private final String interfaceName;
        private final List<DhcpRange> dhcpRanges = new ArrayList<>();
        private final List<StaticHost> dhcpHosts = new ArrayList<>();
        private int dhcpLeaseMax = DEFAULT_LEASE_MAX;
        private boolean dhcpAuthoritative;
        private boolean dhcpNoOverride;
        private final List<DhcpOptionSetting> dhcpOptions = new ArrayList<>();
        private int port = DNS_PORT;
        private Optional<String> domain = Optional.empty();
        private boolean expandHosts;
        private final List<ServerRule> servers = new ArrayList<>();
        private boolean noResolv;
        private boolean strictOrder;
        private boolean domainNeeded;
        private boolean bogusPriv;
        private boolean noHosts;
        private final List<HostRecord> addnHosts = new ArrayList<>();
        private Optional<String> hostsfilePath = Optional.empty();
        private Optional<String> addnHostsPath = Optional.empty();
        private final List<String> unmodelled = new ArrayList<>();

        private Builder(String interfaceName) { this.interfaceName = interfaceName; }

        public Builder dhcpRange(DhcpRange r) { dhcpRanges.add(r); return this; }
        public Builder dhcpHost(StaticHost h) { dhcpHosts.add(h); return this; }
        public Builder dhcpHosts(List<StaticHost> hs) { dhcpHosts.clear(); dhcpHosts.addAll(hs); return this; }
        public Builder dhcpLeaseMax(int v) { dhcpLeaseMax = v; return this; }
        public Builder dhcpAuthoritative(boolean v) { dhcpAuthoritative = v; return this; }
        public Builder dhcpNoOverride(boolean v) { dhcpNoOverride = v; return this; }
        public Builder dhcpOption(DhcpOptionSetting o) { dhcpOptions.add(o); return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder domain(String v) { domain = Optional.ofNullable(v); return this; }
        public Builder expandHosts(boolean v) { expandHosts = v; return this; }
        public Builder server(ServerRule r) { servers.add(r); return this; }
        public Builder noResolv(boolean v) { noResolv = v; return this; }
        public Builder strictOrder(boolean v) { strictOrder = v; return this; }
        public Builder domainNeeded(boolean v) { domainNeeded = v; return this; }
        public Builder bogusPriv(boolean v) { bogusPriv = v; return this; }
        public Builder noHosts(boolean v) { noHosts = v; return this; }
        public Builder addnHost(HostRecord h) { addnHosts.add(h); return this; }
        public Builder addnHosts(List<HostRecord> hs) { addnHosts.clear(); addnHosts.addAll(hs); return this; }
        public Builder hostsfilePath(String p) { hostsfilePath = Optional.ofNullable(p); return this; }
        public Builder addnHostsPath(String p) { addnHostsPath = Optional.ofNullable(p); return this; }
        public Builder unmodelled(String what) { unmodelled.add(what); return this; }

        public DnsmasqSettings build() {
            return new DnsmasqSettings(interfaceName, dhcpRanges, dhcpHosts, dhcpLeaseMax, dhcpAuthoritative,
                    dhcpNoOverride, dhcpOptions, port, domain, expandHosts, servers, noResolv, strictOrder,
                    domainNeeded, bogusPriv, noHosts, addnHosts, hostsfilePath, addnHostsPath, unmodelled);
        }
    }
}
