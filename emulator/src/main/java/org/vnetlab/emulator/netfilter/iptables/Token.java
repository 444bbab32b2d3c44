package org.vnetlab.emulator.netfilter.iptables;

/** One word of a rule line or command line, with its 1-based column in that line (for error messages). */
public record Token(String text, int column) {
    @Override
    public String toString() { return text; }
}
