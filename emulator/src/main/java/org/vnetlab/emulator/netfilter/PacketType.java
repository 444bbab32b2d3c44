package org.vnetlab.emulator.netfilter;

/** {@code -m pkttype --pkt-type}: the link-layer class of the frame (kernel PACKET_HOST/BROADCAST/MULTICAST). */
public enum PacketType {
    UNICAST("unicast"), BROADCAST("broadcast"), MULTICAST("multicast"),
    /** Frames for another host's MAC, seen in promiscuous mode (PACKET_OTHERHOST). */
    OTHERHOST("otherhost"),
    /** Locally sent frames looped back (PACKET_OUTGOING). */
    OUTGOING("outgoing");

    private final String iptablesName;

    PacketType(String iptablesName) { this.iptablesName = iptablesName; }

    public String iptablesName() { return iptablesName; }
}
