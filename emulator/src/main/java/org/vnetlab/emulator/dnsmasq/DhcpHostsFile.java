package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * Reads a {@code dhcp-hostsfile} (what libvirt writes from the network's {@code <host>} elements: one
 * {@code mac,ip,name[,leasetime]} line per host). Each comma-separated field is classified the way dnsmasq's
 * option parser does: a MAC address, {@code id:} client id, an IPv4 address, a lease time, else a host name.
 * Tags, IPv6 addresses and wildcard MACs are not supported and are refused with a clear message.
 */
public final class DhcpHostsFile {
    private DhcpHostsFile() {}

    public static List<StaticHost> parse(String fileName, String text) throws InputException {
        List<StaticHost> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            out.add(parseLine(fileName, n + 1, lines[n]));
        }
        return List.copyOf(out);
    }

    /** One dhcp-host value, e.g. "52:54:00:aa:bb:01,192.168.122.10,guest1,300s". */
    public static StaticHost parseLine(String fileName, int lineNumber, String line) throws InputException {
        List<MacAddress> macs = new ArrayList<>();
        Optional<ClientId> clientId = Optional.empty();
        Optional<Ipv4Address> address = Optional.empty();
        Optional<String> hostname = Optional.empty();
        Optional<LeaseTime> lease = Optional.empty();
        int column = 1;
        for (String raw : line.split(",", -1)) {
            String field = raw.strip();
            int col = column + (raw.length() - raw.stripLeading().length());
            column += raw.length() + 1;
            if (field.isEmpty()) throw new InputException(fileName, lineNumber, col, line.strip(), "empty field in dhcp-host");
            if (field.startsWith("id:")) {
                clientId = Optional.of(clientId(fileName, lineNumber, col, field.substring(3)));
            } else if (field.startsWith("set:") || field.startsWith("tag:") || field.startsWith("net:")) {
                throw new InputException(fileName, lineNumber, col, field, "unsupported: dhcp-host tags");
            } else if (field.startsWith("[")) {
                throw new InputException(fileName, lineNumber, col, field, "unsupported: IPv6 dhcp-host addresses");
            } else if (field.equals("ignore")) {
                throw new InputException(fileName, lineNumber, col, field, "unsupported: dhcp-host 'ignore'");
            } else if (looksLikeMac(field)) {
                if (field.contains("*")) throw new InputException(fileName, lineNumber, col, field, "unsupported: wildcard MAC address");
                try {
                    macs.add(MacAddress.parse(field));
                } catch (IllegalArgumentException e) {
                    throw new InputException(fileName, lineNumber, col, field, "bad MAC address");
                }
            } else if (isDottedQuad(field)) {
                try {
                    address = Optional.of(Ipv4Address.parse(field));
                } catch (IllegalArgumentException e) {
                    throw new InputException(fileName, lineNumber, col, field, "bad IPv4 address");
                }
            } else if (LeaseTime.parse(field).isPresent() && (Character.isDigit(field.charAt(0)) || field.equals("infinite"))) {
                lease = LeaseTime.parse(field);
            } else if (Hostnames.isLegal(field)) {
                hostname = Optional.of(field);
            } else {
                throw new InputException(fileName, lineNumber, col, field, "not a MAC address, IPv4 address, lease time or host name");
            }
        }
        try {
            return new StaticHost(macs, clientId, address, hostname, lease);
        } catch (IllegalArgumentException e) {
            throw new InputException(fileName, lineNumber, 1, line.strip(), e.getMessage());
        }
    }

    private static ClientId clientId(String file, int line, int col, String text) throws InputException {
        if (text.equals("*")) throw new InputException(file, line, col, "id:*", "unsupported: id:* (ignore client id)");
        try {
            if (text.matches("([0-9a-fA-F]{2}:)*[0-9a-fA-F]{2}")) return new ClientId(HexFormat.ofDelimiter(":").parseHex(text));
            return new ClientId(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IllegalArgumentException e) {
            throw new InputException(file, line, col, "id:" + text, "bad client id");
        }
    }

    private static boolean looksLikeMac(String f) {
        return f.matches("[0-9a-fA-F*]{1,2}(:[0-9a-fA-F*]{1,2}){5}");
    }

    private static boolean isDottedQuad(String f) {
        return f.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }
}
