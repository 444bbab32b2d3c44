package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Reads hosts-file text: libvirt's {@code addn-hosts} file (from {@code <dns><host ip=><hostname>}) or the
 * host's /etc/hosts, which dnsmasq also reads because libvirt does not pass {@code no-hosts}.
 * "ADDRESS NAME [NAME...]" per line, '#' starts a comment. IPv6 lines are refused (not supported).
 */
public final class HostsFile {
    private HostsFile() {}

    public static List<HostRecord> parse(String fileName, String text) throws InputException {
        List<HostRecord> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            String[] tokens = line.strip().split("[ \t]+");
            if (tokens.length == 0 || tokens[0].isEmpty()) continue;
            int col = lines[n].indexOf(tokens[0]) + 1;
            if (tokens[0].contains(":")) {
                throw new InputException(fileName, n + 1, col, tokens[0], "unsupported: IPv6 address in a hosts file");
            }
            Ipv4Address address;
            try {
                address = Ipv4Address.parse(tokens[0]);
            } catch (IllegalArgumentException e) {
                throw new InputException(fileName, n + 1, col, tokens[0], "bad address in hosts file");
            }
            if (tokens.length < 2) throw new InputException(fileName, n + 1, col, tokens[0], "address without a name");
            List<String> names = new ArrayList<>();
            for (int i = 1; i < tokens.length; i++) {
                if (!Hostnames.isLegal(tokens[i])) {
                    throw new InputException(fileName, n + 1, lines[n].indexOf(tokens[i]) + 1, tokens[i], "bad name in hosts file");
                }
                names.add(tokens[i]);
            }
            out.add(new HostRecord(address, names));
        }
        return List.copyOf(out);
    }
}
