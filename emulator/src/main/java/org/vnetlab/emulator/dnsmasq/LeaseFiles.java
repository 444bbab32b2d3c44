package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The two on-disk views of the lease database. Lease expiry is kept in lab seconds; {@code epochAtStart}
 * (wall-clock seconds when the lab's clock read zero) turns it into the Unix times the files hold.
 */
public final class LeaseFiles {
    private LeaseFiles() {}

    /**
     * dnsmasq's own lease file (lease_update_file): one line per lease, newest first,
     * "EXPIRY MAC IP NAME CLIENTID" with "*" for a missing name or client id and 0 for an infinite lease.
     * (libvirt runs dnsmasq with --leasefile-ro, so a libvirt host has no such file; it is here for
     * plain dnsmasq setups and for inspection.)
     */
    public static String dnsmasqLeases(List<Lease> leases, long epochAtStart) {
        StringBuilder sb = new StringBuilder();
        for (Lease l : leases) {
            sb.append(l.isInfinite() ? 0 : epochAtStart + l.expires()).append(' ')
                    .append(l.mac()).append(' ').append(l.address()).append(' ')
                    .append(l.hostname().orElse("*")).append(' ')
                    .append(l.clientId().map(ClientId::hex).orElse("*")).append('\n');
        }
        return sb.toString();
    }

    /**
     * libvirt's {@code /var/lib/libvirt/dnsmasq/<bridge>.status}, as its leaseshelper keeps it from dnsmasq's
     * add/old/del events: a JSON array, pretty-printed by yajl with two-space indents, one object per lease
     * in the order of their last event, keys "ip-address", "mac-address", "hostname", "client-id",
     * "expiry-time" (missing ones left out; an infinite lease has no expiry time).
     */
    public static String libvirtStatus(List<Lease> leases, long epochAtStart) {
        List<Lease> ordered = new ArrayList<>(leases);
        ordered.sort(Comparator.comparingLong(Lease::changed));
        if (ordered.isEmpty()) return "[\n\n]\n";
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < ordered.size(); i++) {
            Lease l = ordered.get(i);
            List<String> fields = new ArrayList<>();
            fields.add(pair("ip-address", quote(l.address().toString())));
            fields.add(pair("mac-address", quote(l.mac().toString())));
            l.hostname().ifPresent(h -> fields.add(pair("hostname", quote(h))));
            l.clientId().ifPresent(c -> fields.add(pair("client-id", quote(c.hex()))));
            if (!l.isInfinite()) fields.add(pair("expiry-time", Long.toString(epochAtStart + l.expires())));
            sb.append("  {\n").append(String.join(",\n", fields)).append("\n  }");
            sb.append(i + 1 < ordered.size() ? ",\n" : "\n");
        }
        return sb.append("]\n").toString();
    }

    private static String pair(String key, String value) {
        return "    " + quote(key) + ": " + value;
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
