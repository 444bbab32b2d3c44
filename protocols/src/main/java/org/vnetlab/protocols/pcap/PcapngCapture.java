package org.vnetlab.protocols.pcap;

import java.util.List;

/** A pcapng capture as read: the writing application, the interfaces by id, the packets in file order. */
public record PcapngCapture(String application, List<PcapngInterface> interfaces, List<PcapngPacket> packets) {
    public PcapngCapture {
        interfaces = List.copyOf(interfaces);
        packets = List.copyOf(packets);
    }

    /** The id of the interface with this name. */
    public int interfaceId(String name) {
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i).name().equals(name)) return i;
        }
        throw new IllegalArgumentException("no interface named '" + name + "' in " + interfaces);
    }

    /** The packets seen on the interface with this name, in file order. */
    public List<PcapngPacket> packetsOn(String name) {
        int id = interfaceId(name);
        return packets.stream().filter(p -> p.interfaceId() == id).toList();
    }
}
