package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.icmp.IcmpCode;
import org.vnetlab.protocols.icmp.IcmpPacket;
import org.vnetlab.protocols.icmp.IcmpType;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.udp.UdpDatagram;

/** The socket tables of one stack (UDP, ping, packet) and their demultiplexing; TCP keeps its own in {@link Tcp}. */
final class Sockets {
    private final IpStack stack;
    private final List<UdpSocket> udp = new ArrayList<>();
    private final List<PingSocket> ping = new ArrayList<>();
    private final List<PacketSocket> packet = new ArrayList<>();

    Sockets(IpStack stack) { this.stack = stack; }

    UdpSocket newUdp() { return new UdpSocket(stack); }

    PingSocket newPing(int identifier) {
        PingSocket s = new PingSocket(stack, identifier);
        ping.add(s);
        return s;
    }

    PacketSocket newPacket(StackInterface dev, Consumer<ByteBuf> receiver) {
        PacketSocket s = new PacketSocket(stack, dev, receiver);
        packet.add(s);
        return s;
    }

    void closeUdp(UdpSocket s) { udp.remove(s); }

    void closePing(PingSocket s) { ping.remove(s); }

    void closePacket(PacketSocket s) { packet.remove(s); }

    /**
     * udp_lib_get_port: a given port must not be bound already to an overlapping address (unless both sockets set
     * SO_REUSEADDR);
     * port 0 draws a random start in ip_local_port_range and walks up to the first free port.
     */
    int bindUdp(UdpSocket s, int port) throws SocketException {
        if (port < 0 || port > 65535) throw new SocketException(Errno.EINVAL, "port " + port);
        if (port != 0) {
            if (udpPortTaken(port, s.localAddress(), s.boundDevice(), s.reuseAddress())) {
                throw new SocketException(Errno.EADDRINUSE, "bind port " + port);
            }
            udp.add(s);
            return port;
        }
        StackSettings st = stack.settings();
        int low = st.localPortLow();
        int span = st.localPortHigh() - low + 1;
        int start = stack.random().nextInt(span);
        for (int i = 0; i < span; i++) {
            int p = low + (start + i) % span;
            if (!udpPortTaken(p, s.localAddress(), s.boundDevice(), false)) {
                udp.add(s);
                return p;
            }
        }
        throw new SocketException(Errno.EADDRINUSE, "no free ephemeral UDP port");
    }

    /**
     * udp_lib_lport_inuse: the same port conflicts when the addresses overlap and the sockets' bound devices
     * do too (either unbound, or the same device): two dnsmasq instances serve port 67 on 0.0.0.0, one
     * per bridge, each with SO_BINDTODEVICE.
     */
    private boolean udpPortTaken(int port, Ipv4Address address, java.util.Optional<String> device, boolean reuse) {
        for (UdpSocket o : udp) {
            if (o.localPort() != port) continue;
            if (reuse && o.reuseAddress()) continue; // both set SO_REUSEADDR
            boolean addresses = o.localAddress().isAny() || address.isAny() || o.localAddress().equals(address);
            boolean devices = o.boundDevice().isEmpty() || device.isEmpty() || o.boundDevice().equals(device);
            if (addresses && devices) return true;
        }
        return false;
    }

    /** udp4_lib_lookup's score: a bound address, connected peer and bound device each count. */
    private static int score(UdpSocket s, Ipv4Address src, int sport, Ipv4Address dst, int dport, StackInterface in) {
        if (s.localPort() != dport) return -1;
        int score = 0;
        if (!s.localAddress().isAny()) {
            if (!s.localAddress().equals(dst)) return -1;
            score += 4;
        }
        if (s.remoteAddress().isPresent()) {
            if (!s.remoteAddress().get().equals(src) || s.remotePort() != sport) return -1;
            score += 4;
        }
        if (s.boundDevice().isPresent()) {
            if (!s.boundDevice().get().equals(in.name())) return -1;
            score += 4;
        }
        return score;
    }

    boolean udpDeliver(Ipv4Packet ip, UdpDatagram d, StackInterface in) {
        UdpSocket best = null;
        int bestScore = -1;
        for (UdpSocket s : udp) {
            int sc = score(s, ip.source(), d.sourcePort(), ip.destination(), d.destinationPort(), in);
            if (sc > bestScore) {
                best = s;
                bestScore = sc;
            }
        }
        if (best == null) return false;
        best.deliver(datagram(ip, d, in));
        return true;
    }

    /** __udp4_lib_mcast_deliver: every socket on the port whose bound address is ANY or the destination. */
    /** How many sockets a broadcast datagram would reach. */
    int udpBroadcastListeners(Ipv4Packet ip, UdpDatagram d, StackInterface in) {
        int n = 0;
        for (UdpSocket s : udp) if (score(s, ip.source(), d.sourcePort(), ip.destination(), d.destinationPort(), in) >= 0) n++;
        return n;
    }

    int udpBroadcastDeliver(Ipv4Packet ip, UdpDatagram d, StackInterface in) {
        int n = 0;
        for (UdpSocket s : List.copyOf(udp)) {
            if (score(s, ip.source(), d.sourcePort(), ip.destination(), d.destinationPort(), in) < 0) continue;
            s.deliver(datagram(ip, d, in));
            n++;
        }
        return n;
    }

    private static UdpSocket.Datagram datagram(Ipv4Packet ip, UdpDatagram d, StackInterface in) {
        return new UdpSocket.Datagram(ip.source(), d.sourcePort(), ip.destination(), d.destinationPort(), in.name(),
                ip.ttl(), ip.tos(), ByteBufUtil.getBytes(d.payload()));
    }

    /** __udp4_lib_err: the socket that sent the quoted datagram hears the error per its state. */
    void udpError(Ipv4Packet quoted, SocketError.Icmp icmp) {
        ByteBuf l4 = quoted.payload();
        int sport = l4.getUnsignedShort(l4.readerIndex());
        int dport = l4.getUnsignedShort(l4.readerIndex() + 2);
        UdpSocket sock = null;
        for (UdpSocket s : udp) {
            if (s.localPort() != sport) continue;
            if (!s.localAddress().isAny() && !s.localAddress().equals(quoted.source())) continue;
            if (s.remoteAddress().isPresent() && (!s.remoteAddress().get().equals(quoted.destination()) || s.remotePort() != dport)) continue;
            sock = s;
            break;
        }
        if (sock == null) return;
        Errno err;
        boolean hard = false;
        switch (icmp.type()) {
            case IcmpType.SOURCE_QUENCH, IcmpType.REDIRECT -> { return; }
            case IcmpType.PARAMETER_PROBLEM -> {
                err = Errno.EPROTO;
                hard = true;
            }
            case IcmpType.DESTINATION_UNREACHABLE -> {
                if (icmp.code() == IcmpCode.FRAGMENTATION_NEEDED) {
                    if (sock.options().pmtu() == SendOptions.Pmtu.DONT) return;
                    err = Errno.EMSGSIZE;
                    hard = true;
                } else {
                    err = SocketError.unreachableErrno(icmp.code());
                    hard = SocketError.unreachableIsHard(icmp.code());
                }
            }
            default -> err = Errno.EHOSTUNREACH;
        }
        if (!sock.recvErr() && (!hard || !sock.isConnected())) return;
        sock.error(new SocketError(err, java.util.Optional.of(icmp)));
    }

    /** raw_local_deliver for ICMP: ping sockets see replies and errors about their own requests. */
    void pingDeliver(Ipv4Packet ip, IcmpPacket icmp, long now) {
        if (ping.isEmpty()) return;
        if (icmp.type() == IcmpType.ECHO_REPLY) {
            for (PingSocket s : List.copyOf(ping)) {
                if (s.identifier() == icmp.identifier()) {
                    s.reply(new PingSocket.Reply(ip.source(), ip.ttl(), icmp.identifier(), icmp.sequence(),
                            ByteBufUtil.getBytes(icmp.data())));
                }
            }
            return;
        }
        if (!icmp.isError() || icmp.type() == IcmpType.REDIRECT) return;
        Ipv4Packet quoted;
        try {
            quoted = icmp.quoted();
        } catch (org.vnetlab.protocols.ParseException e) {
            return;
        }
        ByteBuf q = quoted.payload();
        if (quoted.protocol().value() != IpStack.PROTO_ICMP || q.readableBytes() < 8) return;
        if (q.getUnsignedByte(q.readerIndex()) != IcmpType.ECHO_REQUEST) return;
        int id = q.getUnsignedShort(q.readerIndex() + 4);
        int seq = q.getUnsignedShort(q.readerIndex() + 6);
        Errno err = switch (icmp.type()) {
            case IcmpType.DESTINATION_UNREACHABLE -> SocketError.unreachableErrno(icmp.code());
            case IcmpType.PARAMETER_PROBLEM -> Errno.EPROTO;
            default -> Errno.EHOSTUNREACH;
        };
        int info = icmp.code() == IcmpCode.FRAGMENTATION_NEEDED ? icmp.nextHopMtu() : 0;
        for (PingSocket s : List.copyOf(ping)) {
            if (s.identifier() == id) {
                s.failure(new PingSocket.Failure(seq, SocketError.icmp(err, icmp.type(), icmp.code(), ip.source(), info)));
            }
        }
    }

    /** Raw sockets for other protocols are not offered. */
    boolean rawDeliver(Ipv4Packet ip) { return false; }

    void deliverFrame(StackInterface in, ByteBuf frame) {
        for (PacketSocket s : List.copyOf(packet)) {
            if (s.iface() == in) s.deliver(frame);
        }
    }
}
