package org.vnetlab.scenarios.diagnose;

/**
 * Something in the dump worth a look, independent of any probe: a difference from the rules libvirt
 * generates for this network, suspicious syntax, a setting that breaks forwarding. {@code where} names the
 * dump file and line when there is one.
 */
public record Finding(String id, Severity severity, String where, String text) {
    public enum Severity {
        /** Breaks guest connectivity as dumped. */
        ERROR,
        /** Wrong or fragile, but not what breaks this host now. */
        WARNING,
        /** Worth knowing. */
        INFO;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }
}
