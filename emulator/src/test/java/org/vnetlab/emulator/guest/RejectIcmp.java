package org.vnetlab.emulator.guest;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.Optional;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.stack.FilterPacket;
import org.vnetlab.emulator.stack.FilterVerdict;
import org.vnetlab.emulator.stack.PacketFilter;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.icmp.IcmpMessage;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * A stand-in for the article's {@code -j REJECT --reject-with icmp-port-unreachable} in FORWARD, for specs
 * that only need the ICMP error to come back: forwarded packets of {@code protocol} are answered with a port
 * unreachable from {@code from} (192.168.0.10, as the reference host answered), quoting the datagram.
 */
final class RejectIcmp implements PacketFilter {
    private final Ipv4Address from;
    private final IpProtocol protocol;

    RejectIcmp(Ipv4Address from, IpProtocol protocol) {
        this.from = from;
        this.protocol = protocol;
    }

    @Override
    public FilterVerdict hook(Hook hook, FilterPacket packet) {
        if (hook != Hook.FORWARD) return FilterVerdict.ACCEPT;
        try {
            Ipv4Packet ip = Ipv4Packet.checked(packet.datagram());
            if (!ip.protocol().equals(protocol)) return FilterVerdict.ACCEPT;
            byte[] quoted = ByteBufUtil.getBytes(ip.buffer());
            ByteBuf reply = Frames.ipv4(new Ipv4Header(0xc0, 0, false, false, 0, 64, IpProtocol.ICMP, from, ip.source(),
                    new byte[0], 0), new IcmpMessage.DestinationUnreachable(3, quoted));
            return new FilterVerdict.Reject("test REJECT", "icmp-port-unreachable", Optional.of(reply), null);
        } catch (ParseException e) {
            return FilterVerdict.ACCEPT;
        }
    }
}
