package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.checksum.InternetChecksum;
import org.vnetlab.protocols.ipv4.Ipv4Packet;
import org.vnetlab.protocols.tcp.TcpFlags;
import org.vnetlab.protocols.tcp.TcpHeader;
import org.vnetlab.protocols.tcp.TcpSegment;

/**
 * TCP's tables and demultiplexing for one stack: connections by 4-tuple, listeners by port, resets for
 * segments nobody owns (tcp_v4_send_reset: to a segment with ACK, RST with seq = its ack; otherwise RST|ACK
 * with seq 0 and ack = seq + SYN + FIN + data; never in answer to a RST; from the control socket, so DF with
 * IP ID 0 and the default TTL, window 0, no options).
 */
final class Tcp {
    record Key(Ipv4Address localAddress, int localPort, Ipv4Address remoteAddress, int remotePort) { }

    private final IpStack stack;
    private final Map<Key, TcpConnection> connections = new LinkedHashMap<>();
    private final List<TcpListener> listeners = new ArrayList<>();

    Tcp(IpStack stack) { this.stack = stack; }

    IpStack stack() { return stack; }

    TcpListener listen(Ipv4Address address, int port, TcpListener.Acceptor acceptor) throws SocketException {
        if (port < 1 || port > 65535) throw new SocketException(Errno.EINVAL, "listen port " + port);
        if (!address.isAny() && !stack.isLocalAddress(address)) throw new SocketException(Errno.EADDRNOTAVAIL, "bind " + address);
        for (TcpListener l : listeners) {
            if (l.port() == port && (l.address().isAny() || address.isAny() || l.address().equals(address))) {
                throw new SocketException(Errno.EADDRINUSE, "bind port " + port);
            }
        }
        TcpListener l = new TcpListener(this, address, port, acceptor);
        listeners.add(l);
        return l;
    }

    void closeListener(TcpListener l) { listeners.remove(l); }

    TcpConnection connect(Optional<Ipv4Address> source, int localPort, Ipv4Address destination, int port,
                          TcpConnection.Handler handler) throws SocketException {
        RouteResult r = stack.route(destination, Optional.empty(), true);
        if (r instanceof RouteResult.Failure f) {
            stack.count(Mib.IP_OUT_NO_ROUTES);
            throw new SocketException(f.errno(), "connect " + destination + ":" + port);
        }
        RouteResult.Path p = (RouteResult.Path) r;
        Ipv4Address src = source.or(() -> stack.selectSource(p)).orElseThrow(
                () -> new SocketException(Errno.EADDRNOTAVAIL, "connect " + destination + ": no source address"));
        int lport = localPort != 0 ? localPort : ephemeralPort(src, destination, port);
        Key key = new Key(src, lport, destination, port);
        if (connections.containsKey(key)) throw new SocketException(Errno.EADDRINUSE, "connect from port " + lport);
        TcpConnection c = TcpConnection.active(this, key, p.mtu(), handler);
        connections.put(key, c);
        stack.count(Mib.TCP_ACTIVE_OPENS);
        c.start();
        return c;
    }

    /**
     * __inet_hash_connect: a random start in ip_local_port_range, stepping by 2 so connect() keeps to even
     * ports (Linux 6.x leaves odd ones to bind(0)), the first port free for this destination.
     */
    private int ephemeralPort(Ipv4Address src, Ipv4Address dst, int dport) throws SocketException {
        StackSettings st = stack.settings();
        int low = st.localPortLow();
        int high = st.localPortHigh();
        int span = high - low + 1;
        int offset = stack.random().nextInt(span);
        for (int i = 0; i < span; i += 2) {
            int p = low + ((offset + i) % span);
            if ((p & 1) != 0 && p + 1 <= high) p++;
            if (!inUse(src, p, dst, dport)) return p;
        }
        for (int p = low; p <= high; p++) if (!inUse(src, p, dst, dport)) return p;
        throw new SocketException(Errno.EADDRNOTAVAIL, "no free ephemeral TCP port");
    }

    private boolean inUse(Ipv4Address src, int port, Ipv4Address dst, int dport) {
        if (connections.containsKey(new Key(src, port, dst, dport))) return true;
        for (TcpListener l : listeners) if (l.port() == port) return true;
        return false;
    }

    void remove(TcpConnection c) { connections.remove(c.key(), c); }

    List<TcpConnection> connections() { return List.copyOf(connections.values()); }

    /**
     * tcp_v4_rcv: InSegs counts every segment, bad or not; a header cut short is dropped uncounted, a data
     * offset below 5 words is InErrs, a bad checksum InCsumErrors + InErrs.
     */
    void receive(FilterPacket fp, Ipv4Packet ip, IpStack.Arrival arrival) {
        stack.count(Mib.TCP_IN_SEGS);
        ByteBuf b = ip.payload();
        if (b.readableBytes() < 20) {
            stack.filter().finished(fp, PacketFate.DISCARDED, "TCP header truncated");
            return;
        }
        int doff = (b.getUnsignedByte(b.readerIndex() + 12) >>> 4) * 4;
        if (doff < 20) {
            stack.count(Mib.TCP_IN_ERRS);
            stack.filter().finished(fp, PacketFate.DISCARDED, "TCP data offset " + doff + " below 20");
            return;
        }
        if (doff > b.readableBytes()) {
            stack.filter().finished(fp, PacketFate.DISCARDED, "TCP options truncated");
            return;
        }
        long sum = InternetChecksum.partialSum(b, b.readerIndex(), b.readableBytes(),
                InternetChecksum.pseudoHeaderSum(ip.source().bits(), ip.destination().bits(), IpStack.PROTO_TCP, b.readableBytes()));
        if (InternetChecksum.fold(sum) != 0xffff) {
            stack.count(Mib.TCP_IN_CSUM_ERRORS);
            stack.count(Mib.TCP_IN_ERRS);
            stack.filter().finished(fp, PacketFate.DISCARDED, "TCP checksum error");
            return;
        }
        TcpSegment seg;
        try {
            seg = TcpSegment.checked(b);
        } catch (ParseException e) {
            // tcp_parse_options skips what it cannot read; vnetlab's decoder refuses it, so the segment goes
            stack.filter().finished(fp, PacketFate.DISCARDED, "TCP options: " + e.getMessage());
            return;
        }
        Key key = new Key(ip.destination(), seg.destinationPort(), ip.source(), seg.sourcePort());
        TcpConnection c = connections.get(key);
        if (c != null) {
            c.segment(ip, seg);
            stack.filter().finished(fp, PacketFate.DELIVERED, "TCP " + c.state());
            return;
        }
        TcpListener l = listenerFor(ip.destination(), seg.destinationPort());
        if (l != null && seg.has(TcpFlags.SYN) && !seg.has(TcpFlags.ACK) && !seg.has(TcpFlags.RST)) {
            RouteResult r = stack.route(ip.source(), Optional.empty(), true);
            int mtu = r instanceof RouteResult.Path p ? p.mtu() : 1500;
            TcpConnection child = TcpConnection.passive(this, key, mtu, l, ip, seg);
            connections.put(key, child);
            stack.count(Mib.TCP_PASSIVE_OPENS);
            child.start();
            stack.filter().finished(fp, PacketFate.DELIVERED, "TCP SYN to listener " + l);
            return;
        }
        if (!seg.has(TcpFlags.RST)) sendReset(ip, seg);
        stack.filter().finished(fp, PacketFate.DISCARDED, "no TCP socket for port " + seg.destinationPort());
    }

    private TcpListener listenerFor(Ipv4Address dst, int port) {
        TcpListener wildcard = null;
        for (TcpListener l : listeners) {
            if (l.port() != port) continue;
            if (l.address().equals(dst)) return l;
            if (l.address().isAny()) wildcard = l;
        }
        return wildcard;
    }

    void sendReset(Ipv4Packet ip, TcpSegment seg) {
        long seq;
        long ack;
        int flags;
        if (seg.has(TcpFlags.ACK)) {
            seq = seg.acknowledgment();
            ack = 0;
            flags = TcpFlags.RST;
        } else {
            int len = seg.length() - seg.headerLength();
            seq = 0;
            ack = (seg.sequence() + len + (seg.has(TcpFlags.SYN) ? 1 : 0) + (seg.has(TcpFlags.FIN) ? 1 : 0)) & 0xffff_ffffL;
            flags = TcpFlags.RST | TcpFlags.ACK;
        }
        TcpHeader h = new TcpHeader(seg.destinationPort(), seg.sourcePort(), seq, ack, flags, 0, 0, List.of());
        SendOptions o = SendOptions.defaults(SendOptions.Pmtu.DO).withTos(ip.tos() & ~3);
        Optional<Errno> err = stack.send(new IpStack.Outgoing(IpStack.PROTO_TCP, Optional.of(ip.destination()), ip.source(), o,
                false, null, true, TcpConnection.payload(h, new byte[0])));
        if (err.isEmpty()) {
            stack.count(Mib.TCP_OUT_RSTS);
            stack.count(Mib.TCP_OUT_SEGS);
        }
    }

    /** tcp_v4_err: the connection that sent the quoted segment. */
    void icmpError(Ipv4Packet quoted, SocketError.Icmp icmp) {
        ByteBuf l4 = quoted.payload();
        int sport = l4.getUnsignedShort(l4.readerIndex());
        int dport = l4.getUnsignedShort(l4.readerIndex() + 2);
        TcpConnection c = connections.get(new Key(quoted.source(), sport, quoted.destination(), dport));
        if (c != null) c.icmpError(icmp);
    }
}
