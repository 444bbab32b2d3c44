package org.vnetlab.scenarios.expect;

import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/**
 * What a command established about the network, beyond its text: the fate of the packets it sent, the
 * lease it got, the answer to its name lookup. The emulator reports these from the packets themselves, so
 * expectations never scrape the tool's formatted output.
 */
public sealed interface Observation {

    /** How a probe (ping, TCP connect, UDP query) ended, as the sending program saw it. */
    enum ProbeOutcome {
        /** An answer came back: echo reply, SYN-ACK, UDP reply. */
        REPLY,
        /** Nothing came back before the tool gave up. */
        TIMEOUT,
        /** An ICMP destination-unreachable came back (any code). */
        UNREACHABLE,
        /** A TCP RST came back. */
        RESET,
        /** An ICMP time-exceeded came back. */
        TTL_EXCEEDED,
        /** The sender's own stack had no route, so nothing was sent. */
        NO_ROUTE
    }

    /** An ICMP error the probe received: type, code and the address that sent it. */
    record Icmp(int type, int code, Ipv4Address from) {
        public static final int DEST_UNREACHABLE = 3;
        public static final int TIME_EXCEEDED = 11;

        /** The code's name, as used in expectations ({@code port}, {@code host}, {@code admin-prohibited}). */
        public String codeName() {
            if (type == TIME_EXCEEDED) return code == 0 ? "ttl" : "reassembly";
            if (type != DEST_UNREACHABLE) return "type " + type + " code " + code;
            return IcmpCodes.name(code);
        }
    }

    /** One probe's end: the outcome, the ICMP error when there was one, and who answered. */
    record Probe(ProbeOutcome outcome, Optional<Icmp> icmp, Optional<Ipv4Address> from) implements Observation {
        public static Probe reply(Ipv4Address from) { return new Probe(ProbeOutcome.REPLY, Optional.empty(), Optional.of(from)); }
        public static Probe timeout() { return new Probe(ProbeOutcome.TIMEOUT, Optional.empty(), Optional.empty()); }
        public static Probe reset(Ipv4Address from) { return new Probe(ProbeOutcome.RESET, Optional.empty(), Optional.of(from)); }
        public static Probe noRoute() { return new Probe(ProbeOutcome.NO_ROUTE, Optional.empty(), Optional.empty()); }

        public static Probe icmp(Icmp icmp) {
            ProbeOutcome o = icmp.type() == Icmp.TIME_EXCEEDED ? ProbeOutcome.TTL_EXCEEDED : ProbeOutcome.UNREACHABLE;
            return new Probe(o, Optional.of(icmp), Optional.of(icmp.from()));
        }
    }

    /** A DHCP lease the client now holds. */
    record Lease(Ipv4Address address, int prefixLength, Optional<Ipv4Address> gateway, List<Ipv4Address> dns,
                 Optional<Ipv4Address> server) implements Observation {
        public Lease {
            dns = List.copyOf(dns);
        }
    }

    /** The client asked for a lease and got none. */
    record NoLease(String reason) implements Observation {}

    /** How a name lookup ended. */
    enum DnsOutcome { ANSWER, NXDOMAIN, SERVFAIL, REFUSED, TIMEOUT }

    /** A name lookup: the outcome, the IPv4 addresses answered, and the server that was asked. */
    record Resolution(DnsOutcome outcome, String name, List<Ipv4Address> addresses, Optional<Ipv4Address> server)
            implements Observation {
        public Resolution {
            addresses = List.copyOf(addresses);
        }
    }
}
