package org.vnetlab.emulator.differential;

import static org.vnetlab.protocols.tcp.TcpFlags.ACK;
import static org.vnetlab.protocols.tcp.TcpFlags.FIN;
import static org.vnetlab.protocols.tcp.TcpFlags.PSH;
import static org.vnetlab.protocols.tcp.TcpFlags.RST;
import static org.vnetlab.protocols.tcp.TcpFlags.SYN;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeKind;
import org.vnetlab.protocols.Ipv4Address;

/**
 * The emulated side of one oracle probe: the same socket calls oracle_probe.py makes (a raw ICMP echo, a
 * connected UDP socket, a TCP connect with an optional HTTP GET), played by a far-end machine, and the
 * same result fields (src/oracle/README.md, "Probes"). Defaults follow the harness: N is the probe's
 * 1-based position, ids 4096+N, source ports 40000+N.
 */
final class ProbeClient {
    private final Probe probe;
    private final int n;
    private final Endpoint at;
    private final Ipv4Address dst;
    private final Ipv4Address src;
    private final int ttl;
    private Outcome outcome;
    private final Map<String, String> details = new LinkedHashMap<>();
    // udp, dns, tcp
    private final int sport;
    private final int dport;
    // ping
    private final int echoId;
    private final int echoSeq;
    // tcp
    private final boolean http;
    private long sndNxt;
    private long rcvNxt;
    private boolean connected;
    private boolean finSent;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();

    ProbeClient(Probe probe, int index, Endpoint at, Ipv4Address guest) {
        this.probe = probe;
        this.n = index + 1;
        this.at = at;
        String target = probe.kind() == ProbeKind.DNS ? arg("server", null) : arg("dst", null);
        if (target == null) throw new IllegalArgumentException("probe " + probe.id() + " has no destination");
        this.dst = Ipv4Address.parse(target.replace("$guest", guest.toString()));
        this.src = probe.args().containsKey("src") ? Ipv4Address.parse(arg("src", null)) : at.sourceFor(dst);
        this.ttl = intArg("ttl", 64);
        this.echoId = intArg("id", 4096 + n);
        this.echoSeq = intArg("seq", 1);
        this.sport = intArg("sport", 40000 + n);
        this.dport = switch (probe.kind()) {
            case DNS -> intArg("port", 53);
            case UDP -> intArg("dport", 7);
            case TCP -> intArg("dport", 80);
            default -> 0;
        };
        this.http = intArg("http", 0) == 1;
        if (probe.args().containsKey("df")) throw new IllegalArgumentException("df= is not emulated by the differential rig");
    }

    private String arg(String key, String dflt) { return probe.args().getOrDefault(key, dflt); }

    private int intArg(String key, int dflt) { return Integer.parseInt(arg(key, Integer.toString(dflt))); }

    Probe probe() { return probe; }

    /** The flow the probe opens, as conntrack's original tuple shows it. */
    Flow flow() {
        return switch (probe.kind()) {
            case PING -> new Flow("icmp", src, dst, echoId, 8 << 8);
            case UDP, DNS -> new Flow("udp", src, dst, sport, dport);
            case TCP -> new Flow("tcp", src, dst, sport, dport);
            default -> throw new IllegalStateException("no flow for " + probe.kind());
        };
    }

    /** A probe's flow: protocol name as conntrack prints it, addresses, source port or echo id, destination port. */
    record Flow(String protocol, Ipv4Address source, Ipv4Address destination, int sourceKey, int destinationKey) {}

    void start() {
        switch (probe.kind()) {
            case PING -> {
                byte[] body = new byte[intArg("size", 56)];
                for (int i = 0; i < body.length; i++) body[i] = (byte) (i + 0x10);
                // a raw socket with the default PMTU discovery: DF set
                at.send(Datagrams.echo(true, src, dst, ttl, at.nextIpId(), true, echoId, echoSeq, body));
            }
            case UDP -> at.send(Datagrams.udp(src, sport, dst, dport, ttl, at.nextIpId(), false,
                    arg("payload", "vnetlab-oracle").getBytes(StandardCharsets.US_ASCII)));
            case DNS -> at.send(Datagrams.udp(src, sport, dst, dport, ttl, at.nextIpId(), false,
                    Dns.query(intArg("qid", 4096 + n), arg("name", "google.com"))));
            case TCP -> {
                sndNxt = 1_000_000L * n;
                at.send(tcp(sndNxt, 0, SYN, 64240, Datagrams.SYN_OPTIONS, new byte[0]));
                sndNxt++;
            }
            default -> throw new IllegalArgumentException("probe kind " + probe.kind() + " is not emulated by the differential rig");
        }
    }

    private io.netty.buffer.ByteBuf tcp(long seq, long ack, int flags, int window, List<org.vnetlab.protocols.tcp.TcpOption> options,
                                        byte[] payload) {
        return Datagrams.tcp(src, sport, dst, dport, ttl, at.nextIpId(), seq, ack, flags, window, options, payload);
    }

    /** Offers an arriving datagram to the probe's socket; true when it was the socket's. */
    boolean receive(Ip ip) {
        if (ip.isIcmpError()) return icmpError(ip);
        return switch (probe.kind()) {
            case PING -> ip.protocol() == Ip.ICMP && ip.icmpType() == 0 && ip.icmpId() == echoId
                    && ip.icmpSequence() == echoSeq && echoReply(ip);
            case UDP, DNS -> ip.protocol() == Ip.UDP && ip.source().equals(dst) && ip.sourcePort() == dport
                    && ip.destinationPort() == sport && datagram(ip);
            case TCP -> ip.protocol() == Ip.TCP && ip.source().equals(dst) && ip.sourcePort() == dport
                    && ip.destinationPort() == sport && segment(ip);
            default -> false;
        };
    }

    private boolean echoReply(Ip ip) {
        if (outcome == null) {
            outcome = Outcome.REPLY;
            details.put("reply_from", ip.source().toString());
            details.put("reply_ttl", Integer.toString(ip.ttl()));
            details.put("reply_tos", String.format("0x%02x", ip.tos()));
        }
        return true;
    }

    private boolean datagram(Ip ip) {
        if (outcome != null) return true;
        details.put("sport", Integer.toString(sport));
        details.put("reply_from", ip.source() + ":" + ip.sourcePort());
        if (probe.kind() == ProbeKind.DNS) {
            outcome = Outcome.ANSWER;
            details.put("rcode", Dns.rcode(ip.payload()));
        } else {
            outcome = Outcome.REPLY;
            details.put("reply_len", Integer.toString(ip.payload().length));
        }
        return true;
    }

    private boolean segment(Ip ip) {
        if (ip.has(RST)) {
            if (!connected && outcome == null) {
                outcome = Outcome.RESET;
                details.put("sport", Integer.toString(sport));
            } else if (connected && http && !details.containsKey("http_status")) {
                details.put("http_status", "error:ECONNRESET"); // recv() fails, as the probe reports it
            }
            return true;
        }
        if (!connected) {
            if (!ip.has(SYN) || !ip.has(ACK) || ip.acknowledgment() != sndNxt) return true;
            if (outcome != null) return true; // an ICMP error already ended the probe
            connected = true;
            if (!http) {
                throw new IllegalStateException("probe " + probe.id() + " connected with http=0: the real probe closes at once and "
                        + "races the server; differential specs use http=1 for connections that succeed");
            }
            rcvNxt = ip.sequence() + 1;
            outcome = Outcome.CONNECTED;
            details.put("sport", Integer.toString(sport));
            at.send(tcp(sndNxt, rcvNxt, ACK, 502, Datagrams.timestamps(2, 1), new byte[0]));
            byte[] get = ("GET / HTTP/1.0\r\nHost: " + dst + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            at.send(tcp(sndNxt, rcvNxt, PSH | ACK, 502, Datagrams.timestamps(2, 1), get));
            sndNxt += get.length;
            return true;
        }
        byte[] data = ip.payload();
        if (data.length > 0 && ip.sequence() == rcvNxt) {
            received.writeBytes(data);
            rcvNxt += data.length;
            String text = received.toString(StandardCharsets.ISO_8859_1);
            if (!details.containsKey("http_status") && text.contains("\r\n")) {
                String line = text.substring(0, text.indexOf("\r\n"));
                details.put("http_status", line.startsWith("HTTP/") ? line.split(" ")[1] : "none");
            }
        }
        if (ip.has(FIN) && !finSent) {
            // the client read the response and closes: its FIN acknowledges the server's
            rcvNxt++;
            at.send(tcp(sndNxt, rcvNxt, FIN | ACK, 502, Datagrams.timestamps(3, 2), new byte[0]));
            sndNxt++;
            finSent = true;
        }
        return true;
    }

    private boolean icmpError(Ip e) {
        Ip q = e.quoted().orElse(null);
        if (q == null || !q.destination().equals(dst) || !q.source().equals(src)) return false;
        boolean mine = switch (probe.kind()) {
            case PING -> q.protocol() == Ip.ICMP && q.icmpType() == 8 && q.icmpId() == echoId;
            case UDP, DNS -> q.protocol() == Ip.UDP && q.sourcePort() == sport && q.destinationPort() == dport;
            case TCP -> q.protocol() == Ip.TCP && q.sourcePort() == sport && q.destinationPort() == dport;
            default -> false;
        };
        if (!mine) return false;
        if (outcome == null && !connected) {
            outcome = Outcome.ICMP_ERROR;
            if (probe.kind() != ProbeKind.PING) details.put("sport", Integer.toString(sport));
            details.put("icmp_type", Integer.toString(e.icmpType()));
            details.put("icmp_code", Integer.toString(e.icmpCode()));
            details.put("icmp_from", e.source().toString());
            details.put("icmp_ttl", Integer.toString(e.ttl()));
            details.put("icmp_tos", String.format("0x%02x", e.tos()));
            details.put("icmp_len", Integer.toString(e.totalLength()));
            details.put("quoted_src", q.source().toString());
            details.put("quoted_dst", q.destination().toString());
            details.put("quoted_ttl", Integer.toString(q.ttl()));
            if (q.protocol() == Ip.TCP || q.protocol() == Ip.UDP) {
                details.put("quoted_sport", Integer.toString(q.sourcePort()));
                details.put("quoted_dport", Integer.toString(q.destinationPort()));
            }
        }
        return true;
    }

    /** The result as results.tsv would carry it; nothing back means the probe timed out. */
    org.vnetlab.emulator.oracle.ProbeResult result(String inetSeen) {
        Map<String, String> d = new LinkedHashMap<>();
        Outcome o = outcome == null ? Outcome.TIMEOUT : outcome;
        if (outcome == null && probe.kind() != ProbeKind.PING) d.put("sport", Integer.toString(sport));
        if (probe.kind() == ProbeKind.PING) {
            d.put("echo_id", Integer.toString(echoId));
            d.put("ttl_sent", Integer.toString(ttl));
        }
        d.putAll(details);
        d.put("inet_seen", inetSeen);
        return new org.vnetlab.emulator.oracle.ProbeResult(probe.id(), probe.kind(), at.name(), o, d);
    }
}
