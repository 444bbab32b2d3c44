package org.vnetlab.emulator.internet;

import java.util.List;
import java.util.Optional;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;

/**
 * A public recursive resolver's answers, computed from a {@link Zone}: the question echoed, QR, RD copied,
 * RA set, AA clear (a resolver is not authoritative: clients print "Non-authoritative answer"), and an EDNS
 * OPT record with a 512-byte UDP size when the query had one (what 8.8.8.8 answers). Not a query, or not
 * one question: no answer at all (dropped, as resolvers drop garbage).
 */
public final class DnsResponder {
    /** The UDP payload size 8.8.8.8 advertises in its OPT record. */
    public static final int EDNS_UDP_SIZE = 512;

    private final Zone zone;

    public DnsResponder(Zone zone) {
        this.zone = zone;
    }

    public Zone zone() { return zone; }

    public Optional<byte[]> answer(byte[] query) {
        DnsMessage q;
        try {
            q = DnsMessage.parse(query);
        } catch (ParseException e) {
            return Optional.empty();
        }
        if (q.qr() || q.opcode() != DnsMessage.OPCODE_QUERY || q.questions().size() != 1) return Optional.empty();
        Zone.Answer a = zone.lookup(q.question().name(), q.question().type());
        DnsMessage reply = DnsMessage.reply(q, a.rcode(), a.rcode().equals(DnsRcode.NOERROR) ? a.records() : List.of());
        boolean edns = q.additionals().stream().anyMatch(r -> r.type().equals(DnsType.OPT));
        if (edns) reply = reply.withAdditionals(List.of(DnsRecord.opt(EDNS_UDP_SIZE)));
        // AD mirrors nothing here: the emulated data is not DNSSEC-signed
        return Optional.of(reply.toWire());
    }
}
