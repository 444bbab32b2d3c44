package org.vnetlab.scenarios.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.scenarios.diagnose.Battery;
import org.vnetlab.scenarios.script.SourcePos;
import org.vnetlab.scenarios.script.Topology;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** A host dump folder on the command line, with flags naming files whose recognition by content should be overridden. */
final class DumpOptions {
    @Parameters(paramLabel = "DUMP", description = "Folder of the outputs copied off the host (virsh net-dumpxml, iptables-save, sysctl, ip route / route -n, ip addr, resolv.conf). Files are recognised by content; anything missing gets a stated default.")
    Path dump;

    @Option(names = "--net-xml", paramLabel = "FILE", description = "The network XML (virsh net-dumpxml).")
    Path netXml;
    @Option(names = "--iptables", paramLabel = "FILE", description = "The ruleset (iptables-save).")
    Path iptables;
    @Option(names = "--sysctl", paramLabel = "FILE", description = "Sysctl settings (sysctl -a, or /etc/sysctl.conf).")
    Path sysctl;
    @Option(names = "--routes", paramLabel = "FILE", description = "The routing table (ip route, or route -n).")
    Path routes;
    @Option(names = "--addresses", paramLabel = "FILE", description = "Interfaces and addresses (ip addr).")
    Path addresses;
    @Option(names = "--resolv", paramLabel = "FILE", description = "The host's /etc/resolv.conf.")
    Path resolv;
    @Option(names = "--nft", paramLabel = "FILE", description = "The nftables ruleset (nft list ruleset).")
    Path nft;
    @Option(names = "--ipset", paramLabel = "FILE", description = "The host's ipsets (ipset save, or ipset list).")
    Path ipset;
    @Option(names = "--network-conf", paramLabel = "FILE", description = "libvirt's /etc/libvirt/network.conf (firewall_backend).")
    Path networkConf;
    @Option(names = "--guest", paramLabel = "FILE", description = "A guest's own settings: its ipconfig /all (Windows) or ip addr (Linux).")
    Path guest;

    /** The folder, checked. */
    Path folder() throws InputException {
        if (!Files.isDirectory(dump)) {
            throw new InputException(dump.toString(), 0, 0, null, "no such dump folder",
                    "give the folder holding the host's outputs (virsh net-dumpxml, iptables-save, ...)");
        }
        return dump.toAbsolutePath();
    }

    /** The probe topology: the dumped host, one Linux probe guest, one LAN host routing the guest network via the host. */
    Topology topology() throws InputException {
        Path folder = folder();
        SourcePos at = new SourcePos(dump.toString(), 0, 0);
        Map<Topology.DumpPart, String> files = new EnumMap<>(Topology.DumpPart.class);
        put(files, Topology.DumpPart.NETWORK_XML, netXml, "--net-xml");
        put(files, Topology.DumpPart.IPTABLES, iptables, "--iptables");
        put(files, Topology.DumpPart.SYSCTL, sysctl, "--sysctl");
        put(files, Topology.DumpPart.ROUTES, routes, "--routes");
        put(files, Topology.DumpPart.ADDRESSES, addresses, "--addresses");
        put(files, Topology.DumpPart.RESOLV_CONF, resolv, "--resolv");
        put(files, Topology.DumpPart.NFT_RULESET, nft, "--nft");
        put(files, Topology.DumpPart.IPSET, ipset, "--ipset");
        put(files, Topology.DumpPart.NETWORK_CONF, networkConf, "--network-conf");
        put(files, Topology.DumpPart.GUEST_SETTINGS, guest, "--guest");
        // the reference capture's guest MAC: dnsmasq's address hash gives it 192.168.122.55 on the default range
        Topology.Guest probe = new Topology.Guest(Battery.GUEST, Topology.GuestOs.LINUX, MacAddress.parse("52:54:00:aa:bb:01"), at);
        Topology.LanHost lan = new Topology.LanHost(Battery.LAN_HOST, Optional.empty(), at);
        return new Topology(at, Topology.LIBVIRT_DEFAULT, Optional.of(folder.toString()), files, List.of(probe), List.of(lan));
    }

    private static void put(Map<Topology.DumpPart, String> files, Topology.DumpPart part, Path p, String flag) throws InputException {
        if (p == null) return;
        if (!Files.isRegularFile(p)) throw new InputException(p.toString(), 0, 0, null, "no such file (given with " + flag + ")", null);
        files.put(part, p.toAbsolutePath().toString());
    }
}
