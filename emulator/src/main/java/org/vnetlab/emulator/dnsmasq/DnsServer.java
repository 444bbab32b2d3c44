package org.vnetlab.emulator.dnsmasq;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.sim.Lab;
import org.vnetlab.emulator.sim.SeededRandom;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsQuestion;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;

/**
 * dnsmasq's DNS side (forward.c, rfc1035.c) on the served address: local names answered with TTL 0, every
 * other query forwarded upstream with dnsmasq's own ID and source port and the answer returned with the
 * client's ID, byte for byte otherwise.
 *
 * <p>Upstreams: {@code server=} lines (domain-specific ones win for their domains), then — unless
 * {@code no-resolv} — the host's resolv.conf nameservers. With {@code strict-order} a query goes to the first
 * server; a SERVFAIL or REFUSED moves it to the next, and from the last one nothing at all goes back to the
 * client (dnsmasq 2.86+ gives up silently there). A server that does not answer is not timed out by dnsmasq:
 * the client's own retry moves the query on (to the next server in strict order, to all without it). So a
 * resolv.conf naming a stub nobody listens on (127.0.0.53) leaves the client with no answer at all.
 *
 * <p>Not modelled: the answer cache (every query is forwarded), DNSSEC, TCP, IPv6, EDNS options dnsmasq adds
 * (none in libvirt's configuration).
 */
public final class DnsServer {
    /** dnsmasq's default EDNS payload size (edns-packet-max). */
    public static final int EDNS_PACKET_SIZE = 1232;
    /** A forwarded query is forgotten 4 x TIMEOUT (10 s) after it was made. */
    static final long FORWARD_LIFETIME_SECONDS = 40;
    /** Closely spaced identical queries from different clients share one forward. */
    static final long DUPLICATE_WINDOW_SECONDS = 2;
    /** Without strict-order, dnsmasq re-tests all servers every FORWARD_TEST queries or FORWARD_TIME seconds. */
    static final int FORWARD_TEST = 50;
    static final long FORWARD_TIME_SECONDS = 20;
    private static final int RANDOM_PORT_MIN = 1024;

    private final Lab lab;
    private final DnsmasqSettings settings;
    private final LocalNames names;
    private final DnsmasqLog log;
    private final DnsPort port;
    private final SeededRandom random;
    private final Group defaults;
    /** How many of the default servers come from the configuration's server= lines (the rest are resolv.conf's). */
    private final int configuredDefaults;
    private final Map<String, Group> byDomain = new HashMap<>();
    private final List<Forward> forwards = new ArrayList<>();

    /** The servers for one domain (or the default ones), in order, and what dnsmasq learnt about them. */
    private static final class Group {
        final String domain;
        final List<ServerRule.Target.Upstream> servers = new ArrayList<>();
        boolean local;
        boolean standard;
        int lastServer = -1;
        int forwardCount;
        long forwardTime;

        Group(String domain) { this.domain = domain; }
    }

    private record Source(int id, Ipv4Address address, int port, Ipv4Address destination) {}

    /** forward.c's struct frec: one query on its way upstream. */
    private static final class Forward {
        final String key;
        final DnsQuestion question;
        final boolean clientCd;
        final Group group;
        final int newId;
        final int port;
        final long created;
        final List<Source> sources = new ArrayList<>();
        int sentTo;
        int forwardAll;

        Forward(String key, DnsQuestion question, boolean clientCd, Group group, int newId, int port, long created) {
            this.key = key;
            this.question = question;
            this.clientCd = clientCd;
            this.group = group;
            this.newId = newId;
            this.port = port;
            this.created = created;
        }
    }

    /**
     * @param resolvConf the host's resolv.conf nameservers, in order (used unless no-resolv)
     * @param hosts hosts-file entries: addn-hosts, then /etc/hosts unless no-hosts
     */
    public DnsServer(Lab lab, DnsmasqSettings settings, LeaseDatabase leases, List<HostRecord> hosts,
            List<Ipv4Address> resolvConf, DnsmasqLog log, DnsPort port, SeededRandom random) {
        this.lab = lab;
        this.settings = settings;
        this.names = new LocalNames(hosts, settings.domain(), settings.expandHosts(), leases);
        this.log = log;
        this.port = port;
        this.random = random;
        this.defaults = new Group("");
        for (ServerRule r : settings.servers()) {
            Group g = r.domain().isEmpty() ? defaults : byDomain.computeIfAbsent(r.domain(), Group::new);
            if (r.target() instanceof ServerRule.Target.Upstream u) g.servers.add(u);
            else if (r.target() instanceof ServerRule.Target.Local) g.local = true;
            else g.standard = true;
        }
        configuredDefaults = defaults.servers.size();
        if (!settings.noResolv()) {
            for (Ipv4Address a : resolvConf) defaults.servers.add(new ServerRule.Target.Upstream(a, 53));
        }
    }

    /**
     * reload_servers: the resolv.conf servers are replaced by {@code resolvConf}'s, after the configuration's own
     * {@code server=} lines; what dnsmasq learnt about the old ones (the last good server) is forgotten. Queries
     * already on their way upstream finish with the servers they were sent to.
     */
    void reloadResolvConf(List<Ipv4Address> resolvConf) {
        if (settings.noResolv()) return;
        List<ServerRule.Target.Upstream> keep = new ArrayList<>(defaults.servers.subList(0, configuredDefaults));
        defaults.servers.clear();
        defaults.servers.addAll(keep);
        for (Ipv4Address a : resolvConf) defaults.servers.add(new ServerRule.Target.Upstream(a, 53));
        defaults.lastServer = -1;
        defaults.forwardCount = 0;
    }

    /** The servers used for names no domain rule covers, in the order strict-order tries them. */
    public List<String> defaultServers() {
        return defaults.servers.stream().map(Object::toString).toList();
    }

    // ---- queries from clients ----------------------------------------------------------------------------

    /** A datagram reached port 53 of the served address. */
    public void receive(DnsDatagram in) {
        if (!settings.dnsEnabled()) return;
        byte[] bytes = in.payload();
        if (bytes.length < 12 || (bytes[2] & 0x80) != 0) return; // too short, or a reply: dnsmasq ignores it
        DnsMessage query;
        try {
            query = DnsMessage.parse(bytes);
        } catch (ParseException e) {
            return;
        }
        if (query.opcode() != DnsMessage.OPCODE_QUERY || query.questions().size() != 1) {
            log.dns(DnsmasqLog.Level.WARNING, "vnetlab: unsupported: DNS opcode " + query.opcode() + " with "
                    + query.questions().size() + " questions, not answered");
            return;
        }
        long now = nowSeconds();
        expireForwards(now);
        Optional<DnsMessage> local = answerLocally(query, now);
        if (local.isPresent()) {
            answer(in, local.get().toWire());
            return;
        }
        forward(in, query, bytes, now);
    }

    /** answer_request: a name we hold (A), or an address we can name (PTR); bogus-priv's private PTRs. */
    private Optional<DnsMessage> answerLocally(DnsMessage query, long now) {
        DnsQuestion q = query.question();
        if (q.dnsClass() != DnsQuestion.CLASS_IN) return Optional.empty();
        if (q.type().equals(DnsType.A)) {
            List<Ipv4Address> addrs = names.addresses(q.name(), now);
            if (addrs.isEmpty()) return Optional.empty();
            List<DnsRecord> answers = new ArrayList<>();
            for (Ipv4Address a : addrs) answers.add(DnsRecord.a(q.name(), 0, a));
            return Optional.of(localReply(query, DnsRcode.NOERROR, answers, true));
        }
        if (q.type().equals(DnsType.PTR)) {
            Optional<Ipv4Address> addr = reverseAddress(q.name());
            if (addr.isEmpty()) return Optional.empty();
            Optional<String> name = names.name(addr.get(), now);
            if (name.isPresent()) {
                DnsRecord ptr = DnsRecord.of(q.name(), DnsType.PTR, 0, name.get() + ".");
                return Optional.of(localReply(query, DnsRcode.NOERROR, List.of(ptr), true));
            }
            if (settings.bogusPriv() && isPrivate(addr.get())) {
                return Optional.of(localReply(query, DnsRcode.NXDOMAIN, List.of(), false));
            }
        }
        return Optional.empty();
    }

    private void forward(DnsDatagram in, DnsMessage query, byte[] bytes, long now) {
        DnsQuestion q = query.question();
        String key = questionKey(query);
        Forward existing = null;
        for (Forward f : forwards) if (f.key.equals(key)) { existing = f; break; }
        if (existing != null) {
            retry(existing, in, query, bytes, now);
            return;
        }

        Group group = route(q.name());
        if (group.local) {
            DnsRcode rcode = names.knows(q.name(), now) ? DnsRcode.NOERROR : DnsRcode.NXDOMAIN;
            answer(in, localReply(query, rcode, List.of(), false).toWire());
            return;
        }
        String bare = Hostnames.key(q.name());
        if (settings.domainNeeded() && (q.type().equals(DnsType.A) || q.type().equals(DnsType.AAAA))
                && !bare.isEmpty() && !bare.contains(".")) {
            DnsRcode rcode = names.knows(q.name(), now) ? DnsRcode.NOERROR : DnsRcode.NXDOMAIN;
            answer(in, localReply(query, rcode, List.of(), false).toWire());
            return;
        }
        if (group.servers.isEmpty()) {
            answer(in, localReply(query, DnsRcode.REFUSED, List.of(), false).toWire()); // nowhere to forward to
            return;
        }
        int id = newId();
        Forward f = new Forward(key, q, query.cd(), group, id, randomPort(), now);
        f.sources.add(new Source(query.id(), in.source(), in.sourcePort(), in.destination()));
        int start = 0;
        if (settings.strictOrder()) {
            f.forwardAll = 0;
        } else if (group.forwardCount++ > FORWARD_TEST || now - group.forwardTime > FORWARD_TIME_SECONDS || group.lastServer == -1) {
            group.forwardTime = now;
            group.forwardCount = 0;
            f.forwardAll = 1;
        } else {
            start = group.lastServer;
        }
        forwards.add(f);
        if (!send(f, bytes, start)) {
            drop(f);
            answer(in, localReply(query, DnsRcode.REFUSED, List.of(), false).toWire());
        }
    }

    /** The same question again: a client's retry moves it on; another client's joins it. */
    private void retry(Forward f, DnsDatagram in, DnsMessage query, byte[] bytes, long now) {
        boolean sameSource = false;
        for (Source s : f.sources) {
            if (s.id == query.id() && s.address.equals(in.source()) && s.port == in.sourcePort()) sameSource = true;
        }
        if (!sameSource) {
            f.sources.add(new Source(query.id(), in.source(), in.sourcePort(), in.destination()));
            if (now - f.created < DUPLICATE_WINDOW_SECONDS) return; // too close to be a retry: wait for the first
        }
        int start;
        if (!settings.strictOrder() && sameSource) {
            f.forwardAll = 1;
            start = 0;
        } else {
            start = f.sentTo;
            if (settings.strictOrder() && ++start == f.group.servers.size()) start--; // keep trying the last one
        }
        send(f, bytes, start);
    }

    /** Sends the query (with dnsmasq's ID) to one server, or to all when forwardAll is set. */
    private boolean send(Forward f, byte[] query, int start) {
        byte[] out = withId(query, f.newId);
        boolean sent = false;
        List<ServerRule.Target.Upstream> servers = f.group.servers;
        int from = f.forwardAll > 0 ? 0 : start;
        for (int i = from; i < servers.size(); i++) {
            ServerRule.Target.Upstream s = servers.get(i);
            if (port.sendUpstream(f.port, s.address(), s.port(), out)) {
                sent = true;
                f.sentTo = i;
                if (f.forwardAll == 0) break;
                f.forwardAll++;
            }
        }
        return sent;
    }

    // ---- answers from upstream -----------------------------------------------------------------------------

    /** A datagram reached one of the forwarding ports. */
    public void upstreamReply(int localPort, Ipv4Address from, int fromPort, byte[] payload) {
        if (payload.length < 12 || (payload[2] & 0x80) == 0) return;
        DnsMessage reply;
        try {
            reply = DnsMessage.parse(payload);
        } catch (ParseException e) {
            return;
        }
        Forward f = null;
        for (Forward x : forwards) {
            if (x.newId == reply.id() && x.port == localPort && reply.questions().size() == 1
                    && questionKey(reply.question()).equals(questionKey(x.question))) {
                f = x;
                break;
            }
        }
        if (f == null) return;
        int server = -1;
        for (int i = 0; i < f.group.servers.size(); i++) {
            ServerRule.Target.Upstream s = f.group.servers.get(i);
            if (s.address().equals(from) && s.port() == fromPort) { server = i; break; }
        }
        if (server < 0) return; // not from a server we asked: spoofing protection
        DnsRcode rcode = reply.rcode();
        boolean refused = rcode.equals(DnsRcode.REFUSED);
        if (!refused) f.group.lastServer = server;
        else if (f.group.lastServer == server) f.group.lastServer = -1;

        if ((refused || rcode.equals(DnsRcode.SERVFAIL)) && f.forwardAll == 0) {
            // a broken server: try another with the query rebuilt from this reply
            byte[] requery = queryFrom(reply, f);
            if (!settings.strictOrder()) {
                f.forwardAll = 1;
                send(f, requery, 0);
            } else if (f.sentTo + 1 < f.group.servers.size()) {
                send(f, requery, f.sentTo + 1);
            }
            // strict order and that was the last server: dnsmasq gives up without a word to the client
            return;
        }
        if (f.forwardAll > 0 && --f.forwardAll > 1 && refused) return; // wait for the other servers
        f.sentTo = server;
        byte[] answer = processReply(reply, payload, f);
        for (Source s : f.sources) {
            port.reply(new DnsDatagram(withId(answer, s.id), s.destination, DnsmasqSettings.DNS_PORT, s.address, s.port));
        }
        drop(f);
    }

    /** process_reply: RA on, AD off, the client's CD back; NXDOMAIN for a name we know becomes NODATA. */
    private byte[] processReply(DnsMessage reply, byte[] raw, Forward f) {
        Optional<DnsRecord> opt = reply.additionals().stream().filter(r -> r.type().equals(DnsType.OPT)).findFirst();
        boolean nxdomainForOurs = reply.opcode() == DnsMessage.OPCODE_QUERY && reply.rcode().equals(DnsRcode.NXDOMAIN)
                && names.knows(f.question.name(), nowSeconds());
        boolean bigPayload = opt.isPresent() && opt.get().dnsClass() > EDNS_PACKET_SIZE;
        if (!nxdomainForOurs && !bigPayload) {
            byte[] out = raw.clone();
            out[3] = (byte) ((out[3] | 0x80) & ~0x20); // RA set, AD cleared (no DNSSEC proxying)
            out[3] = (byte) (f.clientCd ? out[3] | 0x10 : out[3] & ~0x10);
            return out;
        }
        int flags = (reply.flags() | DnsMessage.FLAG_RA) & ~DnsMessage.FLAG_AD & ~DnsMessage.FLAG_CD;
        if (f.clientCd) flags |= DnsMessage.FLAG_CD;
        List<DnsRecord> additionals = new ArrayList<>();
        if (opt.isPresent()) {
            DnsRecord o = opt.get();
            additionals.add(new DnsRecord(".", DnsType.OPT, Math.min(o.dnsClass(), EDNS_PACKET_SIZE), o.ttl(), o.rdata()));
        }
        if (nxdomainForOurs) {
            flags = (flags & ~0x000f & ~DnsMessage.FLAG_TC) | DnsMessage.FLAG_AA;
            return new DnsMessage(reply.id(), flags, reply.questions(), List.of(), List.of(), additionals).toWire();
        }
        List<DnsRecord> rest = new ArrayList<>();
        for (DnsRecord r : reply.additionals()) if (!r.type().equals(DnsType.OPT)) rest.add(r);
        rest.addAll(additionals);
        return new DnsMessage(reply.id(), flags, reply.questions(), reply.answers(), reply.authorities(), rest).toWire();
    }

    /** The query recreated from an error reply: sections emptied, QR, AA, TC, RA and rcode cleared. */
    private byte[] queryFrom(DnsMessage reply, Forward f) {
        int flags = reply.flags() & ~(DnsMessage.FLAG_QR | DnsMessage.FLAG_AA | DnsMessage.FLAG_TC | DnsMessage.FLAG_RA
                | DnsMessage.FLAG_CD | DnsMessage.FLAG_AD | 0x000f);
        if (f.clientCd) flags |= DnsMessage.FLAG_CD;
        List<DnsRecord> opt = reply.additionals().stream().filter(r -> r.type().equals(DnsType.OPT)).toList();
        return new DnsMessage(reply.id(), flags, reply.questions(), List.of(), List.of(), opt).toWire();
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** lookup_domain: the longest server= or local= domain covering the name, else the default servers. */
    private Group route(String name) {
        String key = Hostnames.key(name);
        Group best = null;
        for (Group g : byDomain.values()) {
            if ((key.equals(g.domain) || key.endsWith("." + g.domain)) && (best == null || g.domain.length() > best.domain.length())) {
                best = g;
            }
        }
        if (best == null || (best.standard && best.servers.isEmpty() && !best.local)) return defaults;
        return best;
    }

    /** setup_reply and friends: a reply dnsmasq writes itself, with an OPT record if the query had one. */
    private DnsMessage localReply(DnsMessage query, DnsRcode rcode, List<DnsRecord> answers, boolean authoritative) {
        int flags = DnsMessage.FLAG_QR | (query.flags() & 0x7800) | (query.flags() & DnsMessage.FLAG_RD)
                | DnsMessage.FLAG_RA | (query.flags() & (DnsMessage.FLAG_CD | 0x0040)) | rcode.code();
        if (authoritative) flags |= DnsMessage.FLAG_AA;
        List<DnsRecord> additionals = new ArrayList<>();
        for (DnsRecord r : query.additionals()) {
            if (r.type().equals(DnsType.OPT)) {
                long doBit = r.ttl() & 0x8000;
                additionals.add(new DnsRecord(".", DnsType.OPT, EDNS_PACKET_SIZE, doBit, new byte[0]));
                break;
            }
        }
        return new DnsMessage(query.id(), flags, query.questions(), answers, List.of(), additionals);
    }

    private void answer(DnsDatagram in, byte[] payload) {
        port.reply(new DnsDatagram(payload, in.destination(), in.destinationPort(), in.source(), in.sourcePort()));
    }

    private static String questionKey(DnsMessage m) {
        boolean edns = m.additionals().stream().anyMatch(r -> r.type().equals(DnsType.OPT));
        return questionKey(m.question()) + (m.cd() ? " cd" : "") + (edns ? " edns" : "");
    }

    private static String questionKey(DnsQuestion q) {
        return q.name().toLowerCase(Locale.ROOT) + " " + q.type().code() + " " + q.dnsClass();
    }

    private static byte[] withId(byte[] message, int id) {
        byte[] out = message.clone();
        out[0] = (byte) (id >>> 8);
        out[1] = (byte) id;
        return out;
    }

    /** get_id: random, and not the ID of another query still on its way. */
    private int newId() {
        while (true) {
            int id = random.nextInt(0x10000);
            boolean used = false;
            for (Forward f : forwards) if (f.newId == id) used = true;
            if (!used) return id;
        }
    }

    private int randomPort() {
        while (true) {
            int p = RANDOM_PORT_MIN + random.nextInt(65536 - RANDOM_PORT_MIN);
            boolean used = false;
            for (Forward f : forwards) if (f.port == p) used = true;
            if (!used) return p;
        }
    }

    private void drop(Forward f) {
        forwards.remove(f);
        port.releaseUpstream(f.port);
    }

    private void expireForwards(long now) {
        for (Iterator<Forward> it = forwards.iterator(); it.hasNext();) {
            Forward f = it.next();
            if (now - f.created >= FORWARD_LIFETIME_SECONDS) {
                it.remove();
                port.releaseUpstream(f.port);
            }
        }
    }

    private long nowSeconds() { return lab.now() / SimTime.NANOS_PER_SECOND; }

    /** "55.122.168.192.in-addr.arpa." to 192.168.122.55. */
    static Optional<Ipv4Address> reverseAddress(String name) {
        String n = Hostnames.key(name);
        if (!n.endsWith(".in-addr.arpa")) return Optional.empty();
        String[] parts = n.substring(0, n.length() - ".in-addr.arpa".length()).split("\\.");
        if (parts.length != 4) return Optional.empty();
        try {
            int[] o = new int[4];
            for (int i = 0; i < 4; i++) {
                o[3 - i] = Integer.parseInt(parts[i]);
                if (o[3 - i] < 0 || o[3 - i] > 255 || parts[i].length() > 3) return Optional.empty();
            }
            return Optional.of(Ipv4Address.of(o[0], o[1], o[2], o[3]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** bogus-priv's ranges: RFC 1918, loopback, link-local. */
    static boolean isPrivate(Ipv4Address a) {
        return a.inPrefix(Ipv4Address.parse("10.0.0.0"), 8) || a.inPrefix(Ipv4Address.parse("172.16.0.0"), 12)
                || a.inPrefix(Ipv4Address.parse("192.168.0.0"), 16) || a.inPrefix(Ipv4Address.parse("127.0.0.0"), 8)
                || a.inPrefix(Ipv4Address.parse("169.254.0.0"), 16);
    }
}
