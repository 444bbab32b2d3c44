package org.vnetlab.emulator.dnsmasq;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code virsh net-dhcp-leases NETWORK}: the rows libvirt builds from its status file (expired leases left
 * out, sorted by MAC address), printed the way virsh's vshTable prints them: each cell after one space,
 * columns padded to the widest cell plus two spaces, a rule of dashes under the header.
 */
public final class DhcpLeasesTable {
    private static final List<String> HEADER =
            List.of("Expiry Time", "MAC address", "Protocol", "IP address", "Hostname", "Client ID or DUID");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private DhcpLeasesTable() {}

    /** One row of {@code virNetworkGetDHCPLeases}. */
    public record Row(long expiryEpochSeconds, String mac, String protocol, String cidr, String hostname, String clientId) {}

    /**
     * The leases libvirt reports at {@code nowSeconds} (lab seconds): those whose expiry has not passed, with
     * the network's prefix length; an infinite lease has expiry time 0, which libvirt shows as the epoch.
     */
    public static List<Row> rows(List<Lease> leases, int prefixLength, long epochAtStart, long nowSeconds) {
        List<Row> rows = new ArrayList<>();
        for (Lease l : leases) {
            if (!l.isInfinite() && l.expires() < nowSeconds) continue;
            rows.add(new Row(l.isInfinite() ? 0 : epochAtStart + l.expires(), l.mac().toString(), "ipv4",
                    l.address() + "/" + prefixLength, l.hostname().orElse("-"), l.clientId().map(ClientId::hex).orElse("-")));
        }
        rows.sort(Comparator.comparing(r -> r.mac().toLowerCase(Locale.ROOT)));
        return rows;
    }

    /** The table as virsh prints it, times in {@code zone} (virsh uses the local time zone). */
    public static String format(List<Row> rows, ZoneId zone) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADER);
        for (Row r : rows) {
            cells.add(List.of(TIME.format(Instant.ofEpochSecond(r.expiryEpochSeconds()).atZone(zone)), r.mac(),
                    r.protocol(), r.cidr(), r.hostname(), r.clientId()));
        }
        int[] width = new int[HEADER.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) width[i] = Math.max(width[i], row.get(i).length());
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, cells.get(0), width);
        for (int w : width) sb.append("-".repeat(w + 3));
        sb.append('\n');
        for (int i = 1; i < cells.size(); i++) appendRow(sb, cells.get(i), width);
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> row, int[] width) {
        for (int i = 0; i < row.size(); i++) {
            sb.append(' ').append(row.get(i));
            if (i < row.size() - 1) sb.append(" ".repeat(width[i] - row.get(i).length() + 2));
        }
        sb.append('\n');
    }
}
