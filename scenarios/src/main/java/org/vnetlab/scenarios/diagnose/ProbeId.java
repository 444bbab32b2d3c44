package org.vnetlab.scenarios.diagnose;

/** The standard probe battery, in the order it runs; ids as the JSON report names them. */
public enum ProbeId {
    DHCP("dhcp", "the guest asks libvirt's dnsmasq for a lease"),
    PING_GATEWAY("ping-gateway", "the guest pings the bridge's address (the host itself)"),
    PING_UPLINK_GATEWAY("ping-uplink-gateway", "the guest pings the host's default gateway"),
    PING_INTERNET("ping-internet", "the guest pings an internet address"),
    DNS_VIA_GATEWAY("dns-via-gateway", "the guest resolves a name through dnsmasq on the bridge"),
    DNS_DIRECT("dns-direct", "the guest resolves a name through a public resolver directly"),
    TCP_INTERNET("tcp-internet", "the guest opens a TCP connection to a web server"),
    INBOUND_FROM_LAN("inbound-from-lan", "a LAN host that routes the guest network via the host pings the guest");

    private final String id;
    private final String what;

    ProbeId(String id, String what) {
        this.id = id;
        this.what = what;
    }

    public String id() { return id; }

    public String what() { return what; }
}
