package org.vnetlab.emulator.stack;

import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/** A routing decision, what {@code ip route get} answers: a path, or the error the lookup ends in. */
public sealed interface RouteResult {

    enum Kind { LOCAL, BROADCAST, MULTICAST, UNICAST }

    /**
     * Where a packet goes: delivered locally, broadcast or multicast on an interface, or sent to
     * {@code nextHop} (the gateway, or the destination itself when on-link) out of {@code dev}.
     */
    record Path(Kind kind, StackInterface dev, Ipv4Address nextHop, boolean viaGateway, Optional<Ipv4Address> prefsrc,
                int scope, int mtu) implements RouteResult {
        @Override
        public String toString() {
            return kind.name().toLowerCase() + (viaGateway ? " via " + nextHop : "") + " dev " + dev.name()
                    + prefsrc.map(s -> " src " + s).orElse("") + " mtu " + mtu;
        }
    }

    /**
     * No usable route: ENETUNREACH (no route, ICMP net unreachable), EHOSTUNREACH (unreachable route,
     * host unreachable), EACCES (prohibit, ICMP code 13), EINVAL (blackhole: nothing is sent back).
     */
    record Failure(Errno errno, String why) implements RouteResult {
        /** The ICMP destination-unreachable code ip_error sends for this error, or -1 for none. */
        public int icmpCode() {
            return switch (errno) {
                case ENETUNREACH -> 0;
                case EHOSTUNREACH -> 1;
                case EACCES -> 13;
                default -> -1;
            };
        }
    }
}
