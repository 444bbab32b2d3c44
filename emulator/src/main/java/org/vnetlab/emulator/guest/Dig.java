package org.vnetlab.emulator.guest;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsQuestion;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;

/**
 * BIND 9.18's {@code dig} (Debian 12's): the query as in the reference capture (RD and AD set, EDNS0 with
 * a 1232-byte UDP size and an 8-byte client COOKIE), up to 3 tries 5 s apart ({@code +tries}, {@code +timeout});
 * an ICMP port unreachable ends it at once ("connection refused"). Full output with header, sections and
 * statistics, or {@code +short}. Exit status 0 with an answer (whatever its rcode), 9 when no server answered.
 */
final class Dig implements Command {
    static final String VERSION = "9.18.28-1~deb12u2-Debian";
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss 'UTC' yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private final List<String> args;
    private final String server;
    private final String name;
    private final DnsType type;
    private final int port;
    private final boolean shortForm;
    private final int timeoutSeconds;
    private final int tries;

    private Run run;
    private Ipv4Address serverAddress;
    private UdpSocket socket;
    private int id;
    private int attempt;
    private long sentAt;
    private Timer timer;
    private final List<String> errors = new ArrayList<>();

    private Dig(List<String> args, String server, String name, DnsType type, int port, boolean shortForm, int timeout, int tries) {
        this.args = args;
        this.server = server;
        this.name = name;
        this.type = type;
        this.port = port;
        this.shortForm = shortForm;
        this.timeoutSeconds = timeout;
        this.tries = tries;
    }

    static Dig parse(List<String> args) throws CommandException {
        String server = null, name = null;
        DnsType type = DnsType.A;
        int port = 53, timeout = 5, tries = 3;
        boolean shortForm = false;
        Args a = new Args(args);
        while (a.more()) {
            String w = a.next();
            if (w.startsWith("@")) {
                server = w.substring(1);
                if (!StubResolver.isAddress(server)) throw new CommandException(w, "give the server as an IPv4 address");
            } else if (w.startsWith("+")) {
                String opt = w.substring(1).toLowerCase(Locale.ROOT);
                if (opt.equals("short")) shortForm = true;
                else if (opt.startsWith("timeout=") || opt.startsWith("time=")) {
                    timeout = (int) Args.number(w, opt.substring(opt.indexOf('=') + 1), 1, 300, ";; Invalid option " + w + "\n");
                } else if (opt.startsWith("tries=")) {
                    tries = (int) Args.number(w, opt.substring(6), 1, 100, ";; Invalid option " + w + "\n");
                } else if (opt.startsWith("retry=")) {
                    tries = 1 + (int) Args.number(w, opt.substring(6), 0, 99, ";; Invalid option " + w + "\n");
                } else {
                    throw new CommandException(w, "dig option not emulated", "Invalid option: " + w + "\n", 1);
                }
            } else if (w.equals("-p")) {
                port = (int) Args.number(w, a.value(w, "dig: option requires an argument -- 'p'\n"), 1, 65535, "dig: invalid port\n");
            } else if (w.startsWith("-")) {
                throw new CommandException(w, "dig option not emulated", "Invalid option: " + w + "\n", 1);
            } else if (name == null) {
                name = w;
            } else if (w.equalsIgnoreCase("A") || w.equalsIgnoreCase("AAAA") || w.equalsIgnoreCase("CNAME")
                    || w.equalsIgnoreCase("PTR") || w.equalsIgnoreCase("MX") || w.equalsIgnoreCase("TXT")) {
                type = DnsType.parse(w.toUpperCase(Locale.ROOT));
            } else {
                throw new CommandException(w, "dig takes one name and one type here");
            }
        }
        if (name == null) throw new CommandException("dig", "querying the root NS set is not emulated: give a name");
        return new Dig(args, server, name, type, port, shortForm, timeout, tries);
    }

    @Override
    public void start(Run r) {
        run = r;
        if (server != null) {
            serverAddress = Ipv4Address.parse(server);
        } else {
            List<Ipv4Address> servers = run.net().config().map(Ipv4Config::dnsServers).orElse(List.of());
            // resolv.conf without nameservers: dig falls back to the local host
            serverAddress = servers.isEmpty() ? Ipv4Address.parse("127.0.0.1") : servers.get(0);
        }
        socket = run.net().openUdp(0, new UdpSocket.Listener() {
            @Override public void datagram(Ipv4Address from, int fromPort, byte[] payload) { received(from, fromPort, payload); }

            @Override public void error(Ipv4Address from, int t, int code) {
                if (timer == null || !timer.isPending()) return;
                timer.cancel();
                errors.add(";; communications error to " + serverAddress + "#" + port + ": "
                        + (t == 3 && code == 3 ? "connection refused" : "host unreachable"));
                giveUp(new Outcome.Unreachable(t, code, from));
            }

            @Override public void sendFailed(String reason) {
                if (timer != null) timer.cancel();
                errors.add(";; UDP setup with " + serverAddress + "#" + port + "(" + serverAddress + ") for " + name
                        + " failed: network unreachable.");
                giveUp(new Outcome.SendFailed(reason));
            }
        });
        run.onFinish(socket::close);
        send();
    }

    static byte[] query(int id, String name, DnsType type, byte[] cookie) {
        // OPT: option 10 (COOKIE), 8 bytes of client cookie
        byte[] rdata = new byte[12];
        rdata[1] = 10;
        rdata[3] = 8;
        System.arraycopy(cookie, 0, rdata, 4, 8);
        DnsMessage q = new DnsMessage(id, DnsMessage.FLAG_RD | DnsMessage.FLAG_AD, List.of(DnsQuestion.of(name, type)),
                List.of(), List.of(), List.of(new DnsRecord(".", DnsType.OPT, 1232, 0, rdata)));
        return q.toWire();
    }

    private void send() {
        if (run.done()) return;
        attempt++;
        id = run.guest().random().nextInt(0x10000);
        byte[] cookie = new byte[8];
        for (int i = 0; i < 8; i++) cookie[i] = (byte) run.guest().random().nextInt(256);
        sentAt = run.now();
        timer = run.after(SimTime.seconds(timeoutSeconds), "dig timeout", () -> {
            errors.add(";; communications error to " + serverAddress + "#" + port + ": timed out");
            if (attempt < tries) send();
            else giveUp(new Outcome.Timeout());
        });
        socket.send(serverAddress, port, query(id, name, type, cookie));
    }

    private void giveUp(Outcome outcome) {
        for (String e : errors) run.line(e);
        if (!shortForm) {
            header();
        }
        run.line(";; no servers could be reached");
        if (!shortForm) run.line();
        run.outcome(outcome);
        run.finish(9);
    }

    private void header() {
        run.line();
        run.line("; <<>> DiG " + VERSION + " <<>> " + String.join(" ", args));
        if (server != null) run.line("; (1 server found)");
        run.line(";; global options: +cmd");
    }

    private void received(Ipv4Address from, int fromPort, byte[] payload) {
        if (run.done() || timer == null || !timer.isPending() || fromPort != port || !from.equals(serverAddress)) return;
        Optional<DnsMessage> response = StubResolver.responseTo(id, payload);
        if (response.isEmpty()) return;
        DnsMessage m = response.get();
        timer.cancel();
        long rttMs = (run.now() - sentAt) / SimTime.NANOS_PER_MILLI;
        for (String e : errors) run.line(e);
        if (shortForm) {
            for (DnsRecord rr : m.answers()) run.line(rdata(rr));
        } else {
            full(m, rttMs, payload.length);
        }
        run.outcome(outcomeOf(m));
        run.finish(0);
    }

    private Outcome outcomeOf(DnsMessage m) {
        DnsRcode rc = m.rcode();
        if (rc.equals(DnsRcode.NXDOMAIN)) return new Outcome.NxDomain(name);
        if (!rc.equals(DnsRcode.NOERROR)) return new Outcome.ServFail(name, rc.name());
        StubResolver.Answer a = StubResolver.interpret(m);
        if (a instanceof StubResolver.Answer.Addresses found) {
            List<String> aliases = new ArrayList<>();
            for (String s : found.aliases()) aliases.add(Nslookup.stripDot(s));
            return new Outcome.Resolved(name, found.addresses(), aliases);
        }
        return new Outcome.NoData(name);
    }

    private void full(DnsMessage m, long rttMs, int size) {
        header();
        run.line(";; Got answer:");
        run.line(";; ->>HEADER<<- opcode: QUERY, status: " + m.rcode().name() + ", id: " + m.id());
        StringBuilder flags = new StringBuilder(";; flags:");
        if (m.qr()) flags.append(" qr");
        if (m.aa()) flags.append(" aa");
        if (m.tc()) flags.append(" tc");
        if (m.rd()) flags.append(" rd");
        if (m.ra()) flags.append(" ra");
        if (m.ad()) flags.append(" ad");
        if (m.cd()) flags.append(" cd");
        List<DnsRecord> additionals = m.additionals();
        DnsRecord opt = null;
        for (DnsRecord rr : additionals) if (rr.type().equals(DnsType.OPT)) opt = rr;
        flags.append("; QUERY: ").append(m.questions().size()).append(", ANSWER: ").append(m.answers().size())
                .append(", AUTHORITY: ").append(m.authorities().size()).append(", ADDITIONAL: ").append(additionals.size());
        run.line(flags.toString());
        run.line();
        if (opt != null) {
            run.line(";; OPT PSEUDOSECTION:");
            run.line("; EDNS: version: 0, flags:; udp: " + opt.dnsClass());
        }
        run.line(";; QUESTION SECTION:");
        for (DnsQuestion q : m.questions()) {
            StringBuilder b = new StringBuilder(";").append(absolute(q.name()));
            column(b, 24);
            column(b, 32);
            b.append("IN");
            column(b, 40);
            b.append(q.type().name());
            run.line(b.toString());
        }
        section("ANSWER", m.answers());
        section("AUTHORITY", m.authorities());
        List<DnsRecord> rest = new ArrayList<>();
        for (DnsRecord rr : additionals) if (!rr.type().equals(DnsType.OPT)) rest.add(rr);
        section("ADDITIONAL", rest);
        run.line();
        run.line(";; Query time: " + rttMs + " msec");
        run.line(";; SERVER: " + serverAddress + "#" + port + "(" + serverAddress + ") (UDP)");
        run.line(";; WHEN: " + WHEN.format(run.guest().wallClock()));
        run.line(";; MSG SIZE  rcvd: " + size);
        run.line();
    }

    private void section(String title, List<DnsRecord> records) {
        if (records.isEmpty()) return;
        run.line();
        run.line(";; " + title + " SECTION:");
        for (DnsRecord rr : records) {
            StringBuilder b = new StringBuilder(absolute(rr.name()));
            column(b, 24);
            b.append(rr.ttl());
            column(b, 32);
            b.append("IN");
            column(b, 40);
            b.append(rr.type().name());
            column(b, 48);
            b.append(rdata(rr));
            run.line(b.toString());
        }
    }

    private static String rdata(DnsRecord rr) {
        return rr.type().equals(DnsType.AAAA) ? Ipv6Text.compress(rr.text()) : rr.text();
    }

    private static String absolute(String n) {
        return n.endsWith(".") ? n : n + ".";
    }

    /** dig's master-file style: tabs (8 wide) up to the column, at least one. */
    static void column(StringBuilder b, int col) {
        int pos = 0;
        for (int i = 0; i < b.length(); i++) pos = b.charAt(i) == '\t' ? (pos / 8 + 1) * 8 : pos + 1;
        do {
            b.append('\t');
            pos = (pos / 8 + 1) * 8;
        } while (pos < col);
    }
}
