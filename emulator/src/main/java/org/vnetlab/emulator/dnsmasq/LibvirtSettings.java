package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.resolv.Nameserver;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqHostsFiles;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Turns what libvirt gives dnsmasq — the conf file read into {@link DnsmasqOptions}, the dhcp-hostsfile and
 * addn-hosts files it names — into {@link DnsmasqSettings}, and the host's resolv.conf and /etc/hosts into
 * {@link HostFiles}. What dnsmasq would do but the emulation cannot is refused with an {@link InputException};
 * what only concerns IPv6 (not emulated) is noted in {@link DnsmasqSettings#unmodelled()}.
 */
public final class LibvirtSettings {
    private LibvirtSettings() {}

    /**
     * @param confFile the conf file's name, for messages
     * @param files the side files' contents by the path the conf names them with
     */
    public static DnsmasqSettings from(String confFile, DnsmasqOptions o, Map<String, String> files) throws InputException {
        if (o.interfaces().size() != 1) {
            throw unsupported(confFile, "interface", "dnsmasq serving " + o.interfaces().size()
                    + " interfaces (libvirt names exactly one with interface=)");
        }
        DnsmasqSettings.Builder b = DnsmasqSettings.builder(o.interfaces().get(0))
                .strictOrder(o.strictOrder()).noResolv(o.noResolv()).domainNeeded(o.domainNeeded())
                .expandHosts(o.expandHosts()).dhcpNoOverride(o.dhcpNoOverride()).dhcpAuthoritative(o.dhcpAuthoritative())
                .dhcpLeaseMax(o.dhcpLeaseMax().orElse(DnsmasqSettings.DEFAULT_LEASE_MAX));
        o.port().ifPresent(b::port);
        o.domain().ifPresent(b::domain);
        if (!o.txtRecords().isEmpty()) throw unsupported(confFile, "txt-record", "TXT records");
        if (!o.srvHosts().isEmpty()) throw unsupported(confFile, "srv-host", "SRV records");
        if (!o.cnames().isEmpty()) throw unsupported(confFile, "cname", "CNAME records");
        if (o.enableTftp() || o.dhcpBoot().isPresent()) throw unsupported(confFile, "dhcp-boot", "network boot (TFTP, dhcp-boot)");
        if (o.enableRa() || !o.raParams().isEmpty()) b.unmodelled("IPv6 router advertisements (enable-ra, ra-param)");

        for (DnsmasqOptions.DhcpRange r : o.dhcpRanges()) {
            if (r.start() instanceof IpAddress.V6 || r.mode() == DnsmasqOptions.RangeMode.RA_ONLY) {
                b.unmodelled("IPv6 dhcp-range " + r.start());
                continue;
            }
            if (r.mode() == DnsmasqOptions.RangeMode.STATIC || r.end().isEmpty()) {
                throw unsupported(confFile, "dhcp-range", "a static-only dhcp-range");
            }
            Optional<Ipv4Address> mask = r.netmask().map(m -> v4(m));
            LeaseTime lease = r.lease().map(LibvirtSettings::leaseTime).orElse(LeaseTime.DEFAULT);
            b.dhcpRange(new DhcpRange(v4(r.start()), v4(r.end().get()), mask, lease));
        }
        for (DnsmasqOptions.DhcpOption d : o.dhcpOptions()) {
            try {
                b.dhcpOption(DhcpOptionSetting.of(d.code(), d.values()));
            } catch (IllegalArgumentException e) {
                throw unsupported(confFile, "dhcp-option=" + d.code(), e.getMessage());
            }
        }
        for (DnsmasqOptions.Server s : o.servers()) {
            List<String> domains = s.domains().isEmpty() ? List.of("") : s.domains();
            for (String d : domains) {
                if (d.isEmpty() && !s.domains().isEmpty()) {
                    throw unsupported(confFile, "local=//", "rules for names without a dot (server=//)");
                }
                b.server(new ServerRule(d, target(confFile, s.target())));
            }
        }
        for (String path : o.dhcpHostsFiles()) {
            b.hostsfilePath(path);
            for (DnsmasqHostsFiles.DhcpHostEntry h : DnsmasqHostsFiles.parseDhcpHosts(path, content(confFile, files, path))) {
                if (!(h.ip() instanceof IpAddress.V4 v4)) {
                    b.unmodelled("IPv6 dhcp-host " + h.ip());
                    continue;
                }
                b.dhcpHost(new StaticHost(h.mac().map(List::of).orElse(List.of()), Optional.empty(), Optional.of(v4.address()),
                        h.name(), h.lease().map(LibvirtSettings::leaseTime)));
            }
        }
        for (String path : o.addnHostsFiles()) {
            b.addnHostsPath(path);
            for (HostRecord r : hostRecords(path, content(confFile, files, path), b)) b.addnHost(r);
        }
        return b.build();
    }

    /** The host's resolv.conf (every nameserver line: dnsmasq has no three-server limit) and /etc/hosts. */
    public static HostFiles hostFiles(String resolvPath, ResolvConf resolv, String etcHostsText) throws InputException {
        List<Ipv4Address> servers = new ArrayList<>();
        for (Nameserver n : resolv.nameservers()) {
            if (n.isIpv6()) continue; // no IPv6 upstream in the emulation
            try {
                servers.add(Ipv4Address.parse(n.address()));
            } catch (IllegalArgumentException e) {
                throw new InputException(resolvPath, n.line(), 1, n.address(), "not an IPv4 address");
            }
        }
        List<HostRecord> hosts = new ArrayList<>();
        for (DnsmasqHostsFiles.HostEntry e : DnsmasqHostsFiles.parseAddnHosts("/etc/hosts", etcHostsText)) {
            if (e.ip() instanceof IpAddress.V4 v4) hosts.add(new HostRecord(v4.address(), e.names()));
        }
        return new HostFiles(resolvPath, servers, hosts);
    }

    private static List<HostRecord> hostRecords(String path, String text, DnsmasqSettings.Builder b) throws InputException {
        List<HostRecord> out = new ArrayList<>();
        for (DnsmasqHostsFiles.HostEntry e : DnsmasqHostsFiles.parseAddnHosts(path, text)) {
            if (e.ip() instanceof IpAddress.V4 v4) out.add(new HostRecord(v4.address(), e.names()));
            else b.unmodelled("IPv6 host " + e.ip() + " in " + path);
        }
        return out;
    }

    private static ServerRule.Target target(String confFile, DnsmasqOptions.Target t) throws InputException {
        if (t instanceof DnsmasqOptions.Address a) {
            if (!(a.address() instanceof IpAddress.V4 v4)) throw unsupported(confFile, "server=" + a.address(), "IPv6 upstream servers");
            return new ServerRule.Target.Upstream(v4.address(), a.port().orElse(53));
        }
        if (t instanceof DnsmasqOptions.LocalOnly) return new ServerRule.Target.Local();
        return new ServerRule.Target.Standard();
    }

    private static LeaseTime leaseTime(DnsmasqOptions.LeaseTime t) {
        if (t.infinite() || t.seconds() >= LeaseTime.INFINITE.seconds()) return LeaseTime.INFINITE;
        return new LeaseTime(Math.max(LeaseTime.MINIMUM_SECONDS, t.seconds())); // dnsmasq's 2-minute floor
    }

    private static Ipv4Address v4(IpAddress a) {
        return ((IpAddress.V4) a).address();
    }

    private static String content(String confFile, Map<String, String> files, String path) throws InputException {
        String text = files.get(path);
        if (text == null) throw new InputException(confFile, 0, 0, path, "the file this configuration names was not provided");
        return text;
    }

    private static InputException unsupported(String confFile, String token, String what) {
        return new InputException(confFile, 0, 0, token, "unsupported by the emulated dnsmasq: " + what);
    }
}
