package org.vnetlab.emulator.selftests;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Predicate;
import org.vnetlab.emulator.oracle.OracleSpec;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeKind;
import org.vnetlab.emulator.oracle.ProbeResult;
import org.vnetlab.emulator.oracle.RuleCounters;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.stack.Errno;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.PingSocket;
import org.vnetlab.emulator.stack.SendOptions;
import org.vnetlab.emulator.stack.SocketError;
import org.vnetlab.emulator.stack.SocketException;
import org.vnetlab.emulator.stack.TcpConnection;
import org.vnetlab.emulator.stack.UdpSocket;
import org.vnetlab.protocols.Ipv4Address;

/**
 * A spec's probes run on the {@link Rig} the way the oracle's probe program runs them in the namespaces: the
 * same ids, echo ids, ports, payloads and timeouts, and results with the same outcome words and detail keys
 * as results.tsv, plus the snapshots the harness takes after each probe (counters and conntrack of every
 * namespace with a ruleset). Each probe waits, in virtual time, until it is answered or times out, then
 * {@code settle.ms}.
 */
final class EmulatedRun {
    private final Rig rig;
    private final List<ProbeResult> results = new ArrayList<>();
    /** role -> snapshots: index 0 the baseline, n after probe n. */
    private final Map<String, List<String>> counters = new LinkedHashMap<>();
    private final Map<String, List<List<String>>> conntrack = new LinkedHashMap<>();

    private EmulatedRun(Rig rig) { this.rig = rig; }

    /** Builds the rig of {@code spec} and runs its probes. */
    static EmulatedRun of(OracleSpec spec) { return run(Rig.of(spec), spec); }

    static EmulatedRun run(Rig rig, OracleSpec spec) {
        EmulatedRun run = new EmulatedRun(rig);
        run.snapshot();
        int n = 0;
        for (Probe p : spec.probes()) {
            n++;
            run.results.add(run.execute(p, n));
            rig.lab.scheduler().runFor(rig.settleNanos);
            run.snapshot();
        }
        return run;
    }

    Rig rig() { return rig; }

    List<ProbeResult> probes() { return List.copyOf(results); }

    ProbeResult probe(String id) {
        return results.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no probe " + id));
    }

    private int index(String id) { return results.indexOf(probe(id)); }

    RuleCounters countersAfter(String id, String role) { return RuleCounters.parse(counters.get(role).get(index(id) + 1).lines().toList()); }

    RuleCounters countersAfter(String id) { return countersAfter(id, "host"); }

    Map<String, Long> counterDeltas(String id, String role) {
        RuleCounters before = RuleCounters.parse(counters.get(role).get(index(id)).lines().toList());
        return countersAfter(id, role).packetsSince(before);
    }

    Map<String, Long> counterDeltas(String id) { return counterDeltas(id, "host"); }

    List<String> conntrackAfter(String id, String role) { return conntrack.get(role).get(index(id) + 1); }

    List<String> conntrackAfter(String id) { return conntrackAfter(id, "host"); }

    /** Baseline (index 0) and after each probe; a namespace that got its ruleset from a probe has empty ones before. */
    private void snapshot() {
        for (String role : rig.firewalls.keySet()) {
            List<String> c = counters.computeIfAbsent(role, r -> new ArrayList<>());
            List<List<String>> t = conntrack.computeIfAbsent(role, r -> new ArrayList<>());
            while (c.size() < results.size()) c.add("");
            while (t.size() < results.size()) t.add(List.of());
            c.add(rig.firewall(role).save());
            t.add(rig.conntrack(role));
        }
    }

    // ------------------------------------------------------------------ probes

    private String arg(Probe p, String key, String fallback) { return p.args().getOrDefault(key, fallback); }

    private int intArg(Probe p, String key, int fallback) { return Integer.parseInt(arg(p, key, Integer.toString(fallback))); }

    private Ipv4Address dst(Probe p, String key) {
        String v = arg(p, key, "");
        if (v.equals("$guest")) return rig.guestAddress;
        return Ipv4Address.parse(v);
    }

    private ProbeResult execute(Probe p, int n) {
        String from = arg(p, "from", p.kind() == ProbeKind.IPTABLES || p.kind() == ProbeKind.SYSCTL ? "host" : "guest");
        long timeout = arg(p, "timeout", null) != null ? (long) (Double.parseDouble(arg(p, "timeout", "2")) * 1e9) : rig.probeTimeoutNanos;
        Map<String, String> d = new LinkedHashMap<>();
        long start = rig.lab.now();
        Outcome outcome = switch (p.kind()) {
            case SLEEP -> {
                rig.lab.scheduler().runFor(SimTime.millis(intArg(p, "ms", 500)));
                yield Outcome.SLEPT;
            }
            case IPTABLES -> {
                rig.iptables(from, Path.of(arg(p, "file", "")));
                d.put("file", arg(p, "file", ""));
                yield Outcome.LOADED;
            }
            case SYSCTL -> {
                rig.sysctl(from, arg(p, "key", ""), arg(p, "value", ""));
                d.put("key", arg(p, "key", ""));
                d.put("value", arg(p, "value", ""));
                yield Outcome.SET;
            }
            case PING -> ping(p, n, from, timeout, d);
            case UDP -> udp(p, n, from, timeout, d);
            case TCP -> tcp(p, n, from, timeout, d);
            case DNS -> dns(p, n, from, timeout, d);
            case DHCP -> dhcp(p, from, d);
        };
        if (p.kind() != ProbeKind.SLEEP && p.kind() != ProbeKind.IPTABLES && p.kind() != ProbeKind.SYSCTL) {
            d.put("inet_seen", String.join(",", rig.inetSeen(start)));
        }
        return new ProbeResult(p.id(), p.kind(), from, outcome, d);
    }

    private SendOptions options(Probe p, IpStack s, String defaultDf) {
        String df = arg(p, "df", defaultDf);
        SendOptions.Pmtu pmtu = switch (df) {
            case "0" -> SendOptions.Pmtu.DONT;
            case "1" -> SendOptions.Pmtu.DO;
            default -> SendOptions.Pmtu.WANT;
        };
        SendOptions o = SendOptions.defaults(pmtu).withTtl(intArg(p, "ttl", 64));
        if (p.args().containsKey("src")) o = o.withSource(Ipv4Address.parse(arg(p, "src", "")));
        return o;
    }

    /** The first ICMP error received by {@code role} since {@code start} whose quote satisfies {@code quote}. */
    private Optional<Map<String, String>> icmpError(String role, long start, Predicate<Map<String, String>> quote) {
        for (ByteBuf f : rig.receivedBy(role, start)) {
            Optional<byte[]> ip = Packets.ipv4(ByteBufUtil.getBytes(f));
            if (ip.isEmpty()) continue;
            Optional<Map<String, String>> e = Packets.icmpError(ip.get());
            if (e.isPresent() && quote.test(e.get())) return e;
        }
        return Optional.empty();
    }

    /** ICMP_ERROR with the error's details when {@code role} received one matching {@code quote} since {@code start}; else TIMEOUT. */
    private Outcome icmpErrorOrTimeout(String role, long start, Predicate<Map<String, String>> quote, Map<String, String> d) {
        Optional<Map<String, String>> e = icmpError(role, start, quote);
        e.ifPresent(d::putAll);
        return e.isPresent() ? Outcome.ICMP_ERROR : Outcome.TIMEOUT;
    }

    private Outcome ping(Probe p, int n, String from, long timeout, Map<String, String> d) {
        IpStack s = rig.get(from);
        int id = intArg(p, "id", 4096 + n);
        int seq = intArg(p, "seq", 1);
        Ipv4Address dst = dst(p, "dst");
        byte[] data = new byte[intArg(p, "size", 56)];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i + 0x10);
        List<PingSocket.Reply> replies = new ArrayList<>();
        List<PingSocket.Failure> failures = new ArrayList<>();
        PingSocket ping = s.openPing(id).setOptions(options(p, s, "kernel")).setBroadcast(true)
                .onReply(replies::add).onFailure(failures::add);
        long start = rig.lab.now();
        d.put("echo_id", Integer.toString(id));
        d.put("seq", Integer.toString(seq));
        try {
            ping.send(dst, seq, data);
            rig.lab.scheduler().runUntil(() -> !replies.isEmpty() || !failures.isEmpty(), timeout);
        } catch (SocketException e) {
            d.put("problem", "sendto: " + e.errno());
            ping.close();
            return Outcome.ERROR;
        }
        ping.close();
        if (!replies.isEmpty()) {
            PingSocket.Reply r = replies.get(0);
            d.put("reply_from", r.from().toString());
            d.put("reply_ttl", Integer.toString(r.ttl()));
            return Outcome.REPLY;
        }
        return icmpErrorOrTimeout(from, start, q -> q.get("quoted_proto").equals("1")
                && Integer.toString(id).equals(q.get("quoted_echo_id")) && q.get("quoted_dst").equals(dst.toString()), d);
    }

    /** What a probe does on its UDP socket: bind, send, wait in virtual time. */
    private interface UdpExchange {
        void run(UdpSocket sock) throws SocketException;
    }

    /**
     * Runs {@code exchange} on a new UDP socket of {@code s} with the probe's options, then closes it; false,
     * with the errno as {@code problem}, when a socket call failed.
     */
    private boolean udpExchange(Probe p, IpStack s, String what, Map<String, String> d, UdpExchange exchange) {
        UdpSocket sock = s.openUdp();
        try {
            sock.setOptions(options(p, s, "0"));
            exchange.run(sock);
            return true;
        } catch (SocketException e) {
            d.put("problem", what + ": " + e.errno());
            return false;
        } finally {
            sock.close();
        }
    }

    private Outcome udp(Probe p, int n, String from, long timeout, Map<String, String> d) {
        IpStack s = rig.get(from);
        Ipv4Address dst = dst(p, "dst");
        int dport = intArg(p, "dport", 7);
        int sport = intArg(p, "sport", 40000 + n);
        int count = intArg(p, "count", 1);
        byte[] payload = p.args().containsKey("hex") ? HexFormat.of().parseHex(arg(p, "hex", ""))
                : arg(p, "payload", "vnetlab-oracle").getBytes(StandardCharsets.UTF_8);
        List<UdpSocket.Datagram> replies = new ArrayList<>();
        List<SocketError> errors = new ArrayList<>();
        long start = rig.lab.now();
        boolean ran = udpExchange(p, s, "udp", d, sock -> {
            sock.bind(p.args().containsKey("src") ? Ipv4Address.parse(arg(p, "src", "")) : Ipv4Address.ANY, sport);
            sock.onReceive(replies::add).onError(errors::add);
            if (count > 1) {
                for (int i = 0; i < count; i++) sock.sendTo(dst, dport, payload);
            } else {
                sock.connect(dst, dport);
                sock.send(payload);
            }
            rig.lab.scheduler().runUntil(() -> replies.size() >= count || (count == 1 && !errors.isEmpty()), timeout);
        });
        if (!ran) return Outcome.ERROR;
        d.put("sport", Integer.toString(sport));
        if (count > 1) {
            d.put("sent", Integer.toString(count));
            d.put("replies", Integer.toString(replies.size()));
            List<String> peers = replies.stream().map(r -> r.source() + ":" + r.sourcePort()).distinct().toList();
            if (!peers.isEmpty()) d.put("reply_from", String.join(",", peers));
            return replies.isEmpty() ? Outcome.TIMEOUT : Outcome.REPLY;
        }
        if (!replies.isEmpty()) {
            UdpSocket.Datagram r = replies.get(0);
            d.put("reply_from", r.source() + ":" + r.sourcePort());
            d.put("reply_len", Integer.toString(r.data().length));
            byte[] data = r.data();
            d.put("reply_hex", HexFormat.of().formatHex(data, 0, Math.min(64, data.length)));
            return Outcome.REPLY;
        }
        return icmpErrorOrTimeout(from, start, q -> q.get("quoted_proto").equals("17")
                && Integer.toString(sport).equals(q.get("quoted_sport")) && Integer.toString(dport).equals(q.get("quoted_dport"))
                && q.get("quoted_dst").equals(dst.toString()), d);
    }

    private Outcome dns(Probe p, int n, String from, long timeout, Map<String, String> d) {
        IpStack s = rig.get(from);
        Ipv4Address server = dst(p, "server");
        int port = intArg(p, "port", 53);
        int sport = intArg(p, "sport", 40000 + n);
        int qid = intArg(p, "qid", 4096 + n);
        byte[] query = Packets.dnsQuery(arg(p, "name", "google.com"), qid, intArg(p, "qtype", 1), intArg(p, "edns", 1) == 1);
        List<UdpSocket.Datagram> replies = new ArrayList<>();
        List<SocketError> errors = new ArrayList<>();
        long start = rig.lab.now();
        boolean ran = udpExchange(p, s, "dns", d, sock -> {
            sock.bind(Ipv4Address.ANY, sport);
            sock.onReceive(replies::add).onError(errors::add);
            sock.connect(server, port);
            sock.send(query);
            rig.lab.scheduler().runUntil(() -> !replies.isEmpty() || !errors.isEmpty(), timeout);
        });
        if (!ran) return Outcome.ERROR;
        d.put("sport", Integer.toString(sport));
        if (!replies.isEmpty()) {
            UdpSocket.Datagram r = replies.get(0);
            d.put("reply_from", r.source() + ":" + r.sourcePort());
            d.putAll(Packets.dnsAnswer(r.data(), qid));
            return Outcome.ANSWER;
        }
        return icmpErrorOrTimeout(from, start, q -> q.get("quoted_proto").equals("17")
                && Integer.toString(sport).equals(q.get("quoted_sport")), d);
    }

    /**
     * oracle_probe.py's dhcp: udhcpc's DISCOVER every {@code retry} seconds until an OFFER, then its REQUEST
     * until an ACK or NAK, from a packet socket on the guest's eth0 that may use another client MAC. Replies
     * are read from everything reaching eth0, as the probe's packet socket reads them (it also gets frames
     * for a MAC not the interface's). With {@code configure=1} the lease is put on eth0, as the harness does.
     */
    private Outcome dhcp(Probe p, String from, Map<String, String> d) {
        if (!from.equals("guest")) throw new IllegalArgumentException("dhcp runs in the guest");
        IpStack s = rig.get("guest");
        byte[] mac = org.vnetlab.protocols.MacAddress.parse(arg(p, "mac", "52:54:00:aa:bb:01")).toBytes();
        List<Integer> params = java.util.Arrays.stream(arg(p, "params", "1,3,6,12,15,28,42").split(",")).map(Integer::parseInt).toList();
        String vendor = arg(p, "vendor", "udhcp 1.35.0");
        long xid = Long.decode(arg(p, "xid", "0x9489b65b"));
        long retry = (long) (Double.parseDouble(arg(p, "retry", "3")) * 1e9);
        long start = rig.lab.now();
        long deadline = start + (long) (Double.parseDouble(arg(p, "timeout", "12")) * 1e9);
        org.vnetlab.emulator.stack.PacketSocket raw = s.openPacketSocket("eth0", f -> { });
        try {
            byte[] discover = Packets.dhcpFrame(mac, xid, Packets.dhcpClientOptions(1, mac, params, vendor, new byte[0]));
            int[] discovers = {0};
            Optional<Packets.DhcpReply> offer = exchange(raw, discover, mac, xid, List.of(2), start, deadline, retry, discovers);
            d.put("xid", String.format("0x%08x", xid));
            if (offer.isEmpty()) {
                d.put("stage", "offer");
                d.put("discovers", Integer.toString(discovers[0]));
                return Outcome.TIMEOUT;
            }
            long offerMs = (rig.lab.now() - start) / 1_000_000L;
            java.io.ByteArrayOutputStream extra = new java.io.ByteArrayOutputStream();
            extra.writeBytes(new byte[] {50, 4});
            extra.writeBytes(Ipv4Address.parse(offer.get().yiaddr()).toBytes());
            byte[] server = offer.get().options().get(54);
            if (server != null) {
                extra.writeBytes(new byte[] {54, 4});
                extra.writeBytes(server);
            }
            byte[] request = Packets.dhcpFrame(mac, xid, Packets.dhcpClientOptions(3, mac, params, vendor, extra.toByteArray()));
            int[] requests = {0};
            long acked = rig.lab.now();
            Optional<Packets.DhcpReply> ack = exchange(raw, request, mac, xid, List.of(5, 6), acked, deadline, retry, requests);
            if (ack.isEmpty()) {
                d.put("stage", "ack");
                return Outcome.TIMEOUT;
            }
            Packets.DhcpReply a = ack.get();
            Packets.DhcpReply o = offer.get();
            boolean lease = a.type() == 5;
            if (lease) d.put("address", a.yiaddr());
            a.address(54).ifPresent(v -> d.put("server", v));
            d.put("siaddr", a.siaddr());
            a.address(1).ifPresent(v -> d.put("mask", v));
            a.address(3).ifPresent(v -> d.put("router", v));
            a.address(6).ifPresent(v -> d.put("dns", v));
            a.address(28).ifPresent(v -> d.put("broadcast", v));
            a.number(51).ifPresent(v -> d.put("lease_time", v));
            a.number(58).ifPresent(v -> d.put("t1", v));
            a.number(59).ifPresent(v -> d.put("t2", v));
            a.text(15).ifPresent(v -> d.put("domain", v));
            a.text(12).ifPresent(v -> d.put("hostname", v));
            d.put("offer_options", o.orderText());
            d.put("ack_options", a.orderText());
            d.put("offer_eth_dst", o.ethDst());
            d.put("offer_ip_dst", o.ipDst());
            d.put("offer_ip_src", o.ipSrc());
            d.put("offer_tos", String.format("0x%02x", o.tos()));
            d.put("offer_ttl", Integer.toString(o.ttl()));
            d.put("offer_df", Integer.toString(o.df()));
            d.put("offer_udp_len", Integer.toString(o.udpLen()));
            d.put("offer_flags", String.format("0x%04x", o.flags()));
            d.put("ack_eth_dst", a.ethDst());
            d.put("ack_tos", String.format("0x%02x", a.tos()));
            d.put("ack_udp_len", Integer.toString(a.udpLen()));
            d.put("discovers", Integer.toString(discovers[0]));
            d.put("requests", Integer.toString(requests[0]));
            d.put("offer_ms", Long.toString(offerMs));
            if (lease && intArg(p, "configure", 1) == 1) {
                int prefix = Integer.bitCount((int) Ipv4Address.parse(a.address(1).orElse("255.255.255.0")).bits());
                s.addAddress("eth0", a.yiaddr() + "/" + prefix);
                a.address(3).ifPresent(r -> s.addDefaultRoute(Ipv4Address.parse(r.split(",")[0]), "eth0", 0));
                rig.guestAddress = Ipv4Address.parse(a.yiaddr());
            }
            return lease ? Outcome.LEASE : Outcome.NAK;
        } catch (SocketException e) {
            d.put("problem", "packet socket: " + e.errno());
            return Outcome.ERROR;
        } finally {
            raw.close();
        }
    }

    private Optional<Packets.DhcpReply> exchange(org.vnetlab.emulator.stack.PacketSocket raw, byte[] frame, byte[] mac, long xid,
                                                 List<Integer> types, long since, long deadline, long retry, int[] sent)
            throws SocketException {
        long nextSend = rig.lab.now();
        while (rig.lab.now() < deadline) {
            if (rig.lab.now() >= nextSend) {
                raw.send(io.netty.buffer.Unpooled.wrappedBuffer(frame));
                sent[0]++;
                nextSend = rig.lab.now() + retry;
            }
            Optional<Packets.DhcpReply> got = reply(mac, xid, types, since);
            if (got.isPresent()) return got;
            long wait = Math.min(deadline, nextSend) - rig.lab.now();
            rig.lab.scheduler().runUntil(() -> reply(mac, xid, types, since).isPresent(), wait);
            Optional<Packets.DhcpReply> after = reply(mac, xid, types, since);
            if (after.isPresent()) return after;
        }
        return Optional.empty();
    }

    private Optional<Packets.DhcpReply> reply(byte[] mac, long xid, List<Integer> types, long since) {
        for (Rig.Frame f : rig.received) {
            if (f.time() < since || !f.path().equals("guest/eth0")) continue;
            Optional<Packets.DhcpReply> r = Packets.dhcpReply(f.bytes(), mac, xid);
            if (r.isPresent() && types.contains(r.get().type())) return r;
        }
        return Optional.empty();
    }

    private Outcome tcp(Probe p, int n, String from, long timeout, Map<String, String> d) {
        IpStack s = rig.get(from);
        Ipv4Address dst = dst(p, "dst");
        int dport = intArg(p, "dport", 80);
        int sport = intArg(p, "sport", 40000 + n);
        boolean http = intArg(p, "http", 0) == 1;
        List<String> events = new ArrayList<>();
        StringBuilder response = new StringBuilder();
        SocketError[] failure = new SocketError[1];
        long start = rig.lab.now();
        TcpConnection c;
        try {
            c = s.connect(dst, dport, sport, new TcpConnection.Handler() {
                @Override
                public void connected(TcpConnection conn) {
                    events.add("connected");
                    if (http) {
                        try {
                            conn.write(("GET / HTTP/1.0\r\nHost: " + dst + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        } catch (SocketException e) {
                            events.add("write failed");
                        }
                    }
                }

                @Override
                public void received(TcpConnection conn, byte[] data) { response.append(new String(data, StandardCharsets.ISO_8859_1)); }

                @Override
                public void failed(TcpConnection conn, SocketError error) {
                    failure[0] = error;
                    events.add("failed");
                }
            });
        } catch (SocketException e) {
            d.put("sport", Integer.toString(sport));
            d.put("errno", e.errno().name());
            return Outcome.ERROR;
        }
        d.put("sport", Integer.toString(sport));
        rig.lab.scheduler().runUntil(() -> events.contains("failed")
                || (events.contains("connected") && (!http || response.indexOf("\r\n") >= 0)), timeout);
        if (events.contains("connected")) {
            d.put("local", c.localAddress() + ":" + c.localPort());
            if (http) {
                String line = response.indexOf("\r\n") >= 0 ? response.substring(0, response.indexOf("\r\n")) : "";
                d.put("http_status", line.startsWith("HTTP/") ? line.split(" ")[1] : "none");
            }
            c.close();
            return Outcome.CONNECTED;
        }
        Optional<Map<String, String>> e = icmpError(from, start, q -> q.get("quoted_proto").equals("6")
                && Integer.toString(sport).equals(q.get("quoted_sport")) && Integer.toString(dport).equals(q.get("quoted_dport")));
        if (e.isPresent()) {
            d.putAll(e.get());
            if (failure[0] != null) d.put("errno", failure[0].errno().name());
            c.abort();
            return Outcome.ICMP_ERROR;
        }
        if (failure[0] != null && failure[0].errno() == Errno.ECONNREFUSED) return Outcome.RESET;
        if (failure[0] != null) {
            d.put("errno", failure[0].errno().name());
            return Outcome.ERROR;
        }
        c.abort();
        return Outcome.TIMEOUT;
    }
}
