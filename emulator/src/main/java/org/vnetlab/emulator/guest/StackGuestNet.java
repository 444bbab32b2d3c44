package org.vnetlab.emulator.guest;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.route.Route;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.emulator.link.NetDevice;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.emulator.stack.PacketSocket;
import org.vnetlab.emulator.stack.SocketError;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.ethernet.EtherType;
import org.vnetlab.protocols.ethernet.EthernetFrame;
import org.vnetlab.protocols.ipv4.IpProtocol;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.udp.UdpDatagram;

/**
 * {@link GuestNet} over the shared {@link IpStack}: the guest's one NIC is an interface of its own stack;
 * sockets are the stack's; the DHCP clients' frames go through a packet socket bound to the NIC. Socket
 * errors are handed on as the ICMP type, code and sender the stack read from the error (IP_RECVERR); a send
 * the stack refuses at once (no route, no address) becomes {@code sendFailed} with strerror's text.
 */
public final class StackGuestNet implements GuestNet {
    private final IpStack stack;
    private final NetDevice nic;
    private final PacketSocket packets;
    private final java.util.Map<Integer, FrameListener> taps = new java.util.HashMap<>();
    private Optional<Ipv4Config> config = Optional.empty();

    public StackGuestNet(IpStack stack, NetDevice nic) {
        this.stack = Objects.requireNonNull(stack, "stack");
        this.nic = Objects.requireNonNull(nic, "nic");
        if (stack.iface(nic.name()).isEmpty()) stack.attach(nic);
        this.packets = stack.openPacketSocket(nic.name(), this::frame);
    }

    public IpStack stack() { return stack; }

    @Override public Lab lab() { return stack.lab(); }

    @Override public MacAddress mac() { return nic.mac(); }

    @Override public String interfaceName() { return nic.name(); }

    @Override public Optional<Ipv4Config> config() { return config; }

    /**
     * A renewal that keeps the address (dhclient-script's RENEW, udhcpc's renew, Windows' renewal) leaves the
     * address in place, so the neighbour cache survives; only a different address replaces the old one.
     */
    @Override
    public void configure(Ipv4Config c) {
        boolean keepAddress = config.map(o -> o.address().equals(c.address()) && o.prefixLength() == c.prefixLength())
                .orElse(false);
        if (keepAddress) {
            removeDefaultRoutes();
        } else {
            deconfigure();
            stack.addAddress(nic.name(), Ipv4Assignment.of(c.address(), c.prefixLength()));
        }
        c.gateway().ifPresent(gw -> stack.addDefaultRoute(gw, nic.name(), 0));
        config = Optional.of(c);
    }

    @Override
    public void deconfigure() {
        config.ifPresent(c -> {
            stack.removeAddress(nic.name(), c.address());
            removeDefaultRoutes();
        });
        config = Optional.empty();
    }

    private void removeDefaultRoutes() {
        List<Route> keep = new ArrayList<>();
        RoutingTable t = stack.routes();
        for (Route r : t.routes()) if (!r.destination().equals(Ipv4Prefix.DEFAULT)) keep.add(r);
        stack.setRoutes(RoutingTable.of(keep, t.noted(), t.warnings()));
    }

    @Override
    public void transmitFrame(ByteBuf frame) {
        try {
            packets.send(frame);
        } catch (SocketException e) {
            // a NIC that is down sends nothing; DHCP clients retry on their timers
        }
    }

    @Override
    public void tapUdp(int port, FrameListener listener) {
        if (listener == null) taps.remove(port);
        else taps.put(port, listener);
    }

    /**
     * A frame the packet socket queued. The kernel copies it to the socket's queue in the receive path and goes
     * on with IP processing of the same frame at once; the client process reads the copy only afterwards, so
     * the reader runs on a later event. A DHCP client that binds its address on reading an ACK therefore binds
     * after the kernel has already dropped that unicast ACK as not (yet) addressed to it, as on a real guest.
     * A tap removed or replaced in between is a closed socket: what it had queued is lost.
     */
    private void frame(ByteBuf frame) {
        if (taps.isEmpty()) return;
        try {
            EthernetFrame eth = EthernetFrame.checked(frame);
            if (!eth.etherType().equals(EtherType.IPV4)) return;
            Ipv4Packet ip = Ipv4Packet.checked(eth.payload());
            if (!ip.protocol().equals(IpProtocol.UDP) || ip.isFragment()) return;
            int port = UdpDatagram.checked(ip.payload()).destinationPort();
            FrameListener l = taps.get(port);
            if (l == null) return;
            ByteBuf queued = io.netty.buffer.Unpooled.copiedBuffer(frame);
            lab().scheduler().schedule(0, stack.node() + ": packet socket read", () -> {
                if (taps.get(port) == l) l.frame(queued);
            });
        } catch (ParseException e) {
            // not for a packet-socket filter on UDP ports
        }
    }

    @Override
    public PingSocket openPing(int identifier, PingSocket.Listener listener) {
        org.vnetlab.emulator.stack.PingSocket s = stack.openPing(identifier);
        s.onReply(r -> listener.reply(r.from(), r.ttl(), r.sequence(), r.data()));
        s.onFailure(f -> {
            SocketError e = f.error();
            if (e.icmp().isPresent()) {
                SocketError.Icmp i = e.icmp().get();
                listener.error(i.from(), i.type(), i.code(), f.sequence());
            } else {
                listener.error(config.map(Ipv4Config::address).orElse(Ipv4Address.ANY), 3, 1, f.sequence());
            }
        });
        return new PingSocket() {
            @Override public void send(Ipv4Address destination, int ttl, int sequence, byte[] payload) {
                if (ttl > 0) s.setTtl(ttl);
                try {
                    s.send(destination, sequence, payload);
                } catch (SocketException e) {
                    listener.sendFailed(sequence, e.errno().text());
                }
            }

            @Override public int identifier() { return identifier; }

            @Override public void close() { s.close(); }
        };
    }

    @Override
    public UdpSocket openUdp(int localPort, UdpSocket.Listener listener) {
        org.vnetlab.emulator.stack.UdpSocket s = stack.openUdp();
        try {
            s.bind(Ipv4Address.ANY, localPort);
        } catch (SocketException e) {
            throw new IllegalStateException("bind UDP port " + localPort + " on " + stack.node() + ": " + e.getMessage(), e);
        }
        return adapt(s, listener);
    }

    @Override
    public Optional<UdpSocket> openSharedUdp(Ipv4Address address, int localPort, UdpSocket.Listener listener) {
        org.vnetlab.emulator.stack.UdpSocket s = stack.openUdp().setReuseAddress(true);
        try {
            s.bind(address, localPort);
        } catch (SocketException e) {
            s.close();
            listener.sendFailed(e.errno().text());
            return Optional.empty();
        }
        return Optional.of(adapt(s, listener));
    }

    private static UdpSocket adapt(org.vnetlab.emulator.stack.UdpSocket s, UdpSocket.Listener listener) {
        s.setRecvErr(true);
        s.onReceive(d -> listener.datagram(d.source(), d.sourcePort(), d.data()));
        s.onError(e -> e.icmp().ifPresent(i -> listener.error(i.from(), i.type(), i.code())));
        return new UdpSocket() {
            @Override public int localPort() { return s.localPort(); }

            @Override public void send(Ipv4Address destination, int port, byte[] payload) {
                try {
                    s.sendTo(destination, port, payload);
                } catch (SocketException e) {
                    listener.sendFailed(e.errno().text());
                }
            }

            @Override public void connect(Ipv4Address destination, int port) {
                try {
                    s.connect(destination, port);
                } catch (SocketException e) {
                    listener.sendFailed(e.errno().text());
                }
            }

            @Override public void close() { s.close(); }
        };
    }

    @Override
    public TcpConnection connect(Ipv4Address destination, int port, int localPort, TcpConnection.Listener listener) {
        org.vnetlab.emulator.stack.TcpConnection.Handler handler = new org.vnetlab.emulator.stack.TcpConnection.Handler() {
            @Override public void connected(org.vnetlab.emulator.stack.TcpConnection c) { listener.connected(); }

            @Override public void received(org.vnetlab.emulator.stack.TcpConnection c, byte[] data) { listener.data(data); }

            @Override public void peerClosed(org.vnetlab.emulator.stack.TcpConnection c) { listener.peerClosed(); }

            @Override public void failed(org.vnetlab.emulator.stack.TcpConnection c, SocketError e) {
                if (e.icmp().isPresent()) {
                    SocketError.Icmp i = e.icmp().get();
                    listener.failed(TcpConnection.Failure.UNREACHABLE, i.from(), i.type(), i.code());
                    return;
                }
                TcpConnection.Failure f = switch (e.errno()) {
                    case ECONNREFUSED -> TcpConnection.Failure.REFUSED;
                    case ETIMEDOUT -> TcpConnection.Failure.TIMED_OUT;
                    case ECONNRESET -> TcpConnection.Failure.RESET;
                    default -> TcpConnection.Failure.NO_ROUTE;
                };
                listener.failed(f, null, 0, 0);
            }
        };
        org.vnetlab.emulator.stack.TcpConnection c;
        try {
            c = stack.connect(destination, port, localPort, handler);
        } catch (SocketException e) {
            // connect() itself failed (ENETUNREACH): report it on the next event, as the caller expects
            lab().scheduler().schedule(0, stack.node() + ": connect failed", () ->
                    listener.failed(TcpConnection.Failure.NO_ROUTE, null, 0, 0));
            return new TcpConnection() {
                @Override public int localPort() { return 0; }
                @Override public void send(byte[] data) { }
                @Override public void close() { }
            };
        }
        return new TcpConnection() {
            @Override public int localPort() { return c.localPort(); }

            @Override public void send(byte[] data) {
                try {
                    c.write(data);
                } catch (SocketException e) {
                    listener.failed(TcpConnection.Failure.RESET, null, 0, 0);
                }
            }

            @Override public void close() { c.close(); }
        };
    }
}
