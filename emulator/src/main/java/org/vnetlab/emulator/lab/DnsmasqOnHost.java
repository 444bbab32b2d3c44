package org.vnetlab.emulator.lab;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.dnsmasq.ClientId;
import org.vnetlab.emulator.dnsmasq.Dnsmasq;
import org.vnetlab.emulator.dnsmasq.DnsmasqLog;
import org.vnetlab.emulator.dnsmasq.DnsmasqSettings;
import org.vnetlab.emulator.dnsmasq.HostFiles;
import org.vnetlab.emulator.dnsmasq.Lease;
import org.vnetlab.emulator.dnsmasq.LibvirtSettings;
import org.vnetlab.emulator.dnsmasq.StackDnsmasq;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfParser;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfig;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions;
import org.vnetlab.emulator.libvirt.driver.DhcpLeaseRecord;
import org.vnetlab.emulator.libvirt.driver.DnsmasqLauncher;
import org.vnetlab.emulator.libvirt.driver.LibvirtError;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The emulated dnsmasq started as libvirt starts the real one: the conf text libvirt generated is read back
 * with dnsmasq's own option syntax, the side files it names are the ones libvirt wrote, the host's
 * resolv.conf gives the upstream servers, and the process runs on the host's stack (its sockets bound as
 * dnsmasq binds them). Leases kept in libvirt's status file are handed back at start-up, as the lease helper's
 * {@code init} call does.
 */
final class DnsmasqOnHost implements DnsmasqLauncher {
    /** Used when the dump has no resolv.conf: the reference host's. */
    static final List<Ipv4Address> DEFAULT_NAMESERVERS = List.of(Ipv4Address.parse("8.8.8.8"));

    private final IpStack host;
    private final Optional<ResolvConf> resolv;
    private final long epochSeconds;
    /** The nameservers of /etc/resolv.conf as last written on the host, once something wrote it. */
    private Optional<List<Ipv4Address>> written = Optional.empty();
    private final List<Dnsmasq> running = new ArrayList<>();
    private final List<Dnsmasq> started = new ArrayList<>();

    DnsmasqOnHost(IpStack host, Optional<ResolvConf> resolv, Instant epoch) {
        this.host = host;
        this.resolv = resolv;
        this.epochSeconds = epoch.getEpochSecond();
    }

    /**
     * Someone wrote /etc/resolv.conf: every running dnsmasq re-reads it (it watches the file), and one started
     * later reads the new file.
     */
    void resolvConfWritten(List<Ipv4Address> nameservers) {
        written = Optional.of(List.copyOf(nameservers));
        for (Dnsmasq d : List.copyOf(running)) d.resolvConfChanged(nameservers);
    }

    /** Every log line of every dnsmasq started here, in time order (a restarted one's lines follow its predecessor's). */
    List<DnsmasqLog.Line> journal() {
        List<DnsmasqLog.Line> all = new ArrayList<>();
        for (Dnsmasq d : started) all.addAll(d.log().lines());
        all.sort(java.util.Comparator.comparingLong(DnsmasqLog.Line::nanos)); // stable: each process's own order is kept
        return all;
    }

    @Override
    public Process start(DnsmasqConfig files, String bridge, List<DhcpLeaseRecord> known) throws LibvirtError {
        DnsmasqSettings settings;
        HostFiles hostFiles;
        try {
            DnsmasqOptions options = DnsmasqConfParser.parse(files.confPath(), files.conf());
            Map<String, String> side = new HashMap<>();
            side.put(files.hostsFilePath(), files.hostsFile());
            side.put(files.addnHostsPath(), files.addnHosts());
            settings = LibvirtSettings.from(files.confPath(), options, side);
            hostFiles = written.isPresent() ? HostFiles.of(written.get())
                    : resolv.isPresent() ? LibvirtSettings.hostFiles(HostFiles.RESOLV_CONF, resolv.get(), "")
                    : HostFiles.of(DEFAULT_NAMESERVERS);
        } catch (InputException e) {
            throw new LibvirtError(LibvirtError.Code.INTERNAL_ERROR, "vnetlab: the emulated dnsmasq cannot run this"
                    + " configuration: " + e.getMessage(), Optional.of(e));
        }
        Dnsmasq d;
        try {
            d = StackDnsmasq.start(host, settings, hostFiles);
        } catch (SocketException e) {
            throw new LibvirtError(LibvirtError.Code.INTERNAL_ERROR, "Child process (VIR_BRIDGE_NAME=" + bridge
                    + " /usr/sbin/dnsmasq --conf-file=" + files.confPath()
                    + " --leasefile-ro --dhcp-script=/usr/libexec/libvirt_leaseshelper) unexpected exit status 2: "
                    + "dnsmasq: failed to create listening socket: " + e.getMessage());
        }
        List<Lease> leases = new ArrayList<>();
        for (DhcpLeaseRecord r : known) {
            long expires = r.expiryTime() == 0 ? Lease.NEVER : r.expiryTime() - epochSeconds;
            leases.add(new Lease(r.ip(), r.mac(), r.clientId().map(ClientId::parseHex), r.hostname(), Optional.empty(),
                    expires, false, 0));
        }
        d.loadLeases(leases);
        running.add(d);
        started.add(d);
        return new Process() {
            @Override
            public void stop() {
                d.stop();
                running.remove(d);
            }

            @Override
            public List<DhcpLeaseRecord> leases() {
                List<DhcpLeaseRecord> out = new ArrayList<>();
                for (Lease l : d.leases().leases()) {
                    out.add(new DhcpLeaseRecord(l.isInfinite() ? 0 : epochSeconds + l.expires(), l.mac(), l.address(),
                            l.hostname(), l.clientId().map(ClientId::hex)));
                }
                return out;
            }
        };
    }
}
