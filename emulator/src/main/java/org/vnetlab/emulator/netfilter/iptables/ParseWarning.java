package org.vnetlab.emulator.netfilter.iptables;

/** Something the parser accepted with reservations or skipped (permissive mode), with its place in the file. */
public record ParseWarning(String file, int line, String message) {
    @Override
    public String toString() { return file + ":" + line + ": " + message; }
}
