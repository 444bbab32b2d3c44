package org.vnetlab.emulator.hostconf.text;

import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/** Converting one token into a value, with an error that names the token on failure. */
public final class Words {
    private Words() {}

    public static Ipv4Address ipv4(SourceText src, Token t, String what) throws InputException {
        try {
            return Ipv4Address.parse(t.text());
        } catch (IllegalArgumentException e) {
            throw src.error(t, "not an IPv4 " + what, hint(t.text()));
        }
    }

    private static String hint(String text) {
        if (text.contains(":")) return "IPv6 is not emulated; vnetlab reads the IPv4 part of the host";
        return null;
    }

    public static MacAddress mac(SourceText src, Token t) throws InputException {
        try {
            return MacAddress.parse(t.text());
        } catch (IllegalArgumentException e) {
            throw src.error(t, "not a MAC address");
        }
    }

    /** A decimal number in [min, max]. */
    public static long number(SourceText src, Token t, String what, long min, long max) throws InputException {
        String s = t.text();
        if (s.isEmpty() || s.length() > 19 || !s.chars().allMatch(Character::isDigit)) {
            throw src.error(t, what + " must be a decimal number");
        }
        long v = Long.parseLong(s);
        if (v < min || v > max) throw src.error(t, what + " out of range " + min + ".." + max);
        return v;
    }

    public static int intNumber(SourceText src, Token t, String what, int min, int max) throws InputException {
        return (int) number(src, t, what, min, max);
    }

    /** Lower-case identifier as iproute2 prints names from its tables (proto, table, scope names). */
    public static boolean isName(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) return false;
        }
        return true;
    }
}
