package org.vnetlab.emulator.hostconf;

import org.vnetlab.emulator.hostconf.guest.WindowsIpconfig;
import org.vnetlab.emulator.hostconf.iface.HostInterfaces;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.emulator.hostconf.sysctl.SysctlConf;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;

/** What a dump file turned into: a parsed model for the kinds this package owns, or the text for the others. */
public sealed interface DumpContent {
    record Routes(RoutingTable table) implements DumpContent {}

    record Interfaces(HostInterfaces interfaces) implements DumpContent {}

    record SysctlState(Sysctls sysctls) implements DumpContent {}

    record SysctlFile(SysctlConf conf) implements DumpContent {}

    record Resolver(ResolvConf resolvConf) implements DumpContent {}

    record Ipconfig(WindowsIpconfig ipconfig) implements DumpContent {}

    /** Network XML, iptables-save, nft ruleset, network.conf, the manifest: parsed by their own packages. */
    record Text(DumpKind kind) implements DumpContent {}

    /** Not recognised (or ambiguous): kept, listed, not used. */
    record Unrecognised() implements DumpContent {}
}
