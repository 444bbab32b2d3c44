package org.vnetlab.protocols.dns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/**
 * One resource record: owner name (absolute text), type, class, TTL and the RDATA bytes, uncompressed.
 * The RDATA is checked and kept in the form dnsjava writes it, so equal records emit equal bytes. For
 * {@link DnsType#OPT} the class is the requestor's UDP payload size and the TTL holds the extended rcode,
 * version and flags (RFC 6891).
 */
public record DnsRecord(String name, DnsType type, int dnsClass, long ttl, byte[] rdata) {

    public DnsRecord {
        name = DnsNames.normalize(name);
        if (type == null) throw new IllegalArgumentException("type must not be null");
        if (dnsClass < 0 || dnsClass > 0xffff) throw new IllegalArgumentException("class out of 0..65535: " + dnsClass);
        if (ttl < 0 || ttl > 0xffff_ffffL) throw new IllegalArgumentException("TTL out of 0..4294967295: " + ttl);
        rdata = rdataOf(toRecord(name, type, dnsClass, ttl, rdata));
    }

    /** An A record. */
    public static DnsRecord a(String name, long ttl, Ipv4Address address) {
        return new DnsRecord(name, DnsType.A, DnsQuestion.CLASS_IN, ttl, address.toBytes());
    }

    /** A class IN record from its RDATA in zone-file text, e.g. ("example.org", MX, 300, "10 mail.example.org."). */
    public static DnsRecord of(String name, DnsType type, long ttl, String rdataText) {
        Name owner = DnsNames.toName(name);
        Record r;
        try {
            r = Record.fromString(owner, type.code(), DnsQuestion.CLASS_IN, ttl, rdataText, Name.root);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("bad " + type + " data '" + rdataText + "': " + e.getMessage(), e);
        }
        return fromRecord(r);
    }

    /** The EDNS OPT pseudo-record a resolver or dnsmasq adds: root owner, no options. */
    public static DnsRecord opt(int udpPayloadSize) {
        return new DnsRecord(".", DnsType.OPT, udpPayloadSize, 0, new byte[0]);
    }

    @Override
    public byte[] rdata() { return rdata.clone(); }

    /** The RDATA as zone-file text, e.g. "142.250.1.1" for an A record. */
    public String text() {
        return toRecord(name, type, dnsClass, ttl, rdata).rdataToString();
    }

    /** The address of an A record (class IN). */
    public Optional<Ipv4Address> ipv4() {
        return type.equals(DnsType.A) && rdata.length == 4 ? Optional.of(Ipv4Address.of(rdata)) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DnsRecord r && r.name.equals(name) && r.type.equals(type) && r.dnsClass == dnsClass
                && r.ttl == ttl && Arrays.equals(r.rdata, rdata);
    }

    @Override
    public int hashCode() { return (name.hashCode() * 31 + type.hashCode()) * 31 + Arrays.hashCode(rdata); }

    @Override
    public String toString() {
        String data = rdata.length == 0 ? "" : " " + (type.equals(DnsType.OPT) ? HexFormat.of().formatHex(rdata) : text());
        return name + " " + ttl + " " + (dnsClass == DnsQuestion.CLASS_IN ? "IN" : "CLASS" + dnsClass) + " " + type + data;
    }

    // ---- dnsjava conversions (package-private: nothing outside this package sees dnsjava) ----------------

    Record toRecord() {
        return toRecord(name, type, dnsClass, ttl, rdata);
    }

    static DnsRecord fromRecord(Record r) {
        return new DnsRecord(r.getName().toString(), DnsType.of(r.getType()), r.getDClass(), r.getTTL(), rdataOf(r));
    }

    private static Record toRecord(String name, DnsType type, int dnsClass, long ttl, byte[] rdata) {
        if (rdata == null) throw new IllegalArgumentException("rdata must not be null");
        if (rdata.length > 0xffff) throw new IllegalArgumentException("RDATA longer than 65535 bytes");
        Name owner = DnsNames.toName(name);
        // Through dnsjava's wire decoder rather than Record.newRecord: that one refuses TTLs above 2^31-1,
        // which OPT records carry whenever the extended rcode's top bit is set.
        byte[] nameWire = owner.toWire();
        ByteBuffer wire = ByteBuffer.allocate(nameWire.length + 10 + rdata.length);
        wire.put(nameWire).putShort((short) type.code()).putShort((short) dnsClass).putInt((int) ttl)
                .putShort((short) rdata.length).put(rdata);
        try {
            return Record.fromWire(wire.array(), Section.ANSWER);
        } catch (IOException | RuntimeException e) {
            if (rdata.length == 0 && ttl <= Integer.MAX_VALUE) {
                // no RDATA at all: what UPDATE messages (RFC 2136) carry to delete an RRset
                return Record.newRecord(owner, type.code(), dnsClass, ttl);
            }
            throw new IllegalArgumentException("malformed " + type + " RDATA " + HexFormat.of().formatHex(rdata)
                    + ": " + e.getMessage(), e);
        }
    }

    /** RDATA as written without compression: the record's wire form after owner, type, class, TTL and length. */
    private static byte[] rdataOf(Record r) {
        byte[] wire;
        try {
            wire = r.toWire(Section.ANSWER);
        } catch (RuntimeException e) {
            // dnsjava 3.6.3 reads some RDATA it cannot write back, e.g. a WKS record with an empty bitmap
            throw new IllegalArgumentException("dnsjava cannot write this " + DnsType.of(r.getType()) + " RDATA back: " + e, e);
        }
        int start = r.getName().length() + 10;
        return Arrays.copyOfRange(wire, start, wire.length);
    }
}
