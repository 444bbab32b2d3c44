package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.sim.Lab;

/**
 * One dnsmasq process as libvirt runs it for a network: the DHCP server (when the configuration has a
 * dhcp-range) and the DNS server (unless port=0) on one served interface, sharing the lease database.
 *
 * <p>The host builds it from libvirt's configuration and its own files, connects it to its stack through
 * a {@link DhcpPort} and a {@link DnsPort}, calls {@link #start()}, and hands it what arrives: DHCP
 * datagrams on port 67 and ICMP for the DHCP side, queries on port 53 and upstream answers for the DNS side.
 */
public final class Dnsmasq {
    public static final String VERSION = "2.90";
    /** dnsmasq's default cache size, reported at start (the cache itself is not modelled). */
    static final int CACHE_SIZE = 150;

    private final DnsmasqSettings settings;
    private final ServedInterface served;
    private final HostFiles host;
    private final LeaseDatabase leases;
    private final DnsmasqLog log;
    private final DhcpServer dhcp;
    private final DnsServer dns;

    public Dnsmasq(Lab lab, DnsmasqSettings settings, ServedInterface served, HostFiles host, DhcpPort dhcpPort,
            DnsPort dnsPort) {
        if (!settings.interfaceName().equals(served.name())) {
            throw new IllegalArgumentException("dnsmasq is configured for interface " + settings.interfaceName()
                    + " but asked to serve " + served.name());
        }
        this.settings = settings;
        this.served = served;
        this.host = host;
        this.leases = new LeaseDatabase(settings.dhcpLeaseMax());
        this.log = new DnsmasqLog(lab.scheduler());
        List<HostRecord> hosts = new ArrayList<>(settings.addnHosts());
        if (!settings.noHosts()) hosts.addAll(host.etcHosts());
        String prefix = "dnsmasq/" + served.name();
        this.dhcp = settings.dhcpEnabled()
                ? new DhcpServer(lab, settings, served, leases, hosts, log, dhcpPort, lab.random(prefix + "/dhcp")) : null;
        this.dns = new DnsServer(lab, settings, leases, hosts, host.nameservers(), log, dnsPort,
                lab.random(prefix + "/dns"));
    }

    /** Logs what dnsmasq logs when it starts; the servers answer from now on. */
    public void start() {
        log.dns(DnsmasqLog.Level.INFO, settings.dnsEnabled()
                ? "started, version " + VERSION + " cachesize " + CACHE_SIZE
                : "started, version " + VERSION + " DNS disabled");
        for (DhcpRange r : settings.dhcpRanges()) {
            log.dhcp(DnsmasqLog.Level.INFO, "DHCP, IP range " + r.start() + " -- " + r.end() + ", lease time " + r.leaseTime().pretty());
        }
        if (settings.dhcpEnabled()) {
            log.dhcp(DnsmasqLog.Level.INFO, "DHCP, sockets bound exclusively to interface " + served.name());
        }
        if (settings.dnsEnabled()) {
            for (ServerRule r : settings.servers()) {
                if (r.domain().isEmpty()) continue;
                String text;
                if (r.target() instanceof ServerRule.Target.Upstream u) text = "using nameserver " + u + " for domain " + r.domain();
                else if (r.target() instanceof ServerRule.Target.Local) text = "using only locally-known addresses for domain " + r.domain();
                else text = "using standard nameservers for " + r.domain();
                log.dns(DnsmasqLog.Level.INFO, text);
            }
            for (ServerRule r : settings.servers()) {
                if (r.domain().isEmpty() && r.target() instanceof ServerRule.Target.Upstream u) {
                    log.dns(DnsmasqLog.Level.INFO, "using nameserver " + u);
                }
            }
            if (!settings.noResolv()) {
                log.dns(DnsmasqLog.Level.INFO, "reading " + host.resolvConfPath());
                for (var a : host.nameservers()) log.dns(DnsmasqLog.Level.INFO, "using nameserver " + a + "#53");
            }
            if (!settings.noHosts()) log.dns(DnsmasqLog.Level.INFO, "read /etc/hosts - " + names(host.etcHosts()) + " names");
            settings.addnHostsPath().ifPresent(p -> log.dns(DnsmasqLog.Level.INFO, "read " + p + " - " + names(settings.addnHosts()) + " names"));
        }
        if (settings.dhcpEnabled()) settings.hostsfilePath().ifPresent(p -> log.dhcp(DnsmasqLog.Level.INFO, "read " + p));
        for (String u : settings.unmodelled()) log.dns(DnsmasqLog.Level.WARNING, "vnetlab: not modelled: " + u);
    }

    /**
     * dnsmasq noticed that its resolv-file changed (inotify on Linux: at once, as the writer closes the file)
     * and re-read it: poll_resolv then check_servers. It logs "reading /etc/resolv.conf" and every server it
     * now uses, and the next query it forwards goes to the new servers. A file with no nameserver line leaves it
     * with none ("no servers found ..., will retry"). Ignored with {@code no-resolv} or DNS off (port=0), which
     * do not watch the file.
     */
    public void resolvConfChanged(List<org.vnetlab.protocols.Ipv4Address> nameservers) {
        if (stopped || !settings.dnsEnabled() || settings.noResolv()) return;
        dns.reloadResolvConf(nameservers);
        if (nameservers.isEmpty()) {
            log.dns(DnsmasqLog.Level.WARNING, "no servers found in " + host.resolvConfPath() + ", will retry");
            return;
        }
        log.dns(DnsmasqLog.Level.INFO, "reading " + host.resolvConfPath());
        for (ServerRule r : settings.servers()) {
            if (r.domain().isEmpty()) continue;
            if (r.target() instanceof ServerRule.Target.Upstream u) log.dns(DnsmasqLog.Level.INFO, "using nameserver " + u + " for domain " + r.domain());
            else if (r.target() instanceof ServerRule.Target.Local) log.dns(DnsmasqLog.Level.INFO, "using only locally-known addresses for domain " + r.domain());
            else log.dns(DnsmasqLog.Level.INFO, "using standard nameservers for " + r.domain());
        }
        for (ServerRule r : settings.servers()) {
            if (r.domain().isEmpty() && r.target() instanceof ServerRule.Target.Upstream u) log.dns(DnsmasqLog.Level.INFO, "using nameserver " + u);
        }
        for (var a : nameservers) log.dns(DnsmasqLog.Level.INFO, "using nameserver " + a + "#53");
    }

    private static int names(List<HostRecord> records) {
        int n = 0;
        for (HostRecord r : records) n += r.names().size();
        return n;
    }

    public DnsmasqSettings settings() { return settings; }

    public ServedInterface served() { return served; }

    /** The DHCP server, when the configuration has a dhcp-range. */
    public Optional<DhcpServer> dhcp() { return Optional.ofNullable(dhcp); }

    /** The DNS server; it answers nothing when port=0 (the host should not open port 53 then). */
    public DnsServer dns() { return dns; }

    public LeaseDatabase leases() { return leases; }

    public DnsmasqLog log() { return log; }

    private Runnable closer = () -> { };
    private boolean stopped;

    /** How the host takes dnsmasq's sockets away when it stops (set by the stack binding). */
    void onStop(Runnable r) { this.closer = r; }

    /** SIGTERM: dnsmasq closes its sockets and answers nothing more; the lease database stays readable. */
    public void stop() {
        if (stopped) return;
        stopped = true;
        closer.run();
    }

    public boolean isStopped() { return stopped; }

    /**
     * What dnsmasq reads at start-up when its leases come from a script ({@code --leasefile-ro
     * --dhcp-script}): libvirt's leaseshelper answers the {@code init} call with the leases of its status
     * file, and dnsmasq takes them as its own. Leases beyond dhcp-lease-max are not loaded.
     */
    public void loadLeases(List<Lease> known) {
        for (Lease l : known) {
            if (leases.findByAddress(l.address()).isPresent()) continue;
            if (leases.allocate(l.address(), l.mac(), l.expires()).isPresent()) leases.update(l);
        }
    }

    /** Where libvirt's leaseshelper keeps this network's leases. */
    public String libvirtStatusPath() { return "/var/lib/libvirt/dnsmasq/" + served.name() + ".status"; }

    /** libvirt's status file now; {@code epochAtStart} is the wall clock (Unix seconds) at lab time zero. */
    public String libvirtStatus(long epochAtStart) { return LeaseFiles.libvirtStatus(leases.leases(), epochAtStart); }

    /** {@code virsh net-dhcp-leases} now, times shown in {@code zone}. */
    public String netDhcpLeases(long epochAtStart, long nowSeconds, java.time.ZoneId zone) {
        return DhcpLeasesTable.format(DhcpLeasesTable.rows(leases.leases(), served.prefixLength(), epochAtStart, nowSeconds), zone);
    }
}
