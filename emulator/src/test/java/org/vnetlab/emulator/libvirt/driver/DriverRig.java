package org.vnetlab.emulator.libvirt.driver;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.lab.HostIptables;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * A host for driver specs: the article's uplink (enp3s0 192.168.0.10/24, default via 192.168.0.1), a live
 * ruleset, a recording dnsmasq launcher, the daemon and virsh with a small file system.
 */
final class DriverRig {
    final Lab lab;
    final IpStack host;
    final HostIptables iptables;
    final RecordingDnsmasq dnsmasq = new RecordingDnsmasq();
    final LibvirtDaemon daemon;
    final Virsh virsh;
    final Map<String, String> files = new HashMap<>();

    DriverRig(Ruleset initial, DaemonConfig config) {
        lab = new Lab(7);
        host = new IpStack(lab, "host");
        LinkDevice uplink = new LinkDevice(lab, "host", "enp3s0", MacAddress.parse("00:d8:61:0a:0b:10"));
        host.attach(uplink);
        uplink.setUp(true);
        host.addAddress("enp3s0", "192.168.0.10/24");
        host.addDefaultRoute(Ipv4Address.parse("192.168.0.1"), "enp3s0", 0);
        iptables = new HostIptables(initial, new RuleCounters());
        daemon = new LibvirtDaemon(lab, host, iptables, dnsmasq, config);
        virsh = new Virsh(daemon, p -> Optional.ofNullable(files.get(p)));
    }

    DriverRig() {
        this(Ruleset.EMPTY, DaemonConfig.defaults());
    }

    static Ruleset parse(String save) {
        try {
            return IptablesSaveParser.parse(save, "expected").ruleset();
        } catch (InputException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }
}
