package org.vnetlab.emulator.libvirt.firewall;

import org.vnetlab.emulator.libvirt.IpAddress;

/** The address family a rule belongs to: which iptables program, which nft table family. */
public enum Layer {
    IPV4(FirewallCommand.Tool.IPTABLES, "ip"), IPV6(FirewallCommand.Tool.IP6TABLES, "ip6");

    private final FirewallCommand.Tool iptables;
    private final String nftFamily;

    Layer(FirewallCommand.Tool iptables, String nftFamily) {
        this.iptables = iptables;
        this.nftFamily = nftFamily;
    }

    public FirewallCommand.Tool iptables() { return iptables; }

    public String nftFamily() { return nftFamily; }

    static Layer of(IpAddress a) {
        return a.family() == IpAddress.Family.IPV4 ? IPV4 : IPV6;
    }
}
