package org.vnetlab.protocols;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * Ethernet II + IPv4 (no options) + UDP around a payload, checksums computed: enough to put the DHCP and
 * DNS messages we emit on a wire for tshark to dissect. (The protocol views of the ipv4/udp packages do
 * this in the product.)
 */
public final class UdpFrames {
    private UdpFrames() {}

    /** An IPv4 datagram's header fields that vary between senders (dnsmasq: TOS 0xc0, DF only for DNS). */
    public record Ip(int tos, int ttl, int id, boolean dontFragment) {}

    public static byte[] frame(MacAddress source, MacAddress destination, Ipv4Address sourceIp, Ipv4Address destinationIp,
            int sourcePort, int destinationPort, Ip ip, byte[] payload) {
        int udpLength = 8 + payload.length;
        int total = 20 + udpLength;
        ByteBuf b = Unpooled.buffer(14 + total);
        b.writerIndex(14 + total);
        destination.write(b, 0);
        source.write(b, 6);
        b.setShort(12, 0x0800);
        b.setByte(14, 0x45);
        b.setByte(15, ip.tos());
        b.setShort(16, total);
        b.setShort(18, ip.id());
        b.setShort(20, ip.dontFragment() ? 0x4000 : 0);
        b.setByte(22, ip.ttl());
        b.setByte(23, 17);
        b.setShort(24, 0);
        sourceIp.write(b, 26);
        destinationIp.write(b, 30);
        b.setShort(24, InternetChecksum.compute(b, 14, 20));
        b.setShort(34, sourcePort);
        b.setShort(36, destinationPort);
        b.setShort(38, udpLength);
        b.setShort(40, 0);
        b.setBytes(42, payload);
        int sum = InternetChecksum.computeWithPseudoHeader(b, 34, udpLength, sourceIp.bits(), destinationIp.bits(), 17);
        b.setShort(40, sum == 0 ? 0xffff : sum); // RFC 768: a computed zero is sent as all ones
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(0, out);
        return out;
    }
}
