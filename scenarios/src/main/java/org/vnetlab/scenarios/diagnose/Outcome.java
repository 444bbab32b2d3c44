package org.vnetlab.scenarios.diagnose;

/** How a probe ended, in the report's words. */
public enum Outcome {
    OK("ok"), TIMEOUT("timeout"), ICMP_ERROR("icmp-error"), TCP_RESET("tcp-reset"), NO_LEASE("no-lease"),
    NO_ROUTE("no-route"), NXDOMAIN("nxdomain"), SERVFAIL("servfail"), REFUSED("refused");

    private final String word;

    Outcome(String word) { this.word = word; }

    public String word() { return word; }
}
