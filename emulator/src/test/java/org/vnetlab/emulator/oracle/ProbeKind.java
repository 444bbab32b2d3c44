package org.vnetlab.emulator.oracle;

/** What a probe does; the wire name is the word used in the spec and in results.tsv. */
public enum ProbeKind {
    DHCP("dhcp"), PING("ping"), UDP("udp"), DNS("dns"), TCP("tcp"), SLEEP("sleep"),
    /** A ruleset loaded with iptables-restore between probes. */
    IPTABLES("iptables"),
    /** A per-namespace sysctl written between probes. */
    SYSCTL("sysctl");

    private final String word;

    ProbeKind(String word) { this.word = word; }

    public String word() { return word; }

    public static ProbeKind of(String word) {
        for (ProbeKind kind : values()) {
            if (kind.word.equals(word)) return kind;
        }
        throw new IllegalArgumentException("unknown probe kind '" + word + "'");
    }
}
