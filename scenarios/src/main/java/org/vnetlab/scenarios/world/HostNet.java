package org.vnetlab.scenarios.world;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.guest.GuestNet;
import org.vnetlab.emulator.guest.Ipv4Config;
import org.vnetlab.emulator.guest.PingSocket;
import org.vnetlab.emulator.guest.StackGuestNet;
import org.vnetlab.emulator.guest.TcpConnection;
import org.vnetlab.emulator.guest.UdpSocket;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * The host's own shell tools (ping, dig, curl) as the Linux guest model runs them, on the host's stack: the
 * sockets are the host's (so its routes, netfilter OUTPUT and NAT apply), the resolver is the host's
 * /etc/resolv.conf. The host's configuration is never changed through it.
 */
final class HostNet implements GuestNet {
    private final StackGuestNet sockets;
    private final HostMachine host;

    HostNet(HostMachine host) {
        this.host = host;
        this.sockets = new StackGuestNet(host.stack, host.uplink);
    }

    @Override public Lab lab() { return host.lab; }

    @Override public MacAddress mac() { return host.uplink.mac(); }

    @Override public String interfaceName() { return host.uplink.name(); }

    @Override
    public Optional<Ipv4Config> config() {
        List<Ipv4Address> dns;
        try {
            ResolvConf r = org.vnetlab.emulator.hostconf.resolv.ResolvConfParser.parse(HostMachine.RESOLV_CONF,
                    host.files.get(HostMachine.RESOLV_CONF));
            dns = r.usedNameservers().stream().filter(s -> !s.contains(":")).map(Ipv4Address::parse).toList();
        } catch (InputException | IllegalArgumentException e) {
            dns = List.of();
        }
        var up = host.dump.uplink();
        return Optional.of(new Ipv4Config(up.address(), up.prefixLength(), Optional.of(up.gateway()), dns));
    }

    @Override
    public void configure(Ipv4Config config) {
        throw new UnsupportedOperationException("the host's addresses are changed with ip, not through its tools");
    }

    @Override public void deconfigure() { }

    @Override public void transmitFrame(ByteBuf frame) { sockets.transmitFrame(frame); }

    @Override public void tapUdp(int port, FrameListener listener) { sockets.tapUdp(port, listener); }

    @Override public PingSocket openPing(int identifier, PingSocket.Listener listener) { return sockets.openPing(identifier, listener); }

    @Override public UdpSocket openUdp(int localPort, UdpSocket.Listener listener) { return sockets.openUdp(localPort, listener); }

    @Override
    public TcpConnection connect(Ipv4Address destination, int port, int localPort, TcpConnection.Listener listener) {
        return sockets.connect(destination, port, localPort, listener);
    }
}
