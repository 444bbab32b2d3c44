package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;

/** A started dnsmasq on virbr0 whose ports record what it sends; the test plays the guests and upstreams. */
final class DnsRig implements DnsPort, DhcpPort {
    static final Ipv4Address GUEST = Ipv4Address.parse("192.168.122.55");
    static final Ipv4Address SERVER = DhcpRig.VIRBR0.address();

    record Upstream(long nanos, int sourcePort, Ipv4Address server, int serverPort, byte[] payload) {
        DnsMessage message() { return parse(payload); }
    }

    final Lab lab = new Lab(7);
    final Dnsmasq dnsmasq;
    final List<DnsDatagram> answers = new ArrayList<>();
    final List<Upstream> upstream = new ArrayList<>();
    final List<Integer> released = new ArrayList<>();
    final List<DhcpReply> dhcpSent = new ArrayList<>();
    /** Servers the kernel cannot route to: sendto fails at once. */
    final List<Ipv4Address> unreachable = new ArrayList<>();

    DnsRig(DnsmasqSettings settings, HostFiles host) {
        dnsmasq = new Dnsmasq(lab, settings, DhcpRig.VIRBR0, host, this, this);
        dnsmasq.start();
    }

    static DnsRig withResolvConf(DnsmasqSettings settings, String... nameservers) {
        List<Ipv4Address> ns = new ArrayList<>();
        for (String n : nameservers) ns.add(Ipv4Address.parse(n));
        return new DnsRig(settings, HostFiles.of(ns));
    }

    @Override public void reply(DnsDatagram answer) { answers.add(answer); }

    @Override
    public boolean sendUpstream(int sourcePort, Ipv4Address server, int serverPort, byte[] query) {
        if (unreachable.contains(server)) return false;
        upstream.add(new Upstream(lab.now(), sourcePort, server, serverPort, query));
        return true;
    }

    @Override public void releaseUpstream(int sourcePort) { released.add(sourcePort); }

    @Override public void send(DhcpReply reply) { dhcpSent.add(reply); }

    @Override public void sendEcho(Ipv4Address source, Ipv4Address target, int identifier) { }

    /** A guest's query to 192.168.122.1:53 from port 40001. */
    void ask(byte[] query) {
        ask(query, GUEST, 40001);
    }

    void ask(byte[] query, Ipv4Address from, int port) {
        dnsmasq.dns().receive(new DnsDatagram(query, from, port, SERVER, 53));
    }

    void ask(String name, DnsType type, int id) {
        ask(DnsMessage.query(id, name, type, true).toWire());
    }

    /** The upstream server answers the forwarded query {@code index} with this rcode and A records. */
    void upstreamAnswers(int index, DnsRcode rcode, Ipv4Address... addresses) {
        Upstream u = upstream.get(index);
        DnsMessage q = u.message();
        List<DnsRecord> records = new ArrayList<>();
        for (Ipv4Address a : addresses) records.add(DnsRecord.a(q.question().name(), 300, a));
        dnsmasq.dns().upstreamReply(u.sourcePort(), u.server(), u.serverPort(), DnsMessage.reply(q, rcode, records).toWire());
    }

    DnsMessage lastAnswer() {
        if (answers.isEmpty()) throw new AssertionError("no answer");
        return parse(answers.get(answers.size() - 1).payload());
    }

    static DnsMessage parse(byte[] b) {
        try {
            return DnsMessage.parse(b);
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }
}
