package org.vnetlab.protocols.ipv4;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.ParseException;

/**
 * The source and destination ports that lead every port-based transport header (TCP, UDP, UDP-Lite, SCTP,
 * DCCP). Conntrack needs only these to match the datagram an ICMP error quotes, and a quote from an old
 * router may hold no more than the 8 bytes RFC 792 requires, too few for a TCP view.
 */
public record TransportPorts(int source, int destination) {

    public TransportPorts {
        if (source < 0 || source > 0xffff || destination < 0 || destination > 0xffff) throw new IllegalArgumentException("port out of 16 bits");
    }

    public static boolean carriesPorts(IpProtocol protocol) {
        return protocol.equals(IpProtocol.TCP) || protocol.equals(IpProtocol.UDP) || protocol.equals(IpProtocol.UDPLITE)
                || protocol.equals(IpProtocol.SCTP) || protocol.equals(IpProtocol.DCCP);
    }

    /**
     * The ports of {@code packet}'s transport header (whole or quoted).
     * @throws ParseException if the protocol has no ports, or fewer than 4 payload bytes are present
     */
    public static TransportPorts of(Ipv4Packet packet) throws ParseException {
        if (!carriesPorts(packet.protocol())) {
            throw new ParseException(packet.protocol().name(), "ports", 0, "protocol " + packet.protocol() + " carries no ports");
        }
        if (packet.fragmentOffset() != 0) {
            throw new ParseException(Ipv4Packet.LAYER, "fragment offset", 6, "a non-first fragment carries no transport header");
        }
        ByteBuf payload = packet.payload();
        if (payload.readableBytes() < 4) throw ParseException.truncated(packet.protocol().name(), "ports", 0, 4, payload.readableBytes());
        return new TransportPorts(payload.getUnsignedShort(payload.readerIndex()), payload.getUnsignedShort(payload.readerIndex() + 2));
    }

    public TransportPorts reversed() { return new TransportPorts(destination, source); }
}
