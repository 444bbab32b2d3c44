package org.vnetlab.emulator.differential;

import static org.vnetlab.protocols.tcp.TcpFlags.ACK;
import static org.vnetlab.protocols.tcp.TcpFlags.FIN;
import static org.vnetlab.protocols.tcp.TcpFlags.PSH;
import static org.vnetlab.protocols.tcp.TcpFlags.RST;
import static org.vnetlab.protocols.tcp.TcpFlags.SYN;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.vnetlab.emulator.differential.Topology.Iface;
import org.vnetlab.emulator.differential.Topology.Route;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.emulator.stack.IcmpRateLimiter;
import org.vnetlab.protocols.Ipv4Address;

/**
 * A Linux machine of the rig other than the emulated host (guest, router, internet, LAN host), answering as
 * the oracle's namespaces do: the kernel's echo replies, TCP resets (tcp_v4_send_reset) and port
 * unreachables for closed ports; the services the harness runs (dnsmasq answering google.com, the web
 * server, UDP echo); forwarding with the TTL check (time exceeded from the address on the route back) and
 * silence when a reply has no route (the internet routes only 192.168.0.0/24 back). No netfilter: the
 * oracle loads rules only into the host.
 */
final class FarEndNode implements Endpoint {
    /** What a listening socket of the rig serves. */
    enum Service { DNS, HTTP, ECHO }

    private record Listener(int protocol, Ipv4Address address, int port) {}

    private record Connection(Ipv4Address local, int localPort, Ipv4Address remote, int remotePort) {}

    /** The web server's side of one connection (the harness's serve_http: read the request, answer, close). */
    private static final class HttpConnection {
        long sndNxt;
        long rcvNxt;
        final StringBuilder request = new StringBuilder();
        boolean answered;
    }

    static final byte[] HTTP_RESPONSE = ("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 24\r\n"
            + "Connection: close\r\n\r\nvnetlab-oracle internet\n").getBytes(StandardCharsets.US_ASCII);

    private final String name;
    private final List<Iface> ifaces;
    private final Set<Ipv4Address> loopback;
    private final List<Route> routes = new ArrayList<>();
    private final boolean forwarding;
    private final Map<Listener, Service> services = new HashMap<>();
    private final Map<Connection, HttpConnection> connections = new HashMap<>();
    private final Rig rig;
    private final IcmpRateLimiter icmpLimits;
    private Consumer<Ip> arrivals = ip -> { };
    private ProbeClient client;
    private int ipId;

    /** How a node hands datagrams to the wires. */
    interface Rig {
        void transmit(Iface out, Ipv4Address nextHop, ByteBuf datagram);

        /** A datagram the node could not deliver or route (for the run's log). */
        void lost(String node, String why, Ip ip);

        /** The rig's clock (ns). */
        long now();
    }

    FarEndNode(String name, List<Iface> ifaces, Set<Ipv4Address> loopback, boolean forwarding, Rig rig) {
        this.name = name;
        this.ifaces = List.copyOf(ifaces);
        this.loopback = new LinkedHashSet<>(loopback);
        this.forwarding = forwarding;
        this.rig = rig;
        this.ipId = name.hashCode() & 0x7fff;
        this.icmpLimits = new IcmpRateLimiter(new SeededRandom(name.hashCode()));
    }

    FarEndNode route(String cidr, String via, Iface dev) {
        routes.add(Topology.route(cidr, via, dev));
        return this;
    }

    FarEndNode serve(int protocol, Ipv4Address address, int port, Service service) {
        services.put(new Listener(protocol, address, port), service);
        return this;
    }

    /** Called with every datagram that arrives (the internet's arrival log). */
    void onArrival(Consumer<Ip> listener) { this.arrivals = listener; }

    @Override
    public String name() { return name; }

    @Override
    public int nextIpId() { return ipId = (ipId + 1) & 0xffff; }

    @Override
    public void attach(ProbeClient c) { this.client = c; }

    private boolean isLocal(Ipv4Address a) {
        if (loopback.contains(a) || a.isLoopback()) return true;
        for (Iface i : ifaces) if (i.address().equals(a)) return true;
        return false;
    }

    /** Longest prefix first; connected routes of the interfaces are implicit. */
    private Optional<Route> lookup(Ipv4Address dst) {
        Route best = null;
        for (Iface i : ifaces) {
            if (i.onLink(dst) && (best == null || i.prefix() > best.length())) best = new Route(i.address(), i.prefix(), Optional.empty(), i);
        }
        for (Route r : routes) {
            if (r.covers(dst) && (best == null || r.length() > best.length())) best = r;
        }
        return Optional.ofNullable(best);
    }

    @Override
    public Ipv4Address sourceFor(Ipv4Address destination) {
        if (isLocal(destination)) return destination;
        return lookup(destination).map(r -> r.dev().address())
                .orElseThrow(() -> new IllegalStateException(name + " has no route to " + destination));
    }

    @Override
    public void send(ByteBuf datagram) {
        Ip ip = Ip.of(datagram);
        if (isLocal(ip.destination())) {
            deliver(ip);
            return;
        }
        Optional<Route> r = lookup(ip.destination());
        if (r.isEmpty()) {
            rig.lost(name, "no route (sendmsg: ENETUNREACH)", ip);
            return;
        }
        rig.transmit(r.get().dev(), r.get().via().orElse(ip.destination()), datagram);
    }

    /** A datagram arriving on {@code in}. */
    void receive(ByteBuf datagram, Iface in) {
        Ip ip = Ip.of(datagram);
        arrivals.accept(ip);
        if (isLocal(ip.destination())) {
            deliver(ip);
        } else if (forwarding) {
            forward(ip);
        } else {
            rig.lost(name, "not for me and not forwarding", ip);
        }
    }

    private void forward(Ip ip) {
        if (ip.ttl() <= 1) {
            // icmp_send from a forwarding path: the source is the address of the route back to the sender
            errorAbout(ip, 11, 0, sourceFor(ip.source()));
            return;
        }
        Optional<Route> r = lookup(ip.destination());
        if (r.isEmpty()) {
            if (icmpLimits.allowRouteError(ip.source(), rig.now())) errorAbout(ip, 3, 0, sourceFor(ip.source()));
            return;
        }
        rig.transmit(r.get().dev(), r.get().via().orElse(ip.destination()), Datagrams.forwarded(ip.bytes()));
    }

    private void errorAbout(Ip ip, int type, int code, Ipv4Address from) {
        if (ip.isIcmpError()) return;
        if (!icmpLimits.allowError(type, code, ip.source(), false, true, isLocal(ip.source()), rig.now())) {
            rig.lost(name, "ICMP " + type + "/" + code + " rate limited", ip);
            return;
        }
        send(Datagrams.icmpError(from, type, code, ip.bytes(), nextIpId()));
    }

    private void deliver(Ip ip) {
        if (client != null && client.receive(ip)) return;
        switch (ip.protocol()) {
            case Ip.ICMP -> {
                if (ip.icmpType() == 8) {
                    // icmp_reply: the echo's data back, TTL 64, no DF (the kernel's ICMP socket does no PMTU discovery)
                    byte[] data = ip.payload();
                    send(Datagrams.echo(false, ip.destination(), ip.source(), 64, nextIpId(), false, ip.icmpId(),
                            ip.icmpSequence(), data));
                }
            }
            case Ip.UDP -> udp(ip);
            case Ip.TCP -> tcp(ip);
            default -> errorAbout(ip, 3, 2, ip.destination());
        }
    }

    private Optional<Service> service(int protocol, Ipv4Address address, int port) {
        Service s = services.get(new Listener(protocol, address, port));
        if (s == null) s = services.get(new Listener(protocol, Ipv4Address.ANY, port));
        return Optional.ofNullable(s);
    }

    private void udp(Ip ip) {
        Optional<Service> s = service(Ip.UDP, ip.destination(), ip.destinationPort());
        if (s.isEmpty()) {
            errorAbout(ip, 3, 3, ip.destination());
            return;
        }
        byte[] reply = s.get() == Service.DNS ? Dns.answer(ip.payload(), Topology.ip("142.250.1.1")) : ip.payload();
        send(Datagrams.udp(ip.destination(), ip.destinationPort(), ip.source(), ip.sourcePort(), 64, nextIpId(),
                s.get() == Service.DNS, reply));
    }

    private void tcp(Ip ip) {
        Connection key = new Connection(ip.destination(), ip.destinationPort(), ip.source(), ip.sourcePort());
        HttpConnection c = connections.get(key);
        if (c == null) {
            if (ip.has(SYN) && !ip.has(ACK) && service(Ip.TCP, ip.destination(), ip.destinationPort()).isPresent()) {
                c = new HttpConnection();
                c.sndNxt = 3_000_000_000L + ip.sourcePort();
                c.rcvNxt = ip.sequence() + 1;
                connections.put(key, c);
                sendTcp(key, c.sndNxt, c.rcvNxt, SYN | ACK, 65160, Datagrams.SYN_OPTIONS, new byte[0]);
                c.sndNxt++;
            } else if (!ip.has(RST)) {
                send(Datagrams.reset(ip));
            }
            return;
        }
        if (ip.has(RST)) {
            connections.remove(key);
            return;
        }
        byte[] data = ip.payload();
        if (data.length > 0 && ip.sequence() == c.rcvNxt) {
            c.request.append(new String(data, StandardCharsets.ISO_8859_1));
            c.rcvNxt += data.length;
            if (!c.answered && c.request.indexOf("\r\n\r\n") >= 0) {
                c.answered = true;
                sendTcp(key, c.sndNxt, c.rcvNxt, PSH | ACK, 509, Datagrams.timestamps(2, 2), HTTP_RESPONSE);
                c.sndNxt += HTTP_RESPONSE.length;
                sendTcp(key, c.sndNxt, c.rcvNxt, FIN | ACK, 509, Datagrams.timestamps(2, 2), new byte[0]);
                c.sndNxt++;
            }
        }
        if (ip.has(FIN)) {
            c.rcvNxt++;
            sendTcp(key, c.sndNxt, c.rcvNxt, ACK, 509, Datagrams.timestamps(3, 3), new byte[0]);
            connections.remove(key);
        }
    }

    private void sendTcp(Connection k, long seq, long ack, int flags, int window,
                         List<org.vnetlab.protocols.tcp.TcpOption> options, byte[] payload) {
        send(Datagrams.tcp(k.local(), k.localPort(), k.remote(), k.remotePort(), 64, nextIpId(), seq, ack, flags, window,
                options, payload));
    }
}
