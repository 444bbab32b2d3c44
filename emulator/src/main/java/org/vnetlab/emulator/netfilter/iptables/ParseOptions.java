package org.vnetlab.emulator.netfilter.iptables;

/**
 * How forgiving the iptables-save parser is. Strict (the default) fails on the first bad line and loads
 * nothing, as iptables-restore does. Permissive skips bad lines and lists each one as a
 * {@link ParseWarning}, so a partly unsupported dump can still be explored — never silently.
 */
public record ParseOptions(boolean skipBadLines) {
    public static ParseOptions strict() { return new ParseOptions(false); }

    public static ParseOptions permissive() { return new ParseOptions(true); }
}
