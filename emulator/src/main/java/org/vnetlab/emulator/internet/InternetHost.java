package org.vnetlab.emulator.internet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One public address on the emulated internet and what answers there. Every host answers ping (the
 * kernel does) unless it is {@code down}, in which case nothing answers at all. A DNS resolver listens on
 * UDP 53 with its zone; a web server on its TCP port; every other port is closed, so UDP gets ICMP port
 * unreachable and TCP a RST, as a Linux host answers. On each of {@code handshakePorts} (443 on the web hosts)
 * a TCP connection opens and whatever arrives is ignored: no TLS is emulated, so a probe there learns that
 * the port is reachable and nothing more. {@code hops} is how many routers lie between the
 * internet's edge and the host: each takes one off the TTL of what the host sends back.
 */
public record InternetHost(Ipv4Address address, Optional<Zone> dns, Optional<Integer> webPort, String webBody,
                           boolean down, int hops, List<Integer> handshakePorts) {

    public InternetHost {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(webPort, "webPort");
        Objects.requireNonNull(webBody, "webBody");
        webPort.ifPresent(p -> { if (p < 1 || p > 65535) throw new IllegalArgumentException("port " + p); });
        if (hops < 0 || hops > 63) throw new IllegalArgumentException("hops " + hops + " outside 0..63");
        handshakePorts = List.copyOf(handshakePorts);
        for (int p : handshakePorts) {
            if (p < 1 || p > 65535 || webPort.equals(Optional.of(p))) throw new IllegalArgumentException("handshake port " + p);
        }
    }

    /** A host with no handshake-only ports. */
    public InternetHost(Ipv4Address address, Optional<Zone> dns, Optional<Integer> webPort, String webBody, boolean down, int hops) {
        this(address, dns, webPort, webBody, down, hops, List.of());
    }

    /** A host that answers ping only. */
    public static InternetHost plain(Ipv4Address address) {
        return new InternetHost(address, Optional.empty(), Optional.empty(), HttpResponder.DEFAULT_BODY, false, 0);
    }

    public static InternetHost resolver(Ipv4Address address, Zone zone) {
        return new InternetHost(address, Optional.of(zone), Optional.empty(), HttpResponder.DEFAULT_BODY, false, 0);
    }

    public static InternetHost web(Ipv4Address address, int port, String body) {
        return new InternetHost(address, Optional.empty(), Optional.of(port), body, false, 0);
    }

    public InternetHost withDown(boolean d) { return new InternetHost(address, dns, webPort, webBody, d, hops, handshakePorts); }

    public InternetHost withHops(int h) { return new InternetHost(address, dns, webPort, webBody, down, h, handshakePorts); }

    public InternetHost withWeb(int port, String body) {
        return new InternetHost(address, dns, Optional.of(port), body, down, hops, handshakePorts);
    }

    /** The same host, also accepting TCP connections on {@code port} (and saying nothing there). */
    public InternetHost withHandshakePort(int port) {
        List<Integer> ports = new java.util.ArrayList<>(handshakePorts);
        ports.add(port);
        return new InternetHost(address, dns, webPort, webBody, down, hops, ports);
    }
}
