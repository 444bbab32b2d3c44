package org.vnetlab.emulator.hostconf;

/** The kinds of file a host dump folder holds, recognised by content. */
public enum DumpKind {
    /** {@code virsh net-dumpxml NAME} (or a file from /etc/libvirt/qemu/networks). Kept as text here. */
    NETWORK_XML("virsh net-dumpxml"),
    /** {@code iptables-save}. Kept as text here. */
    IPTABLES_SAVE("iptables-save"),
    /** {@code nft list ruleset}. Kept as text here. */
    NFT_RULESET("nft list ruleset"),
    /** {@code ipset save} (or {@code ipset list}): the sets iptables' {@code -m set} and {@code -j SET} use. Kept as text here. */
    IPSET_SAVE("ipset save"),
    IP_ROUTE("ip route"),
    ROUTE_N("route -n / netstat -rn"),
    IP_ADDR("ip addr / ip link"),
    IP_ADDR_BRIEF("ip -br addr / ip -br link"),
    /** {@code sysctl -a} or {@code sysctl KEY}: the running state. */
    SYSCTL_DUMP("sysctl -a"),
    /** /etc/sysctl.conf or a sysctl.d file: settings applied at boot. */
    SYSCTL_CONF("sysctl.conf"),
    RESOLV_CONF("resolv.conf"),
    /** A Windows guest's ipconfig or ipconfig /all. */
    IPCONFIG("ipconfig"),
    /** /etc/libvirt/network.conf (firewall_backend). Kept as text here. */
    LIBVIRT_NETWORK_CONF("libvirt network.conf"),
    /** The README.txt vnetlab-collect writes. */
    COLLECTOR_MANIFEST("vnetlab-collect manifest");

    private final String source;

    DumpKind(String source) { this.source = source; }

    /** The command or file it comes from, for messages. */
    public String source() { return source; }
}
