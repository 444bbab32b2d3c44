package org.vnetlab.protocols.dns;

/** One question: name (absolute, e.g. "google.com."), type and class (1 = IN). */
public record DnsQuestion(String name, DnsType type, int dnsClass) {
    public static final int CLASS_IN = 1;

    public DnsQuestion {
        name = DnsNames.normalize(name);
        if (type == null) throw new IllegalArgumentException("type must not be null");
        if (dnsClass < 0 || dnsClass > 0xffff) throw new IllegalArgumentException("class out of 0..65535: " + dnsClass);
    }

    /** A class IN question; a relative name is taken as absolute. */
    public static DnsQuestion of(String name, DnsType type) {
        return new DnsQuestion(name, type, CLASS_IN);
    }

    @Override
    public String toString() { return name + " " + type + (dnsClass == CLASS_IN ? " IN" : " CLASS" + dnsClass); }
}
