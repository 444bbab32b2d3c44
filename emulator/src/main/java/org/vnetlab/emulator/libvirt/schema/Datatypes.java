package org.vnetlab.emulator.libvirt.schema;

import java.math.BigInteger;
import java.util.regex.Pattern;

/**
 * The XML Schema datatypes libvirt's network grammar uses, with the lexical rules a RELAX NG validator applies:
 * {@code string} keeps whitespace and must match its pattern whole; the integer types collapse whitespace, take
 * an optional sign, and check their bounds (and pattern, when the grammar gives one, on the collapsed form).
 */
final class Datatypes {
    private Datatypes() {}

    static final BigInteger UNSIGNED_INT_MAX = BigInteger.valueOf(4294967295L);
    static final BigInteger UNSIGNED_LONG_MAX = new BigInteger("18446744073709551615");
    static final BigInteger INT_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    static final BigInteger INT_MAX = BigInteger.valueOf(Integer.MAX_VALUE);

    /** A string type restricted by a pattern, matched against the whole value as written. */
    static Datatype pattern(String regex, String description) {
        Pattern p = Pattern.compile(regex);
        return new Datatype() {
            @Override public boolean allows(String s) { return p.matcher(s).matches(); }
            @Override public String description() { return description; }
        };
    }

    /** A string of at most {@code max} characters. */
    static Datatype maxLength(int max) {
        return new Datatype() {
            @Override public boolean allows(String s) { return s.codePointCount(0, s.length()) <= max; }
            @Override public String description() { return "a string of at most " + max + " characters"; }
        };
    }

    /**
     * An integer type: bounds inclusive, {@code null} for unbounded; {@code digitsOnly} is libvirt's extra
     * pattern {@code [0-9]+} (no sign) on top of the XML Schema type.
     */
    static Datatype integer(BigInteger min, BigInteger max, boolean digitsOnly) {
        return new Datatype() {
            @Override
            public boolean allows(String raw) {
                String s = collapse(raw);
                if (digitsOnly && !s.matches("[0-9]+")) return false;
                if (!s.matches("[+-]?[0-9]+")) return false;
                BigInteger v = new BigInteger(s.startsWith("+") ? s.substring(1) : s);
                return (min == null || v.compareTo(min) >= 0) && (max == null || v.compareTo(max) <= 0);
            }

            @Override
            public String description() {
                String digits = digitsOnly ? " written in digits only" : "";
                if (min != null && max != null) return "an integer from " + min + " to " + max + digits;
                if (min != null) return "an integer greater than or equal to " + min + digits;
                if (max != null) return "an integer less than or equal to " + max + digits;
                return "an integer" + digits;
            }
        };
    }

    static Datatype unsignedInt(boolean digitsOnly) { return integer(BigInteger.ZERO, UNSIGNED_INT_MAX, digitsOnly); }

    static Datatype unsignedInt(long max) { return integer(BigInteger.ZERO, BigInteger.valueOf(max), false); }

    static Datatype unsignedLong(boolean digitsOnly) { return integer(BigInteger.ZERO, UNSIGNED_LONG_MAX, digitsOnly); }

    static Datatype intRange(long min, long max) { return integer(BigInteger.valueOf(min), BigInteger.valueOf(max), false); }

    /** XML Schema's whitespace "collapse": trim, and turn every run of blanks into one space. */
    static String collapse(String s) {
        return s.replaceAll("[ \t\n\r]+", " ").trim();
    }

    /** Either of two types, as a {@code <choice>} of {@code <data>} patterns reads. */
    static Datatype either(Datatype a, Datatype b, String description) {
        return new Datatype() {
            @Override public boolean allows(String s) { return a.allows(s) || b.allows(s); }
            @Override public String description() { return description; }
        };
    }
}
