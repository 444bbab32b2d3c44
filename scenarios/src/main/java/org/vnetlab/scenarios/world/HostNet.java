package org.vnetlab.scenarios.world;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.vnetlab.emulator.guest.GuestNet;
import org.vnetlab.emulator.guest.Ipv4Config;
import org.vnetlab.emulator.guest.PingSocket;
import org.vnetlab.emulator.guest.StackGuestNet;
import org.vnetlab.emulator.guest.TcpConnection;
import org.vnetlab.emulator.guest.UdpSocket;
import org.vnetlab.emulator.link.NetDevice;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * A machine's own shell tools (ping, dig, curl) as the Linux guest model runs them, on that machine's stack:
 * the sockets are its own (so its routes, netfilter and NAT apply), the resolver is the one its resolv.conf
 * names. The machine's configuration is never changed through it.
 */
final class HostNet implements GuestNet {
    private final StackGuestNet sockets;
    private final Supplier<Ipv4Config> config;

    HostNet(IpStack stack, NetDevice nic, Supplier<Ipv4Config> config) {
        this.sockets = new StackGuestNet(stack, nic);
        this.config = config;
    }

    @Override public Lab lab() { return sockets.lab(); }

    @Override public MacAddress mac() { return sockets.mac(); }

    @Override public String interfaceName() { return sockets.interfaceName(); }

    @Override public Optional<Ipv4Config> config() { return Optional.of(config.get()); }

    @Override
    public void configure(Ipv4Config c) {
        throw new UnsupportedOperationException("this machine's addresses are not changed through its tools");
    }

    @Override public void deconfigure() { }

    @Override public void transmitFrame(ByteBuf frame) { sockets.transmitFrame(frame); }

    @Override public void tapUdp(int port, FrameListener listener) { sockets.tapUdp(port, listener); }

    @Override public PingSocket openPing(int identifier, PingSocket.Listener listener) { return sockets.openPing(identifier, listener); }

    @Override public UdpSocket openUdp(int localPort, UdpSocket.Listener listener) { return sockets.openUdp(localPort, listener); }

    @Override
    public java.util.Optional<UdpSocket> openSharedUdp(Ipv4Address address, int localPort, UdpSocket.Listener listener) {
        return sockets.openSharedUdp(address, localPort, listener);
    }

    @Override
    public TcpConnection connect(Ipv4Address destination, int port, int localPort, TcpConnection.Listener listener) {
        return sockets.connect(destination, port, localPort, listener);
    }

    static Ipv4Config config(Ipv4Address address, int prefix, Ipv4Address gateway, List<Ipv4Address> dns) {
        return new Ipv4Config(address, prefix, Optional.of(gateway), dns);
    }
}
