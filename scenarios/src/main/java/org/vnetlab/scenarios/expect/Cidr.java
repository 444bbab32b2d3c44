package org.vnetlab.scenarios.expect;

import org.vnetlab.protocols.Ipv4Address;

/** An IPv4 prefix written {@code a.b.c.d/n}. */
public record Cidr(Ipv4Address network, int prefixLength) {
    public Cidr {
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("prefix length " + prefixLength);
    }

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) throw new IllegalArgumentException("no '/'");
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 2 || !len.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad prefix length");
        }
        return new Cidr(Ipv4Address.parse(text.substring(0, slash)), Integer.parseInt(len));
    }

    public boolean contains(Ipv4Address a) { return a.inPrefix(network, prefixLength); }

    @Override
    public String toString() { return network + "/" + prefixLength; }
}
