package org.vnetlab.emulator.internet;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.sim.Element;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.stack.FilterPacket;
import org.vnetlab.emulator.stack.FilterVerdict;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.emulator.stack.OsProfile;
import org.vnetlab.emulator.stack.PacketFilter;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.emulator.stack.TcpConnection;
import org.vnetlab.emulator.stack.TcpListener;
import org.vnetlab.emulator.stack.UdpSocket;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.ipv4.Ipv4Packet;

/**
 * The emulated internet: one Linux stack (node {@code internet}) on one link ({@code wan0}, 203.0.113.1/30
 * by default, towards the router at 203.0.113.2) that owns every public host address as a /32, as the
 * reference rig did. By default it holds the resolvers 8.8.8.8 and 1.1.1.1 (answering from
 * {@link Zone#defaults()}) and a web server at 142.250.72.14:80, whose port 443 accepts TCP connections
 * (no TLS is emulated: the handshake is all there is).
 *
 * <p>Traffic to an address no host holds, or to a host that is down, is dropped without a word (the
 * far internet is silent). What a host sends leaves with TTL 64 less its {@link InternetHost#hops}; the
 * router and the host each take one more off (the reference: 64 → 62 at the guest).
 */
public final class Internet implements Element {
    public static final Ipv4Address DEFAULT_ADDRESS = Ipv4Address.parse("203.0.113.1");
    public static final Ipv4Address DEFAULT_ROUTER = Ipv4Address.parse("203.0.113.2");
    public static final MacAddress DEFAULT_MAC = MacAddress.parse("00:11:32:00:01:01");

    private final Lab lab;
    private final IpStack stack;
    private final LinkDevice wan;
    private final Map<Ipv4Address, InternetHost> hosts = new LinkedHashMap<>();
    private final Map<Ipv4Address, List<Object>> sockets = new LinkedHashMap<>();

    /** An internet with the default hosts, its edge at 203.0.113.1/30 and the router at 203.0.113.2. */
    public static Internet withDefaults(Lab lab) {
        Internet i = new Internet(lab, DEFAULT_MAC, DEFAULT_ADDRESS, 30, DEFAULT_ROUTER);
        Zone zone = Zone.defaults();
        i.add(InternetHost.resolver(Ipv4Address.parse("8.8.8.8"), zone));
        i.add(InternetHost.resolver(Ipv4Address.parse("1.1.1.1"), zone));
        i.add(InternetHost.web(Ipv4Address.parse("142.250.72.14"), 80, HttpResponder.DEFAULT_BODY).withHandshakePort(443));
        return i;
    }

    /**
     * The reference rig's internet (shared/ref/captures): 8.8.8.8 and 1.1.1.1 answering google.com A
     * 142.250.1.1 ({@link Zone#reference()}), and the web server at 142.250.1.1:80 (443: TCP handshake only, no TLS).
     */
    public static Internet reference(Lab lab) {
        Internet i = new Internet(lab, DEFAULT_MAC, DEFAULT_ADDRESS, 30, DEFAULT_ROUTER);
        Zone zone = Zone.reference();
        i.add(InternetHost.resolver(Ipv4Address.parse("8.8.8.8"), zone));
        i.add(InternetHost.resolver(Ipv4Address.parse("1.1.1.1"), zone));
        i.add(InternetHost.web(Ipv4Address.parse("142.250.1.1"), 80, HttpResponder.DEFAULT_BODY).withHandshakePort(443));
        return i;
    }

    public Internet(Lab lab, MacAddress mac, Ipv4Address edge, int prefixLength, Ipv4Address router) {
        this.lab = lab;
        this.stack = new IpStack(lab, "internet", OsProfile.LINUX);
        this.wan = new LinkDevice(lab, "internet", "wan0", mac);
        stack.attach(wan);
        stack.addAddress("wan0", Ipv4Assignment.of(edge, prefixLength));
        stack.addDefaultRoute(router, "wan0", 0);
        stack.setPacketFilter(new HostFilter());
        wan.setUp(true);
        lab.add(this);
    }

    @Override
    public String path() { return "internet/hosts"; }

    public IpStack stack() { return stack; }

    /**
     * Wires the internet's edge to the router's WAN with a one-way latency (the "small configurable latency"
     * every packet to and from the internet pays; a round trip pays it twice).
     */
    public org.vnetlab.emulator.link.Link connect(LinkDevice routerWan, long oneWayLatencyNanos) {
        return org.vnetlab.emulator.link.Link.connect(lab, "wan", routerWan, wan,
                org.vnetlab.emulator.link.LinkProperties.IDEAL.withLatency(oneWayLatencyNanos));
    }

    /** The edge device, to wire to the router's wan. */
    public LinkDevice device() { return wan; }

    public List<InternetHost> hosts() { return List.copyOf(hosts.values()); }

    public Optional<InternetHost> host(Ipv4Address address) { return Optional.ofNullable(hosts.get(address)); }

    /** Adds a host, or replaces the one at the same address (its services restart). */
    public void add(InternetHost host) {
        remove(host.address());
        hosts.put(host.address(), host);
        stack.addAddress("wan0", Ipv4Assignment.of(host.address(), 32));
        List<Object> open = new ArrayList<>();
        host.dns().ifPresent(zone -> open.add(dns(host.address(), new DnsResponder(zone))));
        host.webPort().ifPresent(port -> open.add(web(host.address(), port, new HttpResponder(host.webBody()))));
        for (int port : host.handshakePorts()) open.add(handshakeOnly(host.address(), port));
        sockets.put(host.address(), open);
    }

    public void remove(Ipv4Address address) {
        if (hosts.remove(address) == null) return;
        for (Object s : sockets.remove(address)) {
            if (s instanceof UdpSocket u) u.close();
            if (s instanceof TcpListener l) l.close();
        }
        stack.removeAddress("wan0", address);
    }

    /** Takes a host down (nothing answers) or brings it back. */
    public void setDown(Ipv4Address address, boolean down) {
        InternetHost h = hosts.get(address);
        if (h == null) throw new IllegalArgumentException("no internet host at " + address);
        hosts.put(address, h.withDown(down));
    }

    /** Replaces the zone of every resolver. */
    public void setZone(Zone zone) {
        for (InternetHost h : List.copyOf(hosts.values())) {
            if (h.dns().isPresent()) add(new InternetHost(h.address(), Optional.of(zone), h.webPort(), h.webBody(), h.down(), h.hops(), h.handshakePorts()));
        }
    }

    private UdpSocket dns(Ipv4Address address, DnsResponder responder) {
        UdpSocket s = stack.openUdp();
        try {
            s.bind(address, 53);
        } catch (SocketException e) {
            throw new IllegalStateException("bind " + address + ":53 on the internet: " + e.getMessage(), e);
        }
        s.onReceive(d -> responder.answer(d.data()).ifPresent(reply -> {
            try {
                s.sendTo(d.source(), d.sourcePort(), reply);
            } catch (SocketException e) {
                // no route back: the answer is lost, as a real resolver's would be
            }
        }));
        return s;
    }

    private TcpListener web(Ipv4Address address, int port, HttpResponder responder) {
        try {
            return stack.listen(address, port, connection -> new TcpConnection.Handler() {
                private final ByteArrayOutputStream request = new ByteArrayOutputStream();
                private boolean answered;

                @Override public void received(TcpConnection c, byte[] data) {
                    if (answered) return;
                    request.writeBytes(data);
                    responder.respond(request.toByteArray()).ifPresent(response -> {
                        answered = true;
                        try {
                            c.write(response);
                        } catch (SocketException e) {
                            return;
                        }
                        c.close();
                    });
                }

                @Override public void peerClosed(TcpConnection c) { c.close(); }
            });
        } catch (SocketException e) {
            throw new IllegalStateException("listen " + address + ":" + port + " on the internet: " + e.getMessage(), e);
        }
    }

    /** A port that completes the TCP handshake and then says nothing (where TLS would start: not emulated). */
    private TcpListener handshakeOnly(Ipv4Address address, int port) {
        try {
            return stack.listen(address, port, connection -> new TcpConnection.Handler() {
                @Override public void received(TcpConnection c, byte[] data) { }

                @Override public void peerClosed(TcpConnection c) { c.close(); }
            });
        } catch (SocketException e) {
            throw new IllegalStateException("listen " + address + ":" + port + " on the internet: " + e.getMessage(), e);
        }
    }

    /** Drops what nobody should answer and ages what hosts send by their distance. */
    private final class HostFilter implements PacketFilter {
        @Override
        public FilterVerdict hook(Hook hook, FilterPacket packet) {
            Ipv4Packet ip;
            try {
                ip = Ipv4Packet.checked(packet.datagram());
            } catch (ParseException e) {
                return FilterVerdict.ACCEPT;
            }
            if (hook == Hook.PREROUTING) {
                Ipv4Address dst = ip.destination();
                if (stack.isLocalAddress(dst) && !hosts.containsKey(dst)) return FilterVerdict.ACCEPT; // the edge itself
                InternetHost h = hosts.get(dst);
                if (h == null) return new FilterVerdict.Drop("internet: no host at " + dst);
                if (h.down()) return new FilterVerdict.Drop("internet: " + dst + " is down");
            } else if (hook == Hook.POSTROUTING) {
                InternetHost h = hosts.get(ip.source());
                if (h != null && h.hops() > 0) {
                    int ttl = Math.max(1, ip.ttl() - h.hops());
                    ip.setTtlWithChecksumUpdate(ttl);
                }
            }
            return FilterVerdict.ACCEPT;
        }
    }
}
