package org.vnetlab.emulator.hostconf.guest;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The English labels of ipconfig, and the dotted leader Windows writes after each. */
final class IpconfigLabels {
    private IpconfigLabels() {}

    /** Labels of the host section of {@code ipconfig /all}, in Windows' order. */
    static final List<String> GLOBAL = List.of("Host Name", "Primary Dns Suffix", "Node Type", "IP Routing Enabled",
            "WINS Proxy Enabled", "DNS Suffix Search List");

    /** Adapter labels of {@code ipconfig /all} (Windows 7–11), in Windows' order. */
    static final List<String> ADAPTER = List.of("Media State", "Connection-specific DNS Suffix", "Description",
            "Physical Address", "DHCP Enabled", "Autoconfiguration Enabled", "IPv6 Address", "Temporary IPv6 Address",
            "Link-local IPv6 Address", "IPv4 Address", "Autoconfiguration IPv4 Address", "Subnet Mask", "Lease Obtained",
            "Lease Expires", "Default Gateway", "DHCP Server", "DHCPv6 IAID", "DHCPv6 Client DUID", "DNS Servers",
            "Primary WINS Server", "Secondary WINS Server", "NetBIOS over Tcpip", "Connection-specific DNS Suffix Search List",
            // Windows XP / 2000 spell the IPv4 ones without "v4"
            "IP Address", "Autoconfiguration IP Address");

    /** What plain {@code ipconfig} shows of an adapter. */
    static final Set<String> PLAIN = Set.of("Media State", "Connection-specific DNS Suffix", "IPv6 Address",
            "Temporary IPv6 Address", "Link-local IPv6 Address", "IPv4 Address", "Autoconfiguration IPv4 Address",
            "IP Address", "Autoconfiguration IP Address", "Subnet Mask", "Default Gateway");

    /** Labels whose leader does not follow the rule (two blanks before the first dot). */
    private static final Map<String, String> LEADER_EXCEPTIONS = Map.of(
            "Connection-specific DNS Suffix", "Connection-specific DNS Suffix  . ",
            "Primary Dns Suffix", "Primary Dns Suffix  . . . . . . . ");

    /** Width of label plus leader: the colon sits in this column (0-based, after the 3-blank indent). */
    static final int WIDTH = 34;

    /**
     * The label and its leader up to the colon: a blank after an odd-length label, then ". " pairs to column
     * 34; labels of 34 characters or more get a single blank.
     */
    static String withLeader(String label) {
        String fixed = LEADER_EXCEPTIONS.get(label);
        if (fixed != null) return fixed;
        if (label.length() >= WIDTH) return label + " ";
        StringBuilder sb = new StringBuilder(label);
        if (sb.length() % 2 == 1) sb.append(' ');
        while (sb.length() < WIDTH) sb.append(". ");
        return sb.toString();
    }
}
