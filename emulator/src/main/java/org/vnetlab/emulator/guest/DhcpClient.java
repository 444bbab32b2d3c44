package org.vnetlab.emulator.guest;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
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
 * One DHCP client exchange at a time (RFC 2131 client states INIT → SELECTING → REQUESTING → BOUND, and
 * RENEWING for a unicast renew), sending broadcasts and receiving whole frames through the guest's packet
 * socket, and sending unicasts to the server through the guest's UDP stack, as the real clients do.
 * Retransmission timing and the broadcast flag follow the {@link DhcpFlavor}; random draws (xid, jitter)
 * come from the guest's own seeded stream. Besides, the client holds a kernel UDP socket on port 68 when and
 * while the real one does ({@link DhcpFlavor.ClientPort}); what reaches it is read and dropped, as the
 * exchange itself is followed through the packet socket.
 */
final class DhcpClient {
    static final int CLIENT_PORT = 68;
    static final int SERVER_PORT = 67;

    /** What happens during an exchange, for the command printing it. */
    interface Listener {
        default void discoverSent(int attempt, long nextWaitNanos) { }
        default void offered(Ipv4Address address, Ipv4Address server) { }
        default void requestSent(Ipv4Address address, Ipv4Address server) { }
        default void nak(Ipv4Address server) { }
        void bound(DhcpLease lease);
        void failed();
    }

    private enum State { IDLE, SELECTING, REQUESTING, RENEWING }

    private final GuestNet net;
    private final DhcpFlavor flavor;
    private final String hostname;
    private final SeededRandom random;
    private final IpIdentifiers ipIds;
    private final String label;
    private final Timer timer;
    private State state = State.IDLE;
    private Listener listener;
    private int xid;
    private long started;
    private int attempt;
    private boolean broadcastFlag;
    private Optional<Ipv4Address> previous = Optional.empty();
    private Ipv4Address offered;
    private Ipv4Address offerServer;
    private DhcpLease renewing;
    private long iscInterval;
    private Optional<UdpSocket> clientPort = Optional.empty();

    DhcpClient(GuestNet net, DhcpFlavor flavor, String hostname, SeededRandom random, IpIdentifiers ipIds, String label) {
        this.net = net;
        this.flavor = flavor;
        this.hostname = hostname;
        this.random = random;
        this.ipIds = ipIds;
        this.label = label;
        this.timer = net.lab().scheduler().timer(label + ": dhcp retransmit", this::retransmit);
        if (flavor.clientPort() == DhcpFlavor.ClientPort.SERVICE) holdClientPort();
    }

    /** The client's process starts (dhclient run by hand or at boot): a daemon client binds port 68 now. */
    void daemonStarted() {
        if (flavor.clientPort() == DhcpFlavor.ClientPort.DAEMON) holdClientPort();
    }

    /** The client's process ends (dhclient -r, -x, or -1 giving up): its socket on port 68 goes with it. */
    void daemonStopped() {
        cancel();
        if (flavor.clientPort() == DhcpFlavor.ClientPort.DAEMON) dropClientPort();
    }

    /** Whether a kernel UDP socket is bound to port 68 now. */
    boolean holdsClientPort() { return clientPort.isPresent(); }

    private void holdClientPort() {
        if (clientPort.isEmpty()) clientPort = Optional.of(openPort68(Ipv4Address.ANY).orElseThrow());
    }

    /** A socket on port 68 as these clients open theirs (SO_REUSEADDR); what it reads is dropped. */
    private Optional<UdpSocket> openPort68(Ipv4Address address) {
        return net.openSharedUdp(address, CLIENT_PORT, (from, fromPort, payload) -> { });
    }

    private void dropClientPort() {
        clientPort.ifPresent(UdpSocket::close);
        clientPort = Optional.empty();
    }

    boolean busy() { return state != State.IDLE; }

    /** The address to ask for again (option 50), as clients remember their last lease. */
    void rememberAddress(Optional<Ipv4Address> address) { previous = address; }

    /** INIT: DISCOVER, then REQUEST the first offer. */
    void acquire(Listener l) {
        start(l);
        state = State.SELECTING;
        attempt = 0;
        iscInterval = 0;
        sendDiscover();
    }

    /** RENEWING: a unicast REQUEST to the server that gave {@code lease}, ciaddr set, no 50/54 (RFC 2131 4.3.2). */
    void renew(DhcpLease lease, Listener l) {
        start(l);
        state = State.RENEWING;
        renewing = lease;
        attempt = 0;
        // udhcpc opens its listening UDP socket before it sends the renew (LISTEN_KERNEL)
        if (flavor.clientPort() == DhcpFlavor.ClientPort.RENEWING) holdClientPort();
        sendRenew();
    }

    /**
     * Sends DHCPRELEASE for {@code lease} (unicast to its server, through the guest's UDP stack); no answer is
     * expected. The datagram is in the kernel when this returns: out on the wire, or waiting in the neighbour
     * entry of the server while ARP resolves it (the caller removes the address only afterwards, as the
     * clients' scripts do).
     */
    void release(DhcpLease lease) {
        DhcpMessage m = flavor.message(DhcpMessageType.RELEASE, new DhcpFlavor.Params(random.nextInt(Integer.MAX_VALUE), 0,
                false, net.mac(), hostname, lease.address(), Optional.empty(), Optional.of(lease.server())));
        sendUnicast(m, lease.address(), lease.server());
    }

    void cancel() {
        timer.cancel();
        net.tapUdp(CLIENT_PORT, null);
        // udhcpc leaves RENEWING for BOUND (LISTEN_NONE) or REBINDING (LISTEN_RAW): the UDP socket closes
        if (flavor.clientPort() == DhcpFlavor.ClientPort.RENEWING) dropClientPort();
        state = State.IDLE;
    }

    private void start(Listener l) {
        cancel();
        listener = l;
        xid = random.nextInt(Integer.MAX_VALUE) ^ (random.nextInt(2) << 31);
        started = net.lab().now();
        net.tapUdp(CLIENT_PORT, this::receive);
    }

    private int secs() {
        return (int) Math.min(0xffff, (net.lab().now() - started) / SimTime.NANOS_PER_SECOND);
    }

    private void sendDiscover() {
        attempt++;
        DhcpMessage m = flavor.message(DhcpMessageType.DISCOVER, new DhcpFlavor.Params(xid, secs(), broadcastFlag,
                net.mac(), hostname, Ipv4Address.ANY, previous, Optional.empty()));
        broadcast(m);
        long wait = waitAfter(attempt);
        listener.discoverSent(attempt, wait);
        timer.start(wait);
    }

    private void sendRequest() {
        attempt++;
        DhcpMessage m = flavor.message(DhcpMessageType.REQUEST, new DhcpFlavor.Params(xid, secs(), broadcastFlag,
                net.mac(), hostname, Ipv4Address.ANY, Optional.of(offered), Optional.of(offerServer)));
        broadcast(m);
        listener.requestSent(offered, offerServer);
        timer.start(waitAfter(attempt));
    }

    private void sendRenew() {
        attempt++;
        DhcpMessage m = flavor.message(DhcpMessageType.REQUEST, new DhcpFlavor.Params(xid, secs(), false,
                net.mac(), hostname, renewing.address(), Optional.empty(), Optional.empty()));
        sendUnicast(m, renewing.address(), renewing.server());
        listener.requestSent(renewing.address(), renewing.server());
        timer.start(waitAfter(attempt));
    }

    /** How long to wait after send number {@code n} before retrying, or, after the last one, before giving up. */
    private long waitAfter(int n) {
        return switch (flavor) {
            // RFC 2131 4.1: 4 s, 8 s, 16 s ... randomized by ±1 s; Windows sends the first try plus three
            // retries (KB 190552) and gives up after about a minute (DHCP team blog on Windows 7).
            case WINDOWS_10 -> SimTime.seconds(2L << Math.min(n, 4)) + jitterMillis(1000);
            // udhcpc defaults -t 3 -T 3: three sends, 3 s apart.
            case UDHCPC -> SimTime.seconds(3);
            // ISC dhclient: first interval 3 s ("initial-interval"), then interval += random(0, 2*interval),
            // capped by backoff-cutoff; the exchange times out after 60 s ("timeout").
            case ISC_DHCLIENT -> {
                iscInterval = iscInterval == 0 ? 3 : Math.min(15, iscInterval + random.nextInt((int) (2 * iscInterval) + 1));
                yield SimTime.seconds(iscInterval);
            }
        };
    }

    private boolean lastAttempt() {
        return switch (flavor) {
            case WINDOWS_10 -> attempt >= 4;
            case UDHCPC -> attempt >= 3;
            case ISC_DHCLIENT -> net.lab().now() - started >= SimTime.seconds(60) - SimTime.seconds(iscInterval);
        };
    }

    private long jitterMillis(int spread) {
        return SimTime.millis(random.nextInt(2 * spread + 1) - spread);
    }

    private void retransmit() {
        if (lastAttempt()) {
            State was = state;
            cancel();
            // Windows 7+ toggles the broadcast flag for the next acquisition when one went unanswered.
            if (flavor == DhcpFlavor.WINDOWS_10 && was == State.SELECTING) broadcastFlag = !broadcastFlag;
            listener.failed();
            return;
        }
        switch (state) {
            case SELECTING -> sendDiscover();
            case REQUESTING -> sendRequest();
            case RENEWING -> sendRenew();
            case IDLE -> { }
        }
    }

    private void receive(ByteBuf frame) {
        DhcpMessage m;
        MacAddress from;
        try {
            EthernetFrame eth = EthernetFrame.checked(frame);
            if (!eth.etherType().equals(EtherType.IPV4)) return;
            Ipv4Packet ip = Ipv4Packet.checked(eth.payload());
            if (!ip.protocol().equals(IpProtocol.UDP) || ip.isFragment()) return;
            UdpDatagram udp = UdpDatagram.checked(ip.payload());
            if (udp.sourcePort() != SERVER_PORT || udp.destinationPort() != CLIENT_PORT) return;
            m = DhcpMessage.parse(udp.payload());
            from = eth.source();
        } catch (ParseException e) {
            return; // a client's packet socket filter drops what it cannot read
        }
        if (m.op() != DhcpMessage.BOOTREPLY || m.xid() != xid || !m.clientMac().map(net.mac()::equals).orElse(false)) return;
        DhcpMessageType type = m.messageType().orElse(null);
        if (type == null) return;
        Optional<Ipv4Address> server = m.option(DhcpOption.ServerIdentifier.class).map(DhcpOption.ServerIdentifier::address);
        if (state == State.SELECTING && type.equals(DhcpMessageType.OFFER) && server.isPresent()) {
            offered = m.yiaddr();
            offerServer = server.get();
            listener.offered(offered, offerServer);
            state = State.REQUESTING;
            attempt = 0;
            sendRequest();
        } else if ((state == State.REQUESTING || state == State.RENEWING) && type.equals(DhcpMessageType.ACK)) {
            DhcpLease lease = leaseOf(m, server.orElse(state == State.RENEWING ? renewing.server() : offerServer), from);
            Listener l = listener;
            cancel();
            previous = Optional.of(lease.address());
            l.bound(lease);
        } else if ((state == State.REQUESTING || state == State.RENEWING) && type.equals(DhcpMessageType.NAK)) {
            Listener l = listener;
            l.nak(server.orElse(Ipv4Address.ANY));
            previous = Optional.empty();
            // back to INIT; udhcpc sleeps 3 s first "to avoid excessive network traffic", and so do we for all
            timer.cancel();
            state = State.SELECTING;
            net.lab().scheduler().schedule(SimTime.seconds(3), label + ": dhcp restart after NAK", () -> {
                if (state == State.SELECTING && listener == l) acquire(l);
            });
        }
    }

    private DhcpLease leaseOf(DhcpMessage ack, Ipv4Address server, MacAddress serverMac) {
        int prefix = ack.option(DhcpOption.SubnetMask.class).map(o -> Ipv4Config.prefixOf(o.mask()))
                .orElseGet(() -> classfulPrefix(ack.yiaddr()));
        Optional<Ipv4Address> router = ack.option(DhcpOption.Router.class)
                .flatMap(r -> r.routers().isEmpty() ? Optional.empty() : Optional.of(r.routers().get(0)));
        var dns = ack.option(DhcpOption.DomainNameServer.class).map(DhcpOption.DomainNameServer::servers)
                .orElse(java.util.List.of());
        Optional<String> domain = ack.option(DhcpOption.DomainName.class).map(DhcpOption.DomainName::name);
        long seconds = ack.option(DhcpOption.LeaseTime.class).map(DhcpOption.LeaseTime::seconds).orElse(3600L);
        return new DhcpLease(ack.yiaddr(), prefix, router, dns, domain, server, serverMac, seconds, net.lab().now());
    }

    /** Without option 1 clients fall back on the address class (RFC 2132 says the server should send it). */
    private static int classfulPrefix(Ipv4Address a) {
        int first = a.bits() >>> 24;
        return first < 128 ? 8 : first < 192 ? 16 : 24;
    }

    /** A broadcast from 0.0.0.0 leaves through the packet socket, in the IP header the client writes itself. */
    private void broadcast(DhcpMessage m) {
        byte[] payload = m.toBytes();
        int udpLength = UdpDatagram.HEADER_LENGTH + payload.length;
        Ipv4Header ip = flavor.ipHeader(Ipv4Address.ANY, Ipv4Address.BROADCAST, udpLength, ipIds.next());
        ByteBuf frame = Frames.ethernetIpv4(new EthernetHeader(MacAddress.BROADCAST, net.mac(), EtherType.IPV4), ip,
                new UdpHeader(CLIENT_PORT, SERVER_PORT, payload.length), payload);
        net.transmitFrame(frame);
    }

    /**
     * A unicast to the server (RENEWING's REQUEST, RELEASE) goes through a kernel UDP socket, so the guest's
     * stack writes the IP header (its TTL, TOS 0, DF and IP ID as its sockets do) and resolves the server's
     * MAC by ARP first when it is not cached. Which socket:
     * <ul>
     * <li>ISC dhclient: its fallback socket (0.0.0.0:68; send_request and send_release call send_packet on
     * the fallback interface for a non-broadcast destination, and send_fallback is a plain sendto). A
     * {@code dhclient -r} process holds its own while it runs, the daemon's having gone with the daemon.</li>
     * <li>busybox udhcpc: udhcp_send_kernel_packet, a throwaway socket with SO_REUSEADDR bound to
     * ciaddr:68 and connected to the server's port 67 (so its IP ID comes from the socket's own counter).</li>
     * <li>Windows: the DHCP service's socket on port 68; all its traffic goes through the TCP/IP stack.</li>
     * </ul>
     */
    private void sendUnicast(DhcpMessage m, Ipv4Address ciaddr, Ipv4Address server) {
        byte[] payload = m.toBytes();
        switch (flavor.clientPort()) {
            case SERVICE, DAEMON -> {
                if (clientPort.isPresent()) {
                    clientPort.get().send(server, SERVER_PORT, payload);
                } else {
                    openPort68(Ipv4Address.ANY).ifPresent(s -> {
                        s.send(server, SERVER_PORT, payload);
                        s.close();
                    });
                }
            }
            case RENEWING -> openPort68(ciaddr).ifPresent(s -> {
                s.connect(server, SERVER_PORT);
                s.send(server, SERVER_PORT, payload);
                s.close();
            });
        }
    }

}
