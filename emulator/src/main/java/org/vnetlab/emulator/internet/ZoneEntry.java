package org.vnetlab.emulator.internet;

import java.util.Objects;
import org.vnetlab.protocols.Ipv4Address;

/** One line of an emulated resolver's zone table: what a name resolves to, or how the lookup fails. */
public sealed interface ZoneEntry {

    String name();

    record A(String name, Ipv4Address address) implements ZoneEntry {
        public A { Objects.requireNonNull(address, "address"); name = Zone.canonical(name); }
    }

    /** An IPv6 address, kept as text (vnetlab carries no IPv6 traffic; resolvers still answer AAAA). */
    record Aaaa(String name, String address) implements ZoneEntry {
        public Aaaa {
            name = Zone.canonical(name);
            if (!address.contains(":")) throw new IllegalArgumentException("not an IPv6 address: " + address);
        }
    }

    record Cname(String name, String target) implements ZoneEntry {
        public Cname { name = Zone.canonical(name); target = Zone.canonical(target); }
    }

    /** A reverse name (x.x.x.x.in-addr.arpa) and its host name. */
    record Ptr(String name, String target) implements ZoneEntry {
        public Ptr { name = Zone.canonical(name); target = Zone.canonical(target); }
    }

    /** The resolver answers NXDOMAIN for this name even though upstream data might exist. */
    record NxDomain(String name) implements ZoneEntry {
        public NxDomain { name = Zone.canonical(name); }
    }

    /** The resolver answers SERVFAIL for this name (e.g. a broken DNSSEC chain upstream). */
    record ServFail(String name) implements ZoneEntry {
        public ServFail { name = Zone.canonical(name); }
    }
}
