package org.vnetlab.protocols.dns;

import org.xbill.DNS.Type;

/**
 * A DNS RR type as an open enum: {@link #of(int)} returns the constant for a known code and a new value for
 * any other code (named as dnsjava knows it, or TYPEnnn per RFC 3597), so no type number is refused.
 */
public final class DnsType {
    public static final DnsType A = new DnsType(1, "A");
    public static final DnsType NS = new DnsType(2, "NS");
    public static final DnsType CNAME = new DnsType(5, "CNAME");
    public static final DnsType SOA = new DnsType(6, "SOA");
    public static final DnsType PTR = new DnsType(12, "PTR");
    public static final DnsType MX = new DnsType(15, "MX");
    public static final DnsType TXT = new DnsType(16, "TXT");
    public static final DnsType AAAA = new DnsType(28, "AAAA");
    public static final DnsType SRV = new DnsType(33, "SRV");
    /** The EDNS pseudo-record (RFC 6891). */
    public static final DnsType OPT = new DnsType(41, "OPT");
    public static final DnsType HTTPS = new DnsType(65, "HTTPS");
    public static final DnsType ANY = new DnsType(255, "ANY");

    private static final DnsType[] KNOWN = {A, NS, CNAME, SOA, PTR, MX, TXT, AAAA, SRV, OPT, HTTPS, ANY};

    private final int code;
    private final String name;

    private DnsType(int code, String name) {
        this.code = code;
        this.name = name;
    }

    public static DnsType of(int code) {
        if (code < 0 || code > 0xffff) throw new IllegalArgumentException("DNS type out of 0..65535: " + code);
        for (DnsType t : KNOWN) {
            if (t.code == code) return t;
        }
        return new DnsType(code, Type.string(code));
    }

    /** By mnemonic ("A", "aaaa", "TYPE65"), as in zone files and dig. */
    public static DnsType parse(String name) {
        int code = Type.value(name.trim());
        if (code < 0) throw new IllegalArgumentException("unknown DNS type: '" + name + "'");
        return of(code);
    }

    public int code() { return code; }

    public String name() { return name; }

    @Override
    public boolean equals(Object o) { return o instanceof DnsType t && t.code == code; }

    @Override
    public int hashCode() { return code; }

    @Override
    public String toString() { return name; }
}
