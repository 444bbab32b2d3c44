package org.vnetlab.emulator.internet;

import java.util.Objects;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * One public address on the emulated internet and what answers there. Every host answers ping (the
 * kernel does) unless it is {@code down}, in which case nothing answers at all. A DNS resolver listens on
 * UDP 53 with its zone; a web server on its TCP port; every other port is closed, so UDP gets ICMP port
 * unreachable and TCP a RST, as a Linux host answers. {@code hops} is how many routers lie between the
 * internet's edge and the host: each takes one off the TTL of what the host sends back.
 */
public record InternetHost(Ipv4Address address, Optional<Zone> dns, Optional<Integer> webPort, String webBody,
                           boolean down, int hops) {

    public InternetHost {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(dns, "dns");
        Objects.requireNonNull(webPort, "webPort");
        Objects.requireNonNull(webBody, "webBody");
        webPort.ifPresent(p -> { if (p < 1 || p > 65535) throw new IllegalArgumentException("port " + p); });
        if (hops < 0 || hops > 63) throw new IllegalArgumentException("hops " + hops + " outside 0..63");
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

    public InternetHost withDown(boolean d) { return new InternetHost(address, dns, webPort, webBody, d, hops); }

    public InternetHost withHops(int h) { return new InternetHost(address, dns, webPort, webBody, down, h); }

    public InternetHost withWeb(int port, String body) {
        return new InternetHost(address, dns, Optional.of(port), body, down, hops);
    }
}
