package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.udp.UdpHeader;

/**
 * A UDP socket, event-driven: {@link #onReceive} is called for each datagram in the event that delivers it,
 * {@link #onError} for asynchronous errors. As in Linux (__udp4_lib_err): an unconnected socket hears no
 * ICMP errors unless IP_RECVERR is on ({@link #setRecvErr}); a connected one hears hard errors only (port
 * unreachable is "connection refused"; host unreachable is not reported without IP_RECVERR).
 */
public final class UdpSocket {
    /** One received datagram with what recvmsg and IP_PKTINFO tell. */
    public record Datagram(Ipv4Address source, int sourcePort, Ipv4Address destination, int destinationPort,
                           String device, int ttl, int tos, byte[] data) {
        public Datagram {
            data = data.clone();
        }

        @Override
        public byte[] data() { return data.clone(); }
    }

    private final IpStack stack;
    private Ipv4Address localAddress = Ipv4Address.ANY;
    private int localPort;
    private Optional<String> boundDevice = Optional.empty();
    private Optional<Ipv4Address> remoteAddress = Optional.empty();
    private int remotePort;
    private boolean broadcast;
    private boolean recvErr;
    private boolean reuseAddress;
    private boolean closed;
    private SendOptions options;
    private int[] idCounter;
    private Consumer<Datagram> receiver = d -> { };
    private Consumer<SocketError> errors = e -> { };

    UdpSocket(IpStack stack) {
        this.stack = stack;
        this.options = SendOptions.defaults(stack.os().udpDontFragment() ? SendOptions.Pmtu.WANT : SendOptions.Pmtu.DONT);
    }

    /** bind(); port 0 picks an ephemeral port. Binding to an address the host does not have fails with EADDRNOTAVAIL. */
    public UdpSocket bind(Ipv4Address address, int port) throws SocketException {
        checkOpen();
        if (localPort != 0) throw new SocketException(Errno.EINVAL, "socket already bound to port " + localPort);
        if (!address.isAny() && !address.isBroadcast() && !stack.isLocalAddress(address)) {
            throw new SocketException(Errno.EADDRNOTAVAIL, "bind " + address);
        }
        localAddress = address;
        localPort = stack.sockets().bindUdp(this, port);
        return this;
    }

    /** SO_BINDTODEVICE: receive only from, and send only out of, {@code dev}. */
    public UdpSocket bindToDevice(String dev) {
        boundDevice = Optional.of(dev);
        options = options.withDevice(dev);
        return this;
    }

    /** SO_BROADCAST: needed to send to a broadcast address (EACCES otherwise). */
    public UdpSocket setBroadcast(boolean on) {
        broadcast = on;
        return this;
    }

    /**
     * SO_REUSEADDR, before bind: two UDP sockets may share a port when both set it (udp_lib_lport_inuse), as
     * DHCP clients' sockets on port 68 do.
     */
    public UdpSocket setReuseAddress(boolean on) {
        reuseAddress = on;
        return this;
    }

    boolean reuseAddress() { return reuseAddress; }

    /** IP_RECVERR: every ICMP error reaches {@link #onError}, connected or not. */
    public UdpSocket setRecvErr(boolean on) {
        recvErr = on;
        return this;
    }

    /** IP_TOS, IP_TTL, IP_MTU_DISCOVER, IP_PKTINFO source for later sends. */
    public UdpSocket setOptions(SendOptions o) {
        options = Objects.requireNonNull(o, "options");
        return this;
    }

    public SendOptions options() { return options; }

    public UdpSocket onReceive(Consumer<Datagram> r) {
        receiver = Objects.requireNonNull(r);
        return this;
    }

    public UdpSocket onError(Consumer<SocketError> e) {
        errors = Objects.requireNonNull(e);
        return this;
    }

    /** connect(): fixes the peer, picks a source port if unbound; the IP ID now counts per socket. */
    public UdpSocket connect(Ipv4Address address, int port) throws SocketException {
        checkOpen();
        RouteResult r = stack.route(address, boundDevice.flatMap(stack::iface), true);
        if (r instanceof RouteResult.Failure f) throw new SocketException(f.errno(), "connect " + address);
        if (localPort == 0) bind(Ipv4Address.ANY, 0);
        if (localAddress.isAny()) {
            RouteResult.Path p = (RouteResult.Path) r;
            localAddress = options.source().or(() -> stack.selectSource(p)).orElse(Ipv4Address.ANY);
        }
        remoteAddress = Optional.of(address);
        remotePort = port;
        idCounter = new int[] {stack.random().nextInt(65536)};
        return this;
    }

    public void send(byte[] data) throws SocketException {
        if (remoteAddress.isEmpty()) throw new SocketException(Errno.ENOTCONN, "send");
        sendTo(remoteAddress.get(), remotePort, data, options);
    }

    public void sendTo(Ipv4Address address, int port, byte[] data) throws SocketException {
        sendTo(address, port, data, options);
    }

    /** sendto() with per-call options (IP_PKTINFO source and interface, TOS, TTL). */
    public void sendTo(Ipv4Address address, int port, byte[] data, SendOptions o) throws SocketException {
        checkOpen();
        if (localPort == 0) bind(Ipv4Address.ANY, 0);
        Optional<Ipv4Address> src = o.source().or(() -> localAddress.isAny() || localAddress.isBroadcast()
                ? Optional.empty() : Optional.of(localAddress));
        byte[] copy = data.clone();
        int sport = localPort;
        IpStack.Payload payload = new IpStack.Payload() {
            @Override
            public int length() { return 8 + copy.length; }

            @Override
            public void write(ByteBuf buf, int offset, Ipv4Address s, Ipv4Address d) {
                buf.setBytes(offset + 8, copy);
                new UdpHeader(sport, port, copy.length).emit(buf, offset, s, d);
            }
        };
        boolean connectedPeer = remoteAddress.isPresent() && remoteAddress.get().equals(address) && remotePort == port;
        Optional<Errno> err = stack.send(new IpStack.Outgoing(IpStack.PROTO_UDP, src, address, o, broadcast,
                connectedPeer ? idCounter : null, false, payload));
        if (err.isPresent()) throw new SocketException(err.get(), "sendto " + address + ":" + port);
        stack.count(Mib.UDP_OUT_DATAGRAMS);
    }

    public void close() {
        if (closed) return;
        closed = true;
        stack.sockets().closeUdp(this);
    }

    public Ipv4Address localAddress() { return localAddress; }

    public int localPort() { return localPort; }

    public Optional<String> boundDevice() { return boundDevice; }

    public Optional<Ipv4Address> remoteAddress() { return remoteAddress; }

    public int remotePort() { return remotePort; }

    public boolean isConnected() { return remoteAddress.isPresent(); }

    boolean recvErr() { return recvErr; }

    void deliver(Datagram d) {
        stack.count(Mib.UDP_IN_DATAGRAMS);
        receiver.accept(d);
    }

    void error(SocketError e) { errors.accept(e); }

    private void checkOpen() throws SocketException {
        if (closed) throw new SocketException(Errno.EINVAL, "socket closed");
    }

    @Override
    public String toString() {
        return "UdpSocket[" + localAddress + ":" + localPort + remoteAddress.map(r -> " -> " + r + ":" + remotePort).orElse("")
                + boundDevice.map(d -> " dev " + d).orElse("") + "]";
    }
}
