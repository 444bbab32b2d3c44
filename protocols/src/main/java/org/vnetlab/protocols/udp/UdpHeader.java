package org.vnetlab.protocols.udp;

import io.netty.buffer.ByteBuf;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ipv4.IpProtocol;

/**
 * A UDP header as a value: ports and payload length (the length field is 8 + payloadLength). The checksum
 * is not held: {@link #emit(ByteBuf, int, Ipv4Address, Ipv4Address)} computes it over the payload.
 */
public record UdpHeader(int sourcePort, int destinationPort, int payloadLength) {

    public UdpHeader {
        if (sourcePort < 0 || sourcePort > 0xffff) throw new IllegalArgumentException("source port out of 16 bits: " + sourcePort);
        if (destinationPort < 0 || destinationPort > 0xffff) throw new IllegalArgumentException("destination port out of 16 bits: " + destinationPort);
        if (payloadLength < 0 || payloadLength > 0xffff - UdpDatagram.HEADER_LENGTH) throw new IllegalArgumentException("payload length out of range: " + payloadLength);
    }

    public static UdpHeader parse(UdpDatagram d) {
        return new UdpHeader(d.sourcePort(), d.destinationPort(), d.length() - UdpDatagram.HEADER_LENGTH);
    }

    public int length() { return UdpDatagram.HEADER_LENGTH; }

    public UdpHeader withPayloadLength(int length) { return new UdpHeader(sourcePort, destinationPort, length); }

    /** Writes the 8-byte header with a zero ("none") checksum at absolute {@code index}. */
    public void emit(ByteBuf buf, int index) {
        buf.setShort(index, sourcePort);
        buf.setShort(index + 2, destinationPort);
        buf.setShort(index + 4, UdpDatagram.HEADER_LENGTH + payloadLength);
        buf.setShort(index + 6, 0);
    }

    /**
     * Writes the header and its checksum; the {@code payloadLength} payload bytes must already be in place
     * right after it.
     */
    public void emit(ByteBuf buf, int index, Ipv4Address source, Ipv4Address destination) {
        emit(buf, index);
        int sum = InternetChecksum.computeWithPseudoHeader(buf, index, UdpDatagram.HEADER_LENGTH + payloadLength,
                source.bits(), destination.bits(), IpProtocol.UDP.value());
        buf.setShort(index + 6, sum == 0 ? 0xffff : sum);
    }
}
