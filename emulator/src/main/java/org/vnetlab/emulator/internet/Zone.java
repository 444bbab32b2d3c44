package org.vnetlab.emulator.internet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;

/**
 * What the emulated public resolvers know: an immutable table of {@link ZoneEntry}s. Names not in the table
 * are NXDOMAIN; a name with entries of other types only is NOERROR without answers; CNAMEs are followed
 * within the table (up to 8 links, as resolvers cap chains).
 */
public final class Zone {
    /** The TTL every answer carries. */
    public static final long TTL = 300;

    private final Map<String, List<ZoneEntry>> entries;

    private Zone(Map<String, List<ZoneEntry>> entries) {
        this.entries = entries;
    }

    /** Lower case, trailing dot removed: how names are compared. */
    static String canonical(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("empty DNS name");
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
    }

    public static Zone of(List<? extends ZoneEntry> list) {
        Map<String, List<ZoneEntry>> m = new LinkedHashMap<>();
        for (ZoneEntry e : list) m.computeIfAbsent(e.name(), k -> new ArrayList<>()).add(e);
        Map<String, List<ZoneEntry>> frozen = new LinkedHashMap<>();
        m.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new Zone(frozen);
    }

    /**
     * The default zone: google.com A 142.250.72.14 (the example of the issue vnetlab grew from), and the
     * resolvers' own reverse names (8.8.8.8 → dns.google, 1.1.1.1 → one.one.one.one) that nslookup asks for.
     */
    public static Zone defaults() {
        return of(List.of(
                new ZoneEntry.A("google.com", Ipv4Address.parse("142.250.72.14")),
                new ZoneEntry.Cname("www.google.com", "google.com"),
                new ZoneEntry.Ptr("8.8.8.8.in-addr.arpa", "dns.google"),
                new ZoneEntry.Ptr("1.1.1.1.in-addr.arpa", "one.one.one.one")));
    }

    /** The reference rig's zone (shared/ref/captures): google.com A 142.250.1.1, its web server. */
    public static Zone reference() {
        return of(List.of(new ZoneEntry.A("google.com", Ipv4Address.parse("142.250.1.1"))));
    }

    public List<ZoneEntry> entries() {
        List<ZoneEntry> all = new ArrayList<>();
        entries.values().forEach(all::addAll);
        return List.copyOf(all);
    }

    /** This zone with {@code more} added after its own entries. */
    public Zone with(List<? extends ZoneEntry> more) {
        List<ZoneEntry> all = new ArrayList<>(entries());
        all.addAll(more);
        return of(all);
    }

    /** A resolver's answer: the rcode and the answer records, CNAMEs first. */
    public record Answer(DnsRcode rcode, List<DnsRecord> records) {
        public Answer {
            records = List.copyOf(records);
        }
    }

    public Answer lookup(String qname, DnsType type) {
        String name = canonical(qname);
        List<DnsRecord> out = new ArrayList<>();
        for (int depth = 0; depth < 8; depth++) {
            List<ZoneEntry> here = entries.get(name);
            if (here == null) {
                return new Answer(out.isEmpty() ? DnsRcode.NXDOMAIN : DnsRcode.NOERROR, out);
            }
            for (ZoneEntry e : here) {
                if (e instanceof ZoneEntry.NxDomain) return new Answer(DnsRcode.NXDOMAIN, List.of());
                if (e instanceof ZoneEntry.ServFail) return new Answer(DnsRcode.SERVFAIL, List.of());
            }
            ZoneEntry.Cname cname = null;
            for (ZoneEntry e : here) if (e instanceof ZoneEntry.Cname c) cname = c;
            if (cname != null && !type.equals(DnsType.CNAME)) {
                out.add(DnsRecord.of(name + ".", DnsType.CNAME, TTL, cname.target() + "."));
                name = cname.target();
                continue;
            }
            for (ZoneEntry e : here) {
                if (e instanceof ZoneEntry.A a && type.equals(DnsType.A)) {
                    out.add(DnsRecord.a(name + ".", TTL, a.address()));
                } else if (e instanceof ZoneEntry.Aaaa a && type.equals(DnsType.AAAA)) {
                    out.add(DnsRecord.of(name + ".", DnsType.AAAA, TTL, a.address()));
                } else if (e instanceof ZoneEntry.Ptr p && type.equals(DnsType.PTR)) {
                    out.add(DnsRecord.of(name + ".", DnsType.PTR, TTL, p.target() + "."));
                } else if (e instanceof ZoneEntry.Cname c && type.equals(DnsType.CNAME)) {
                    out.add(DnsRecord.of(name + ".", DnsType.CNAME, TTL, c.target() + "."));
                }
            }
            return new Answer(DnsRcode.NOERROR, out);
        }
        return new Answer(DnsRcode.SERVFAIL, List.of()); // a CNAME loop
    }
}
