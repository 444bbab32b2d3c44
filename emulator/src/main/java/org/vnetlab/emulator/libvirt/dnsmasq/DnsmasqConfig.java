package org.vnetlab.emulator.libvirt.dnsmasq;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DhcpHost;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DhcpRange;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsForwarder;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsHost;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsSrv;
import org.vnetlab.emulator.libvirt.NetworkDefinition.DnsTxt;
import org.vnetlab.emulator.libvirt.NetworkDefinition.ForwardMode;
import org.vnetlab.emulator.libvirt.NetworkDefinition.IpDefinition;
import org.vnetlab.emulator.libvirt.NetworkDefinition.Tristate;
import org.vnetlab.emulator.libvirt.NetworkStartException;

/**
 * The files libvirt writes for a network's dnsmasq, byte for byte: the configuration
 * ({@code <stateDir>/<name>.conf}), the DHCP hosts file of static leases, and the additional hosts file of
 * {@code <dns><host>} names. Line order and wording follow libvirt's {@code networkDnsmasqConfContents}.
 *
 * @param conf the configuration text
 * @param hostsFile the {@code dhcp-hostsfile} text (empty when there are no static hosts)
 * @param addnHosts the {@code addn-hosts} text (empty when there are no DNS hosts)
 */
public record DnsmasqConfig(String confPath, String conf, String hostsFilePath, String hostsFile,
        String addnHostsPath, String addnHosts) {

    /** Where libvirt keeps dnsmasq's files on a system daemon. */
    public static final String LIBVIRT_STATE_DIR = "/var/lib/libvirt/dnsmasq";

    /**
     * How to write the files: the state directory, the pid file line (libvirt names one when it really starts
     * dnsmasq; its test suite names none), and the host's dnsmasq capabilities.
     */
    public record Options(String stateDir, Optional<String> pidFile, DnsmasqCaps caps) {
        /** libvirt's test harness: {@code /var/lib/libvirt/dnsmasq}, no pid file, a current dnsmasq. */
        public static Options libvirtDefaults() {
            return new Options(LIBVIRT_STATE_DIR, Optional.empty(), DnsmasqCaps.FULL);
        }

        public Options withCaps(DnsmasqCaps c) { return new Options(stateDir, pidFile, c); }

        public Options withStateDir(String dir) { return new Options(dir, pidFile, caps); }

        public Options withPidFile(String path) { return new Options(stateDir, Optional.of(path), caps); }
    }

    /**
     * Whether libvirt starts dnsmasq at all for this network: a network of its own (isolated, NAT, routed or
     * open) with at least one address, that serves DHCP somewhere or has DNS switched on.
     */
    public static boolean needed(NetworkDefinition def) {
        if (!def.forward().mode().virtual() || def.ips().isEmpty()) return false;
        return def.ips().stream().anyMatch(IpDefinition::hasDhcp) || def.dns().enabled();
    }

    /**
     * Writes the three files for {@code def}, as libvirt would when starting it.
     *
     * @throws NetworkStartException where libvirt refuses to start the network, with libvirt's reason
     */
    public static DnsmasqConfig generate(NetworkDefinition def, Options options) throws NetworkStartException {
        if (!def.forward().mode().virtual()) {
            throw new NetworkStartException("libvirt runs no dnsmasq for a network with forward mode='"
                    + def.forward().mode().xmlName() + "'");
        }
        String bridge = def.bridgeName().orElseThrow(() -> new NetworkStartException(
                "network '" + def.name() + "' has no <bridge name=...>; libvirt would pick the first free virbrN, "
                        + "give the name net-dumpxml shows"));
        DnsmasqCaps caps = options.caps();
        String base = options.stateDir() + "/" + escapeXml(def.name());
        String hostsFilePath = base + ".hostsfile";
        String addnHostsPath = base + ".addnhosts";
        boolean wantDns = def.dns().enabled();

        StringBuilder c = new StringBuilder();
        c.append("##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n")
                .append("##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:\n")
                .append("##    virsh net-edit ").append(def.name()).append('\n')
                .append("## or other application using the libvirt API.\n")
                .append("##\n## dnsmasq conf file created by libvirt\n")
                .append("strict-order\n");

        // dnsmasq answers DNS on port 53 unless told port=0
        if (!wantDns) c.append("port=0\n");

        if (wantDns && !def.dns().forwarders().isEmpty()) {
            // an address without a domain takes over all other names, so the host's resolv.conf is not needed
            boolean noResolv = false;
            for (DnsForwarder f : def.dns().forwarders()) {
                c.append("server=");
                f.domain().ifPresent(d -> c.append('/').append(d).append('/'));
                if (f.address().isPresent()) {
                    c.append(f.address().get()).append('\n');
                    if (f.domain().isEmpty()) noResolv = true;
                } else {
                    c.append("#\n");
                }
            }
            if (noResolv) c.append("no-resolv\n");
        }

        if (def.domain().isPresent()) {
            String domain = def.domain().get().name();
            if (def.domain().get().localOnly() == Tristate.YES) c.append("local=/").append(domain).append("/\n");
            c.append("domain=").append(domain).append('\n').append("expand-hosts\n");
        }

        if (wantDns) {
            for (IpDefinition ip : def.ips()) {
                if (ip.localPtr() != Tristate.YES) continue;
                c.append("local=/").append(ptrDomain(ip)).append("/\n");
            }
        }

        if (wantDns && def.dns().forwardPlainNames() == Tristate.NO) {
            c.append("domain-needed\n").append("local=//\n");
        }

        options.pidFile().ifPresent(p -> c.append("pid-file=").append(p).append('\n'));

        // dnsmasq would otherwise also listen on the host's loopback
        c.append("except-interface=lo\n");

        if (caps.bindDynamic()) {
            c.append("bind-dynamic\n").append("interface=").append(bridge).append('\n');
        } else {
            c.append("bind-interfaces\n");
            for (IpDefinition ip : def.ips()) {
                if (!caps.bindToDevice() && !isPrivate(ip.address())) {
                    throw new NetworkStartException("Publicly routable address " + ip.address()
                            + " is prohibited. The version of dnsmasq on this host doesn't support the bind-dynamic "
                            + "option or use SO_BINDTODEVICE on listening sockets, one of which is required for safe "
                            + "operation on a publicly routable subnet (see CVE-2012-3411).");
                }
                c.append("listen-address=").append(ip.address()).append('\n');
            }
        }

        if (def.forward().mode() == ForwardMode.NONE) {
            // isolated: no default route for guests, no forwarding of their queries to the host's resolvers
            c.append("dhcp-option=3\n").append("no-resolv\n");
            if (caps.raParam()) c.append("ra-param=*,0,0\n");
        }

        if (wantDns) {
            for (DnsTxt t : def.dns().txts()) c.append("txt-record=").append(t.name()).append(',').append(t.value()).append('\n');
            for (DnsSrv s : def.dns().srvs()) c.append(srvHost(s)).append('\n');
        }

        // the first <ip> of each family with DHCP gets dnsmasq's DHCP service; libvirt refuses a second one
        // (IPv6 addresses without DHCP alongside one with it only earn a warning from libvirt)
        IpDefinition ipv4 = null;
        IpDefinition ipv6 = null;
        for (IpDefinition ip : def.ips()) {
            if (ip.family() == IpAddress.Family.IPV4 && ip.hasDhcp()) {
                if (ipv4 != null) throw new NetworkStartException("For IPv4, multiple DHCP definitions cannot be specified.");
                ipv4 = ip;
            }
            if (ip.family() == IpAddress.Family.IPV6 && ip.hasDhcp()) {
                if (!caps.ipv6()) {
                    throw new NetworkStartException("The version of dnsmasq on this host doesn't adequately support "
                            + "IPv6 dhcp range or dhcp host specification. Version 2.64 or later is required.");
                }
                if (ipv6 != null) throw new NetworkStartException("For IPv6, multiple DHCP definitions cannot be specified.");
                ipv6 = ip;
            }
        }

        long leases = 0;
        List<String> hostLines = new ArrayList<>();
        for (IpDefinition ip : dhcpOrder(ipv4, ipv6)) {
            boolean v6 = ip.family() == IpAddress.Family.IPV6;
            for (DhcpRange r : ip.ranges()) {
                c.append("dhcp-range=").append(r.start()).append(',').append(r.end()).append(',');
                c.append(v6 ? Integer.toString(ip.prefix()) : IpAddress.V4.netmask(ip.prefix()).toString());
                r.lease().ifPresent(l -> c.append(',').append(l.dnsmasqForm()));
                c.append('\n');
                leases += r.addressCount(ip.address(), ip.prefix());
            }
            // static hosts only: dnsmasq needs a range to serve DHCP at all
            if (ip.ranges().isEmpty() && !ip.hosts().isEmpty()) {
                c.append("dhcp-range=").append(ip.address()).append(",static");
                if (v6) c.append(',').append(ip.prefix());
                c.append('\n');
            }
            for (DhcpHost h : ip.hosts()) hostLines.add(hostsFileLine(h, v6));
            if (!v6) {
                if (ip.hasDhcp()) c.append("dhcp-no-override\n").append("dhcp-authoritative\n");
                if (ip.tftpRoot().isPresent()) {
                    c.append("enable-tftp\n").append("tftp-root=").append(ip.tftpRoot().get()).append('\n');
                }
                if (ip.bootp().isPresent()) {
                    c.append("dhcp-boot=").append(ip.bootp().get().file());
                    ip.bootp().get().server().ifPresent(s -> c.append(",,").append(s));
                    c.append('\n');
                }
            }
        }
        if (leases > 0) c.append("dhcp-lease-max=").append(leases).append('\n');

        if (ipv4 != null || ipv6 != null) c.append("dhcp-hostsfile=").append(hostsFilePath).append('\n');
        if (wantDns) c.append("addn-hosts=").append(addnHostsPath).append('\n');

        def.mtu().ifPresent(m -> {
            if (m > 0) c.append("dhcp-option=option:mtu,").append(m).append('\n');
        });

        if (caps.ipv6()) {
            if (ipv6 != null) {
                c.append("enable-ra\n");
            } else {
                for (IpDefinition ip : def.ips(IpAddress.Family.IPV6)) {
                    if (!ip.hasDhcp()) c.append("dhcp-range=").append(ip.address()).append(",ra-only\n");
                }
            }
        }

        for (String option : def.dnsmasqOptions()) c.append(option).append('\n');

        StringBuilder hosts = new StringBuilder();
        for (String line : hostLines) hosts.append(line).append('\n');

        return new DnsmasqConfig(base + ".conf", c.toString(), hostsFilePath, hosts.toString(), addnHostsPath,
                addnHostsText(def));
    }

    private static List<IpDefinition> dhcpOrder(IpDefinition ipv4, IpDefinition ipv6) {
        List<IpDefinition> out = new ArrayList<>(2);
        if (ipv4 != null) out.add(ipv4);
        if (ipv6 != null) out.add(ipv6);
        return out;
    }

    /** One {@code dhcp-hostsfile} line: {@code mac,ip,name[,lease]} for IPv4, {@code id:DUID,name,[ip]} for IPv6. */
    static String hostsFileLine(DhcpHost h, boolean ipv6) {
        StringBuilder sb = new StringBuilder();
        if (ipv6) {
            if (h.name().isPresent() && h.id().isPresent()) sb.append("id:").append(h.id().get()).append(',').append(h.name().get());
            else if (h.name().isPresent()) sb.append(h.name().get());
            else h.id().ifPresent(id -> sb.append("id:").append(id));
            sb.append(",[").append(h.ip()).append(']');
        } else if (h.name().isPresent() && h.mac().isPresent()) {
            sb.append(h.mac().get()).append(',').append(h.ip()).append(',').append(h.name().get());
        } else if (h.name().isPresent()) {
            sb.append(h.name().get()).append(',').append(h.ip());
        } else {
            sb.append(h.mac().map(Object::toString).orElse("")).append(',').append(h.ip());
        }
        h.lease().ifPresent(l -> sb.append(',').append(l.dnsmasqForm()));
        return sb.toString();
    }

    /** The {@code addn-hosts} file: one line per address, its names after it, each followed by a tab. */
    static String addnHostsText(NetworkDefinition def) {
        Map<String, List<String>> byAddress = new LinkedHashMap<>();
        for (DnsHost h : def.dns().hosts()) {
            byAddress.computeIfAbsent(h.ip().toString(), k -> new ArrayList<>()).addAll(h.hostnames());
        }
        StringBuilder sb = new StringBuilder();
        byAddress.forEach((ip, names) -> {
            sb.append(ip).append('\t');
            for (String n : names) sb.append(n).append('\t');
            sb.append('\n');
        });
        return sb.toString();
    }

    /** {@code srv-host=_service._proto[.domain][,target[,port[,priority[,weight]]]]}, positions kept as libvirt does. */
    private static String srvHost(DnsSrv s) {
        StringBuilder sb = new StringBuilder("srv-host=_").append(s.service()).append("._").append(s.protocol());
        s.domain().ifPresent(d -> sb.append('.').append(d));
        if (s.target().isPresent() && !s.target().get().equals(".")) {
            sb.append(',').append(s.target().get());
            if (s.port() != 0 || s.priority() != 0 || s.weight() != 0) sb.append(',').append(s.port() != 0 ? s.port() : 1);
            if (s.priority() != 0 || s.weight() != 0) sb.append(',').append(s.priority());
            if (s.weight() != 0) sb.append(',').append(s.weight());
        }
        return sb.toString();
    }

    /** The reverse-lookup zone of an {@code <ip localPtr='yes'>} network. */
    private static String ptrDomain(IpDefinition ip) throws NetworkStartException {
        int prefix = ip.prefix();
        StringBuilder sb = new StringBuilder();
        if (ip.address() instanceof IpAddress.V4 v4) {
            if (prefix % 8 != 0) {
                throw new NetworkStartException("PTR domain for IPv4 network with prefix " + prefix
                        + " cannot be automatically created");
            }
            long bits = v4.unsigned();
            for (int i = prefix / 8 - 1; i >= 0; i--) sb.append((bits >>> (24 - 8 * i)) & 0xff).append('.');
            return sb.append("in-addr.arpa").toString();
        }
        if (prefix % 4 != 0) {
            throw new NetworkStartException("PTR domain for IPv6 network with prefix " + prefix
                    + " cannot be automatically created");
        }
        IpAddress.V6 v6 = (IpAddress.V6) ip.address();
        for (int i = prefix / 4 - 1; i >= 0; i--) {
            long half = i < 16 ? v6.high() : v6.low();
            int shift = 60 - 4 * (i % 16);
            sb.append(Long.toHexString((half >>> shift) & 0xf)).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    /** RFC 1918, unique-local (fc00::/7) and site-local (fec0::/10) addresses: safe without bind-dynamic. */
    private static boolean isPrivate(IpAddress a) {
        if (a instanceof IpAddress.V4 v4) {
            long u = v4.unsigned();
            return (u >>> 24) == 10 || (u >>> 20) == (172L << 4 | 1) || (u >>> 16) == (192L << 8 | 168);
        }
        IpAddress.V6 v6 = (IpAddress.V6) a;
        return (v6.high() >>> 57) == (0xfc >>> 1) || (v6.high() >>> 54) == (0xfec0 >>> 6);
    }

    /** libvirt builds the file names with its XML escaper, so a name with '&' becomes "&amp;" in the path. */
    private static String escapeXml(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }
}
