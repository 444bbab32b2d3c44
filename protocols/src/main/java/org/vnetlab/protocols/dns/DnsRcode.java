package org.vnetlab.protocols.dns;

import org.xbill.DNS.Rcode;

/**
 * A DNS response code as an open enum (RFC 1035 4.1.1, extended to 12 bits by EDNS, RFC 6891): unknown codes
 * are kept, never refused.
 */
public final class DnsRcode {
    public static final DnsRcode NOERROR = new DnsRcode(0, "NOERROR");
    public static final DnsRcode FORMERR = new DnsRcode(1, "FORMERR");
    public static final DnsRcode SERVFAIL = new DnsRcode(2, "SERVFAIL");
    public static final DnsRcode NXDOMAIN = new DnsRcode(3, "NXDOMAIN");
    public static final DnsRcode NOTIMP = new DnsRcode(4, "NOTIMP");
    public static final DnsRcode REFUSED = new DnsRcode(5, "REFUSED");

    private static final DnsRcode[] KNOWN = {NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED};

    private final int code;
    private final String name;

    private DnsRcode(int code, String name) {
        this.code = code;
        this.name = name;
    }

    public static DnsRcode of(int code) {
        if (code < 0 || code > 0xfff) throw new IllegalArgumentException("DNS rcode out of 0..4095: " + code);
        if (code < KNOWN.length) return KNOWN[code];
        return new DnsRcode(code, Rcode.string(code));
    }

    public int code() { return code; }

    public String name() { return name; }

    @Override
    public boolean equals(Object o) { return o instanceof DnsRcode r && r.code == code; }

    @Override
    public int hashCode() { return code; }

    @Override
    public String toString() { return name; }
}
