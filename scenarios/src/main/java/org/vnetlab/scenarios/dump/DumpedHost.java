package org.vnetlab.scenarios.dump;

import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.iface.HostInterfaces;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.driver.FirewallBackend;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * The host a dump describes, complete: every part either read from a dump file or given a stated default
 * (the article's host is the model), with one sentence per assumption.
 *
 * @param networkXml    the libvirt network's XML as dumped, and the file it came from ("" for the default)
 * @param rulesFile     the iptables-save file the ruleset came from ("" when libvirt's own rules were assumed)
 * @param interfaces    the dumped interfaces (may not list the uplink; the uplink record is complete)
 * @param routes        the dumped routing table, if there was one (it replaces the main table)
 * @param sysctls       the running values: dumped, or /etc/sysctl.conf applied to defaults
 * @param sysctlConf    /etc/sysctl.conf's text, for {@code cat}
 * @param resolvText    /etc/resolv.conf's text
 * @param guest         a guest's own network settings, when the dump holds its ipconfig /all or ip addr
 * @param nftFile       the nft ruleset file ("" when the dump has none)
 * @param nft           the host's nftables ruleset as dumped (empty without one); iptables-nft's tables are marked
 * @param backend       libvirt's firewall backend (network.conf's, else inferred from the rules)
 * @param ipsetFile     the ipset save file ("" when the dump has none: the sets rules name are assumed empty)
 */
public record DumpedHost(String networkFile, String networkXml, NetworkDefinition network, String rulesFile,
                         Ruleset ruleset, RuleCounters counters, HostInterfaces interfaces, Optional<RoutingTable> routes,
                         Uplink uplink, Sysctls sysctls, String sysctlConf, String resolvText, ResolvConf resolv,
                         Optional<DumpedGuest> guest, List<String> assumptions, List<String> notes, String nftFile, NftRuleset nft, FirewallBackend backend,
                         String ipsetFile) {
    public DumpedHost {
        assumptions = List.copyOf(assumptions);
        notes = List.copyOf(notes);
    }

    /** The host's way out: the interface, its MAC and address, and the default gateway on it. */
    public record Uplink(String name, MacAddress mac, Ipv4Address address, int prefixLength, Ipv4Address gateway) {}
}
