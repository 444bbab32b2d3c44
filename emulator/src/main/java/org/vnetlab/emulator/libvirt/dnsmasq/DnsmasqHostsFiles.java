package org.vnetlab.emulator.libvirt.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.LeaseTime;
import org.vnetlab.protocols.MacAddress;

/**
 * The two side files libvirt keeps next to dnsmasq.conf: the {@code dhcp-hostsfile} of static leases and the
 * {@code addn-hosts} file of extra DNS names, read back for the emulated dnsmasq.
 */
public final class DnsmasqHostsFiles {
    private DnsmasqHostsFiles() {}

    /** One static DHCP host: matched by MAC (IPv4), DUID or name; fixed address, optional name and lease time. */
    public record DhcpHostEntry(Optional<MacAddress> mac, Optional<String> id, Optional<String> name, IpAddress ip,
            Optional<LeaseTime> lease) {}

    /** One hosts-file line: an address and its names. */
    public record HostEntry(IpAddress ip, List<String> names) {
        public HostEntry {
            names = List.copyOf(names);
        }
    }

    /**
     * Reads dhcp-host lines as libvirt writes them ({@code mac,ip,name[,lease]}, {@code name,ip},
     * {@code id:DUID,name,[ipv6]}); like dnsmasq, each field is recognised by its form, not its position.
     */
    public static List<DhcpHostEntry> parseDhcpHosts(String file, String text) throws InputException {
        List<DhcpHostEntry> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            Optional<MacAddress> mac = Optional.empty();
            Optional<String> id = Optional.empty();
            Optional<String> name = Optional.empty();
            IpAddress ip = null;
            Optional<LeaseTime> lease = Optional.empty();
            for (String field : line.split(",", -1)) {
                if (field.matches("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}")) {
                    mac = Optional.of(MacAddress.parse(field));
                } else if (field.startsWith("id:")) {
                    id = Optional.of(field.substring(3));
                } else if (field.startsWith("[") && field.endsWith("]")) {
                    ip = address(file, i + 1, field.substring(1, field.length() - 1));
                } else if (field.matches("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+")) {
                    ip = address(file, i + 1, field);
                } else if (DnsmasqConfParser.parseLeaseTime(field).isPresent()) {
                    lease = DnsmasqConfParser.parseLeaseTime(field);
                } else if (!field.isEmpty() && name.isEmpty()) {
                    name = Optional.of(field);
                } else {
                    throw new InputException(file, i + 1, 1, field, "unexpected field in dhcp-host line");
                }
            }
            if (ip == null) throw new InputException(file, i + 1, 1, line, "dhcp-host line without an address");
            out.add(new DhcpHostEntry(mac, id, name, ip, lease));
        }
        return out;
    }

    /** Reads a hosts file: an address, then its names, separated by blanks; {@code #} starts a comment. */
    public static List<HostEntry> parseAddnHosts(String file, String text) throws InputException {
        List<HostEntry> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            String[] fields = line.strip().split("[ \t]+");
            if (fields.length == 0 || fields[0].isEmpty()) continue;
            IpAddress ip = address(file, i + 1, fields[0]);
            if (fields.length < 2) throw new InputException(file, i + 1, 1, fields[0], "hosts line without a name");
            out.add(new HostEntry(ip, List.of(fields).subList(1, fields.length)));
        }
        return out;
    }

    private static IpAddress address(String file, int line, String s) throws InputException {
        try {
            return IpAddress.parse(s);
        } catch (IllegalArgumentException e) {
            throw new InputException(file, line, 1, s, "not an IP address");
        }
    }
}
