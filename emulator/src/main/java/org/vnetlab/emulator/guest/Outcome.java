package org.vnetlab.emulator.guest;

import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;

/** What one probe of a command ended in, for assertions and traces, next to the text a user would see. */
public sealed interface Outcome {

    /** An ICMP echo reply, with the TTL it arrived with and the round trip in virtual nanoseconds. */
    record Reply(Ipv4Address from, int ttl, long rttNanos) implements Outcome { }

    /** Nothing came back in time (a ping, a DNS query, a DHCP exchange, a TCP connect). */
    record Timeout() implements Outcome { }

    /** An ICMP destination unreachable (type 3) for the probe, and who sent it. */
    record Unreachable(int type, int code, Ipv4Address from) implements Outcome { }

    /** An ICMP time exceeded (type 11) in transit. */
    record TtlExceeded(Ipv4Address from) implements Outcome { }

    /** The stack refused to send at all (no address, no route). */
    record SendFailed(String reason) implements Outcome { }

    /** TCP: RST answering the SYN. */
    record Refused(Ipv4Address peer, int port) implements Outcome { }

    /** TCP: RST on an established connection. */
    record Reset(Ipv4Address peer, int port) implements Outcome { }

    /** TCP: the handshake completed (Test-NetConnection, curl before its request). */
    record Connected(Ipv4Address peer, int port) implements Outcome { }

    /** An HTTP response's status line and body. */
    record HttpResponse(int status, String body) implements Outcome { }

    /** A DHCP lease was bound. */
    record Lease(Ipv4Address address, int prefixLength, Optional<Ipv4Address> router, List<Ipv4Address> dns,
                 Ipv4Address server, long leaseSeconds) implements Outcome {
        public Lease {
            dns = List.copyOf(dns);
        }
    }

    /** No DHCP server answered and Windows configured a link-local (APIPA) address. */
    record Autoconfigured(Ipv4Address address) implements Outcome { }

    /** A DHCP lease was given back (DHCPRELEASE sent) or the address removed. */
    record Released(Optional<Ipv4Address> address) implements Outcome { }

    /** A static configuration was applied. */
    record Configured(Ipv4Config config) implements Outcome { }

    /** A name resolved; {@code aliases} are the CNAMEs followed on the way. */
    record Resolved(String name, List<Ipv4Address> addresses, List<String> aliases) implements Outcome {
        public Resolved {
            addresses = List.copyOf(addresses);
            aliases = List.copyOf(aliases);
        }
    }

    /** The server said the name does not exist (NXDOMAIN). */
    record NxDomain(String name) implements Outcome { }

    /** The server answered SERVFAIL (or another error rcode, named). */
    record ServFail(String name, String rcode) implements Outcome { }

    /** The name exists but has no record of the asked type (NOERROR, empty answer). */
    record NoData(String name) implements Outcome { }

    /** A command that only shows state (ipconfig, ip addr). */
    record Shown() implements Outcome { }

    /** The command line was not understood; {@code token} is the offending word. */
    record UsageError(String token, String problem) implements Outcome { }
}
