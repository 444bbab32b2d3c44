package org.vnetlab.emulator.guest;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * What a guest's commands need from the guest's IP stack, and nothing more: the interface's IPv4
 * configuration, ping, UDP and TCP client sockets, and a raw frame path for DHCP clients (udhcpc and
 * dhclient send their broadcasts from a packet socket and build their own IP header; so does our model of
 * Windows' client; their unicasts go through the guest's UDP stack).
 * Everything is event driven on the lab's scheduler: calls return at once, listeners run on later events.
 *
 * <p>Kept small on purpose so that command logic is testable against a fake and adapted to the shared
 * {@code IpStack} with a thin adapter.
 */
public interface GuestNet {

    Lab lab();

    /** The NIC's MAC address. */
    MacAddress mac();

    /** The interface name as the guest OS shows it ({@code eth0}, {@code Ethernet}). */
    String interfaceName();

    /** The current IPv4 configuration of the NIC, if any. */
    Optional<Ipv4Config> config();

    /** Replaces the NIC's address, prefix, default route (like {@code ip addr add} + {@code ip route add default}). */
    void configure(Ipv4Config config);

    /** Removes the address and the default route. */
    void deconfigure();

    /** Sends a whole Ethernet frame out of the NIC, bypassing the IP stack (a packet socket). */
    void transmitFrame(ByteBuf frame);

    /**
     * Delivers a copy of every received frame carrying UDP to {@code port} (whatever its IP destination) to
     * {@code listener}, as a packet socket with a BPF filter does; {@code null} removes the tap.
     */
    void tapUdp(int port, FrameListener listener);

    /**
     * An ICMP echo socket sending with {@code identifier} (Windows' IcmpSendEcho always uses 1; a Linux
     * ping socket gets its own from the kernel, which the guest numbers per ping run).
     */
    PingSocket openPing(int identifier, PingSocket.Listener listener);

    /** A UDP socket bound to {@code localPort} (0: an ephemeral port). */
    UdpSocket openUdp(int localPort, UdpSocket.Listener listener);

    /**
     * A UDP socket with SO_REUSEADDR bound to {@code address}:{@code localPort}, as DHCP clients open theirs on
     * port 68 (two such sockets may share the port). Empty, after telling {@code listener.sendFailed} why
     * (bind's strerror), when the address is not the guest's.
     */
    Optional<UdpSocket> openSharedUdp(Ipv4Address address, int localPort, UdpSocket.Listener listener);

    /** Starts a TCP connection from {@code localPort} (0: ephemeral) to {@code destination:port}. */
    TcpConnection connect(Ipv4Address destination, int port, int localPort, TcpConnection.Listener listener);

    /** Receives raw frames from {@link #tapUdp}. */
    @FunctionalInterface
    interface FrameListener {
        void frame(ByteBuf frame);
    }
}
