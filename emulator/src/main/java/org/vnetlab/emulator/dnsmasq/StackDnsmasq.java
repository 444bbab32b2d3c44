package org.vnetlab.emulator.dnsmasq;

import java.util.HashMap;
import java.util.Map;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.PingSocket;
import org.vnetlab.emulator.stack.SendOptions;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.emulator.stack.StackInterface;
import org.vnetlab.emulator.stack.UdpSocket;
import org.vnetlab.protocols.Ipv4Address;

/**
 * dnsmasq on a host's {@link IpStack}, with the sockets dnsmasq opens:
 * <ul>
 *   <li>DHCP: UDP 0.0.0.0:67 bound to the served interface (SO_BINDTODEVICE, as "sockets bound exclusively
 *       to interface"), SO_BROADCAST, IP_TOS CS6, IP_MTU_DISCOVER off; a reply to a client without an address
 *       first writes the client's MAC into the ARP table (SIOCSARP), which also releases packets queued for
 *       that address;</li>
 *   <li>the address probe: a raw ICMP socket per ping, closed after dnsmasq's wait;</li>
 *   <li>DNS ({@code bind-dynamic}): UDP on the served address, port 53, kernel defaults (so DF set);</li>
 *   <li>forwarding: one UDP socket per forwarded query on its random port, wildcard-bound, closed when
 *       dnsmasq is done with the query (later datagrams to it meet a closed port).</li>
 * </ul>
 * DNS over TCP is not served (a TCP connection to port 53 is refused by the stack).
 */
public final class StackDnsmasq implements DhcpPort, DnsPort {
    private final IpStack stack;
    private final ServedInterface served;
    private final Map<Integer, UdpSocket> upstream = new HashMap<>();
    private Dnsmasq dnsmasq;
    private UdpSocket dhcpSocket;
    private UdpSocket dnsSocket;

    private StackDnsmasq(IpStack stack, ServedInterface served) {
        this.stack = stack;
        this.served = served;
    }

    /**
     * Starts dnsmasq on the stack's interface named by the settings, which must be up with an IPv4 address
     * (libvirt starts dnsmasq after giving the bridge its address).
     *
     * @throws SocketException when a port dnsmasq needs is taken (dnsmasq would exit: "failed to create
     *                         listening socket ... Address already in use")
     */
    public static Dnsmasq start(IpStack stack, DnsmasqSettings settings, HostFiles host) throws SocketException {
        String name = settings.interfaceName();
        StackInterface iface = stack.iface(name).orElseThrow(() -> new IllegalArgumentException(
                "dnsmasq: unknown interface " + name + " on " + stack.node()));
        var assignment = iface.primaryAddresses().stream().findFirst().orElseThrow(() -> new IllegalArgumentException(
                "dnsmasq: interface " + name + " has no IPv4 address"));
        ServedInterface served = new ServedInterface(name, assignment.address(), assignment.prefixLength());
        StackDnsmasq ports = new StackDnsmasq(stack, served);
        Dnsmasq d = new Dnsmasq(stack.lab(), settings, served, host, ports, ports);
        ports.dnsmasq = d;
        ports.open(settings);
        d.onStop(ports::close);
        d.start();
        return d;
    }

    private void open(DnsmasqSettings settings) throws SocketException {
        if (dnsmasq.dhcp().isPresent()) {
            DhcpServer dhcp = dnsmasq.dhcp().get();
            dhcpSocket = stack.openUdp()
                    .setOptions(SendOptions.defaults(SendOptions.Pmtu.DONT).withTos(DhcpReply.TOS))
                    .bindToDevice(served.name())
                    .setBroadcast(true)
                    .onReceive(d -> dhcp.receive(new DhcpDatagram(d.data(), d.source(), d.sourcePort(), d.destination())));
            dhcpSocket.bind(Ipv4Address.ANY, DhcpReply.SERVER_PORT);
        }
        if (settings.dnsEnabled()) {
            DnsServer dns = dnsmasq.dns();
            dnsSocket = stack.openUdp()
                    .onReceive(d -> dns.receive(new DnsDatagram(d.data(), d.source(), d.sourcePort(), d.destination(), d.destinationPort())));
            dnsSocket.bind(served.address(), settings.port());
        }
    }

    /** dnsmasq exits: every socket it holds is closed. */
    private void close() {
        if (dhcpSocket != null) dhcpSocket.close();
        if (dnsSocket != null) dnsSocket.close();
        for (UdpSocket s : upstream.values()) s.close();
        upstream.clear();
    }

    // ---- DhcpPort ---------------------------------------------------------------------------------------

    @Override
    public void send(DhcpReply reply) {
        DhcpDestination dest = reply.destination();
        SendOptions viaIface = dhcpSocket.options().withDevice(served.name());
        try {
            if (dest instanceof DhcpDestination.Broadcast) {
                dhcpSocket.sendTo(Ipv4Address.BROADCAST, DhcpDestination.CLIENT_PORT, reply.payload(), viaIface);
            } else if (dest instanceof DhcpDestination.ClientHardware hw) {
                stack.neighbours().set(served.name(), hw.address(), hw.mac(), false);
                dhcpSocket.sendTo(hw.address(), DhcpDestination.CLIENT_PORT, reply.payload(), viaIface);
            } else if (dest instanceof DhcpDestination.Unicast u) {
                dhcpSocket.sendTo(u.address(), u.port(), reply.payload());
            }
        } catch (SocketException e) {
            dnsmasq.log().dhcp(DnsmasqLog.Level.WARNING, "Error sending DHCP packet to " + target(dest) + ": " + e.getMessage());
        }
    }

    private static Ipv4Address target(DhcpDestination d) {
        if (d instanceof DhcpDestination.ClientHardware hw) return hw.address();
        if (d instanceof DhcpDestination.Unicast u) return u.address();
        return Ipv4Address.BROADCAST;
    }

    @Override
    public void sendEcho(Ipv4Address source, Ipv4Address target, int identifier) {
        DhcpServer dhcp = dnsmasq.dhcp().orElseThrow();
        PingSocket ping = stack.openPing(identifier)
                .onReply(r -> dhcp.echoReply(r.from(), r.identifier(), r.sequence(), 8 + r.data().length));
        Lab lab = stack.lab();
        lab.scheduler().daemonTimer("dnsmasq/" + served.name() + "/ping-close", ping::close).start(DhcpServer.PING_WAIT_NANOS);
        try {
            ping.send(target, 0, new byte[20]); // struct icmp is 28 bytes: 8 of header, 20 of zeros
        } catch (SocketException e) {
            // icmp_ping ignores send errors: the wait runs out and the address counts as free
        }
    }

    // ---- DnsPort ----------------------------------------------------------------------------------------

    @Override
    public void reply(DnsDatagram answer) {
        try {
            dnsSocket.sendTo(answer.destination(), answer.destinationPort(), answer.payload());
        } catch (SocketException e) {
            dnsmasq.log().dns(DnsmasqLog.Level.ERR, "failed to send packet: " + e.getMessage());
        }
    }

    @Override
    public boolean sendUpstream(int sourcePort, Ipv4Address server, int serverPort, byte[] query) {
        try {
            UdpSocket s = upstream.get(sourcePort);
            if (s == null) {
                DnsServer dns = dnsmasq.dns();
                s = stack.openUdp().onReceive(d -> dns.upstreamReply(sourcePort, d.source(), d.sourcePort(), d.data()));
                s.bind(Ipv4Address.ANY, sourcePort);
                upstream.put(sourcePort, s);
            }
            s.sendTo(server, serverPort, query);
            return true;
        } catch (SocketException e) {
            return false;
        }
    }

    @Override
    public void releaseUpstream(int sourcePort) {
        UdpSocket s = upstream.remove(sourcePort);
        if (s != null) s.close();
    }
}
