package org.vnetlab.emulator.libvirt.driver;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;

/**
 * {@code /etc/libvirt/network.conf}: libvirt's conf syntax ({@code key = "value"}, {@code #} comments), of which
 * only {@code firewall_backend} matters to the network driver (libvirt 10.4+). Unset, libvirt takes the first
 * backend of its build's priority list whose program exists (nftables, then iptables, on stock builds).
 */
public final class NetworkConf {
    private NetworkConf() {}

    /** The {@code firewall_backend} the file sets (the last setting wins), or empty when it sets none. */
    public static Optional<FirewallBackend> firewallBackend(String text, String file) throws InputException {
        Optional<FirewallBackend> out = Optional.empty();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            if (eq < 0) throw new InputException(file, i + 1, 1, line, "expected 'key = value' (libvirt's conf syntax)");
            String key = line.substring(0, eq).strip();
            if (!key.equals("firewall_backend")) continue;
            String value = line.substring(eq + 1).strip();
            int hash = value.indexOf('#');
            if (hash >= 0 && !value.startsWith("\"")) value = value.substring(0, hash).strip();
            if (!(value.length() >= 2 && value.startsWith("\"") && value.indexOf('"', 1) > 0)) {
                throw new InputException(file, i + 1, lines.get(i).indexOf('=') + 2, value, "firewall_backend must be a quoted string",
                        "firewall_backend = \"nftables\" or \"iptables\"");
            }
            String v = value.substring(1, value.indexOf('"', 1));
            int column = lines.get(i).indexOf(value, lines.get(i).indexOf('=')) + 2; // 1-based, inside the quotes
            switch (v.toLowerCase(Locale.ROOT)) {
                case "nftables" -> out = Optional.of(FirewallBackend.NFTABLES);
                case "iptables" -> out = Optional.of(FirewallBackend.IPTABLES);
                default -> throw new InputException(file, i + 1, column, v,
                        "unrecognized firewall_backend = '" + v + "' set in network driver config file", "nftables or iptables");
            }
        }
        return out;
    }
}
