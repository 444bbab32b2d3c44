package org.vnetlab.emulator.dnsmasq;

import org.vnetlab.protocols.Ipv4Address;

/**
 * Where queries for a domain go: a {@code server=} or {@code local=} line. An empty domain means every
 * name (a plain {@code server=8.8.8.8}, libvirt's {@code <forwarder addr=>}).
 *
 * @param domain the domain without dots at either end, lower case; "" for all names
 */
public record ServerRule(String domain, Target target) {
    public ServerRule {
        domain = Hostnames.key(domain.startsWith(".") ? domain.substring(1) : domain);
    }

    /** What to do with a matching query. */
    public sealed interface Target {
        /** Forward to this server ({@code server=/d/ADDR[#PORT]}). */
        record Upstream(Ipv4Address address, int port) implements Target {
            public Upstream {
                if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            }
            @Override public String toString() { return address + "#" + port; }
        }

        /** Use the ordinary servers even though a longer rule matched ({@code server=/d/#}). */
        record Standard() implements Target {}

        /** Answer from local data only, NXDOMAIN otherwise ({@code local=/d/}, {@code server=/d/}). */
        record Local() implements Target {}
    }

    public static ServerRule upstream(Ipv4Address address) {
        return new ServerRule("", new Target.Upstream(address, 53));
    }

    public static ServerRule upstream(String domain, Ipv4Address address) {
        return new ServerRule(domain, new Target.Upstream(address, 53));
    }

    public static ServerRule local(String domain) {
        return new ServerRule(domain, new Target.Local());
    }

    /** True when this rule's domain is the name itself or one of its parents (or the rule covers all names). */
    boolean covers(String nameKey) {
        return domain.isEmpty() || nameKey.equals(domain) || nameKey.endsWith("." + domain);
    }
}
