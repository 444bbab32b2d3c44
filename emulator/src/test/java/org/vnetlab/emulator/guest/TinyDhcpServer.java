package org.vnetlab.emulator.guest;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.PacketSocket;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.build.Frames;
import org.vnetlab.protocols.dhcp.DhcpMessage;
import org.vnetlab.protocols.dhcp.DhcpMessageType;
import org.vnetlab.protocols.dhcp.DhcpOption;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ethernet.EthernetHeader;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Header;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.udp.UdpDatagram;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * A test DHCP server answering the way dnsmasq did in the reference capture (OFFER and ACK unicast to the
 * client's MAC and yiaddr, options 53, 54, 51, 58, 59, 1, 28, 3, 6), without dnsmasq's ping check. It records
 * every client message it sees, with its arrival time, so specs can check bytes and retransmission timing.
 */
final class TinyDhcpServer {
    record Seen(long atNanos, ByteBuf frame, DhcpMessage message) { }

    private final IpStack stack;
    private final PacketSocket socket;
    private final Ipv4Address server;
    private final Ipv4Address offer;
    private final MacAddress serverMac;
    final List<Seen> seen = new ArrayList<>();
    boolean answering = true;
    boolean nak;

    TinyDhcpServer(IpStack stack, String dev, Ipv4Address server, Ipv4Address offer) {
        this.stack = stack;
        this.server = server;
        this.offer = offer;
        this.serverMac = stack.iface(dev).orElseThrow().device().mac();
        this.socket = stack.openPacketSocket(dev, this::frame);
    }

    private void frame(ByteBuf frame) {
        DhcpMessage m;
        try {
            EthernetFrame eth = EthernetFrame.checked(frame);
            if (!eth.etherType().equals(EtherType.IPV4)) return;
            Ipv4Packet ip = Ipv4Packet.checked(eth.payload());
            if (!ip.protocol().equals(IpProtocol.UDP)) return;
            UdpDatagram udp = UdpDatagram.checked(ip.payload());
            if (udp.destinationPort() != 67) return;
            m = DhcpMessage.parse(udp.payload());
        } catch (ParseException e) {
            return;
        }
        seen.add(new Seen(stack.lab().now(), io.netty.buffer.Unpooled.copiedBuffer(frame), m));
        if (!answering) return;
        DhcpMessageType t = m.messageType().orElseThrow();
        if (t.equals(DhcpMessageType.DISCOVER)) reply(m, DhcpMessageType.OFFER);
        else if (t.equals(DhcpMessageType.REQUEST)) reply(m, nak ? DhcpMessageType.NAK : DhcpMessageType.ACK);
    }

    private void reply(DhcpMessage request, DhcpMessageType type) {
        MacAddress client = request.clientMac().orElseThrow();
        DhcpMessage.Builder b = DhcpMessage.builder().op(DhcpMessage.BOOTREPLY).xid(request.xid()).secs(request.secs())
                .clientMac(client).yiaddr(type.equals(DhcpMessageType.NAK) ? Ipv4Address.ANY : offer).siaddr(server)
                .option(new DhcpOption.MessageType(type)).option(new DhcpOption.ServerIdentifier(server));
        if (!type.equals(DhcpMessageType.NAK)) {
            b.option(new DhcpOption.LeaseTime(3600)).option(new DhcpOption.RenewalTime(1800))
                    .option(new DhcpOption.RebindingTime(3150))
                    .option(new DhcpOption.SubnetMask(Ipv4Address.parse("255.255.255.0")))
                    .option(new DhcpOption.BroadcastAddress(Ipv4Address.parse("192.168.122.255")))
                    .option(new DhcpOption.Router(List.of(server)))
                    .option(new DhcpOption.DomainNameServer(List.of(server)));
        }
        byte[] payload = b.option(new DhcpOption.End()).padTo(300).build().toBytes();
        Ipv4Address dst = type.equals(DhcpMessageType.NAK) ? Ipv4Address.BROADCAST : offer;
        ByteBuf frame = Frames.ethernetIpv4(new EthernetHeader(type.equals(DhcpMessageType.NAK) ? MacAddress.BROADCAST : client,
                        serverMac, EtherType.IPV4),
                new Ipv4Header(0xc0, 0, false, false, 0, 64, IpProtocol.UDP, server, dst, new byte[0], 8 + payload.length),
                new UdpHeader(67, 68, payload.length), payload);
        try {
            socket.send(frame);
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    List<DhcpMessage> messages() {
        List<DhcpMessage> out = new ArrayList<>();
        for (Seen s : seen) out.add(s.message());
        return out;
    }
}
