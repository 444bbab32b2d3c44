package org.vnetlab.emulator.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.ConntrackTable;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.driver.LibvirtDaemon;
import org.vnetlab.emulator.libvirt.driver.LibvirtError;
import org.vnetlab.emulator.libvirt.driver.Virsh;
import org.vnetlab.emulator.libvirt.driver.VirshResult;
import org.vnetlab.emulator.netfilter.hook.Netfilter;
import org.vnetlab.emulator.nftables.firewall.FirewallReport;
import org.vnetlab.emulator.nftables.firewall.HostFirewall;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.netfilter.NetfilterPacketFilter;
import org.vnetlab.emulator.trace.Trace;

/**
 * The virtualization host of a lab and what a user does on it: its stack (node {@code host}), its live
 * iptables ruleset and the netfilter engine running it, libvirtd with virsh, and a few files (network XML to
 * {@code net-define}). Commands are typed as on the real host:
 * <pre>{@code
 * host.virsh("virsh net-destroy default");
 * host.iptables("sudo iptables -t filter -D LIBVIRT_FWI 2");
 * host.systemctlRestartLibvirtd();
 * }</pre>
 */
public final class LibvirtHost {
    private final Lab lab;
    private final IpStack stack;
    private final HostIptables iptables;
    private final HostNftables nftables;
    private final HostFirewall firewall;
    private final Netfilter netfilter;
    private final NetfilterPacketFilter filter;
    private final BrNetfilter brNetfilter;
    private final LibvirtDaemon libvirtd;
    private final Virsh virsh;
    private final Map<String, String> files;
    private final HostIpsets ipsets;

    LibvirtHost(Lab lab, IpStack stack, HostIptables iptables, HostNftables nftables, HostFirewall firewall,
            NetfilterPacketFilter filter, BrNetfilter brNetfilter, LibvirtDaemon libvirtd, Map<String, String> files,
            HostIpsets ipsets) {
        this.ipsets = ipsets;
        this.lab = lab;
        this.stack = stack;
        this.iptables = iptables;
        this.nftables = nftables;
        this.firewall = firewall;
        this.netfilter = firewall.netfilter();
        this.filter = filter;
        this.brNetfilter = brNetfilter;
        this.libvirtd = libvirtd;
        this.files = files;
        this.virsh = new Virsh(libvirtd, p -> Optional.ofNullable(files.get(p)));
    }

    public Lab lab() { return lab; }

    /** The host's ipsets and the {@code ipset} command. */
    public HostIpsets ipsets() { return ipsets; }

    /** The emulated dnsmasq's launcher, when the host runs it (a test may plug in another). */
    private Optional<DnsmasqOnHost> dnsmasq = Optional.empty();

    void useDnsmasq(DnsmasqOnHost d) { this.dnsmasq = Optional.of(d); }

    /**
     * /etc/resolv.conf was written, and now names these nameservers (in order; lines dnsmasq cannot use are
     * left out): the running dnsmasq, which watches the file, re-reads it and forwards its next query there.
     */
    public void resolvConfWritten(List<org.vnetlab.protocols.Ipv4Address> nameservers) {
        dnsmasq.ifPresent(d -> d.resolvConfWritten(nameservers));
    }

    /** What every dnsmasq this host started wrote to syslog, in time order (journalctl's view). */
    public List<org.vnetlab.emulator.dnsmasq.DnsmasqLog.Line> dnsmasqJournal() {
        return dnsmasq.map(DnsmasqOnHost::journal).orElse(List.of());
    }

    public IpStack stack() { return stack; }

    public HostIptables firewall() { return iptables; }

    public LibvirtDaemon libvirtd() { return libvirtd; }

    /** The br_netfilter module: loaded or not, bridge-nf-call-iptables, hooked on every bridge of the host. */
    public BrNetfilter brNetfilter() { return brNetfilter; }

    public Virsh virshShell() { return virsh; }

    /** {@code virsh ...} on the host. */
    public VirshResult virsh(String commandLine) { return virsh.run(commandLine); }

    /** {@code [sudo] iptables ...}: what it printed; iptables' own error when it fails (nothing changes then). */
    public String iptables(String commandLine) throws InputException { return iptables.command(commandLine); }

    /** The host's live nftables ruleset, changed by {@code nft} commands (the user's, libvirt's). */
    public HostNftables nftables() { return nftables; }

    /**
     * {@code [sudo] nft ARGS...} ({@code -f FILE} reads the host's files): what nft printed; nft's error when it
     * fails (nothing changes then).
     */
    public String nft(List<String> args) throws InputException {
        List<String> a = args;
        if (!a.isEmpty() && a.get(0).equals("sudo")) a = a.subList(1, a.size());
        if (!a.isEmpty() && (a.get(0).equals("nft") || a.get(0).endsWith("/nft"))) a = a.subList(1, a.size());
        return nftables.execute(a, p -> Optional.ofNullable(files.get(p))).stdout();
    }

    /** How the host's netfilter was set up from its dump: findings and, per hook, the base chains in order. */
    public FirewallReport firewallReport() { return firewall.report(); }

    /** {@code iptables-save} of the live ruleset (no counters). */
    public String iptablesSave() { return iptables.save(); }

    /** Puts a file on the host, e.g. an edited network XML for {@code virsh net-define}. */
    public void writeFile(String path, String text) { files.put(Objects.requireNonNull(path), Objects.requireNonNull(text)); }

    public Map<String, String> files() { return new LinkedHashMap<>(files); }

    /** {@code systemctl restart libvirtd}; returns the failures libvirtd logs (autostart networks that would not start). */
    public List<LibvirtError> systemctlRestartLibvirtd() { return libvirtd.restart(); }

    /**
     * {@code firewall-cmd --reload} with firewalld's iptables backend: every table flushed and libvirt's chains
     * deleted, then libvirtd, told by firewalld's D-Bus signal, puts its chains and running networks' rules back.
     */
    public void firewallCmdReload() {
        iptables.flushAsFirewalldReload();
        libvirtd.firewalldReloaded();
    }

    /** The host's connection tracking table ({@code conntrack -L}). */
    public ConntrackTable conntrack() { return netfilter.conntrack(); }

    /** {@code conntrack -L} as text, on the lab's clock. */
    public String conntrackList() { return netfilter.conntrack().list(lab.now()); }

    /** Every packet's trace through the host's netfilter, oldest first. */
    public List<Trace> traces() { return filter.traces(); }

    public NetfilterPacketFilter packetFilter() { return filter; }
}
