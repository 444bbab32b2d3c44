package org.vnetlab.emulator.oracle;

/** How a probe ended, as the kernel oracle reports it (the {@code outcome=} word of results.tsv). */
public enum Outcome {
    /** DHCP: an ACK gave the guest an address. */
    LEASE("lease"),
    /** DHCP: the server answered the REQUEST with a NAK. */
    NAK("nak"),
    /** ping: an echo reply came back; UDP: a datagram came back. */
    REPLY("reply"),
    /** DNS: a response came back (any rcode). */
    ANSWER("answer"),
    /** TCP: the three-way handshake completed. */
    CONNECTED("connected"),
    /** TCP: the SYN was answered with a RST. */
    RESET("reset"),
    /** An ICMP error quoting the probe came back (type, code and sender in the details). */
    ICMP_ERROR("icmp-error"),
    /** Nothing came back before the probe's timeout. */
    TIMEOUT("timeout"),
    /** A sleep step. */
    SLEPT("slept"),
    /** An iptables step: iptables-restore accepted the file. */
    LOADED("loaded"),
    /** A sysctl step: the value was written (read back in the details). */
    SET("set"),
    /** The probe needs a kernel feature this machine lacks (e.g. br_netfilter); reason in the details. */
    NOT_AVAILABLE("not-available"),
    /** The run's deadline passed before the probe's turn. */
    NOT_RUN("not-run"),
    /** The probe itself failed (bad arguments, socket error); problem in the details. */
    ERROR("error");

    private final String word;

    Outcome(String word) { this.word = word; }

    public String word() { return word; }

    public static Outcome of(String word) {
        for (Outcome outcome : values()) {
            if (outcome.word.equals(word)) return outcome;
        }
        throw new IllegalArgumentException("unknown outcome '" + word + "'");
    }
}
