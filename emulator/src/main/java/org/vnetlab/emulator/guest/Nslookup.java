package org.vnetlab.emulator.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;

/**
 * Windows' {@code nslookup name [server]} (non-interactive). It first asks the server for its own name
 * (a PTR query for the server's address; no answer within the timeout prints "DNS request timed out." and
 * the server shows as "UnKnown"), then asks A and AAAA for the name, each tried twice ({@code -retry=1})
 * with a 2 s timeout ({@code -timeout=2}). Answers without the AA bit are headed "Non-authoritative
 * answer:"; AAAA addresses are listed before A ones, as nslookup prints them.
 */
final class Nslookup implements Command {
    private final String name;
    private final String server;
    private final int timeoutSeconds;
    private final int retries;
    private final DnsType onlyType;

    private Run run;
    private Ipv4Address serverAddress;
    private String serverName = "UnKnown";
    private UdpSocket socket;
    private int id;
    private DnsType asking;
    private int tries;
    private Timer timer;
    private java.util.function.Consumer<DnsMessage> onAnswer;
    private Runnable onTimeout;
    private final List<String> v6 = new ArrayList<>();
    private final List<Ipv4Address> v4 = new ArrayList<>();
    private final List<String> aliases = new ArrayList<>();
    private String canonical;
    private boolean authoritative = true;

    private Nslookup(String name, String server, int timeoutSeconds, int retries, DnsType onlyType) {
        this.name = name;
        this.server = server;
        this.timeoutSeconds = timeoutSeconds;
        this.retries = retries;
        this.onlyType = onlyType;
    }

    static Nslookup parse(List<String> args) throws CommandException {
        String name = null, server = null;
        int timeout = 2, retry = 1;
        DnsType type = null;
        for (String a : args) {
            if (a.startsWith("-")) {
                String opt = a.substring(1).toLowerCase(Locale.ROOT);
                int eq = opt.indexOf('=');
                String key = eq < 0 ? opt : opt.substring(0, eq);
                String value = eq < 0 ? "" : opt.substring(eq + 1);
                switch (key) {
                    case "timeout" -> timeout = (int) Args.number(a, value, 1, 3600, "*** Invalid option: " + a.substring(1) + "\n");
                    case "retry" -> retry = (int) Args.number(a, value, 0, 100, "*** Invalid option: " + a.substring(1) + "\n");
                    case "type", "querytype", "q" -> {
                        String t = value.toUpperCase(Locale.ROOT);
                        if (!t.equals("A") && !t.equals("AAAA")) {
                            throw new CommandException(a, "only A and AAAA lookups are emulated");
                        }
                        type = DnsType.parse(t);
                    }
                    default -> throw new CommandException(a, "unknown nslookup option",
                            "*** Invalid option: " + a.substring(1) + "\n", 1);
                }
            } else if (name == null) {
                name = a;
            } else if (server == null) {
                server = a;
            } else {
                throw new CommandException(a, "nslookup takes a name and an optional server");
            }
        }
        if (name == null) throw new CommandException("nslookup", "interactive nslookup is not emulated: give a name");
        if (StubResolver.isAddress(name)) throw new CommandException(name, "reverse lookups are not emulated: give a name");
        if (server != null && !StubResolver.isAddress(server)) {
            throw new CommandException(server, "give the server as an IPv4 address");
        }
        return new Nslookup(name, server, timeout, retry, type);
    }

    @Override
    public void start(Run r) {
        run = r;
        if (server != null) {
            serverAddress = Ipv4Address.parse(server);
        } else {
            List<Ipv4Address> servers = run.net().config().map(Ipv4Config::dnsServers).orElse(List.of());
            if (servers.isEmpty()) {
                run.line("*** Default servers are not available");
                run.line("Server:  UnKnown");
                run.line("Address:  127.0.0.1");
                run.line();
                run.line("*** UnKnown can't find " + name + ": No response from server");
                run.outcome(new Outcome.SendFailed("no DNS servers configured"));
                run.finish(1);
                return;
            }
            serverAddress = servers.get(0);
        }
        socket = run.net().openUdp(0, new UdpSocket.Listener() {
            @Override public void datagram(Ipv4Address from, int fromPort, byte[] payload) { received(from, fromPort, payload); }

            @Override public void error(Ipv4Address from, int type, int code) {
                // WSAECONNRESET on the socket: nslookup treats it as no answer to this try
                if (timer != null && timer.isPending()) {
                    timer.cancel();
                    retry();
                }
            }
        });
        run.onFinish(socket::close);
        // 1. the server's own name; one try only
        ask(reverseName(serverAddress), DnsType.PTR, 0, reply -> {
            for (DnsRecord rr : reply.answers()) {
                if (rr.type().equals(DnsType.PTR)) serverName = stripDot(rr.text());
            }
            printServer();
            lookup();
        }, () -> {
            run.line("DNS request timed out.");
            run.line("    timeout was " + timeoutSeconds + " seconds.");
            printServer();
            lookup();
        });
    }

    private void printServer() {
        run.line("Server:  " + serverName);
        run.line("Address:  " + serverAddress);
        run.line();
    }

    private void lookup() {
        DnsType first = onlyType != null ? onlyType : DnsType.A;
        ask(name, first, retries, reply -> {
            if (!reply.rcode().equals(DnsRcode.NOERROR)) {
                failed(reply.rcode());
                return;
            }
            collect(reply);
            if (onlyType == null) {
                ask(name, DnsType.AAAA, retries, r2 -> {
                    if (r2.rcode().equals(DnsRcode.NOERROR)) collect(r2);
                    answer();
                }, this::timedOut);
            } else {
                answer();
            }
        }, this::timedOut);
    }

    private void collect(DnsMessage reply) {
        if (!reply.aa()) authoritative = false;
        for (DnsRecord rr : reply.answers()) {
            if (rr.type().equals(DnsType.CNAME)) {
                if (!aliases.contains(stripDot(rr.name()))) aliases.add(stripDot(rr.name()));
                canonical = stripDot(rr.text());
            } else if (rr.type().equals(DnsType.A)) {
                rr.ipv4().ifPresent(a -> { if (!v4.contains(a)) v4.add(a); });
                canonical = stripDot(rr.name());
            } else if (rr.type().equals(DnsType.AAAA)) {
                String six = Ipv6Text.compress(rr.text());
                if (!v6.contains(six)) v6.add(six);
                canonical = stripDot(rr.name());
            }
        }
    }

    private void answer() {
        if (v4.isEmpty() && v6.isEmpty()) {
            // NOERROR without addresses: nslookup shows only the name
            if (!authoritative) run.line("Non-authoritative answer:");
            run.line("Name:    " + name);
            run.line();
            run.outcome(new Outcome.NoData(name));
            run.finish(0);
            return;
        }
        if (!authoritative) run.line("Non-authoritative answer:");
        run.line("Name:    " + (canonical != null ? canonical : name));
        List<String> all = new ArrayList<>(v6);
        for (Ipv4Address a : v4) all.add(a.toString());
        if (all.size() == 1) {
            run.line("Address:  " + all.get(0));
        } else {
            run.line("Addresses:  " + all.get(0));
            for (int i = 1; i < all.size(); i++) run.line("          " + all.get(i));
        }
        if (!aliases.isEmpty()) {
            run.line("Aliases:  " + aliases.get(0));
            for (int i = 1; i < aliases.size(); i++) run.line("          " + aliases.get(i));
        }
        run.line();
        run.outcome(new Outcome.Resolved(name, v4, aliases));
        run.finish(0);
    }

    private void failed(DnsRcode rcode) {
        String why = rcode.equals(DnsRcode.NXDOMAIN) ? "Non-existent domain"
                : rcode.equals(DnsRcode.SERVFAIL) ? "Server failed"
                : rcode.equals(DnsRcode.REFUSED) ? "Query refused"
                : rcode.equals(DnsRcode.FORMERR) ? "Format error"
                : rcode.equals(DnsRcode.NOTIMP) ? "Not implemented" : "Unspecified error";
        run.line("*** " + serverName + " can't find " + name + ": " + why);
        run.outcome(rcode.equals(DnsRcode.NXDOMAIN) ? new Outcome.NxDomain(name) : new Outcome.ServFail(name, rcode.name()));
        run.finish(1);
    }

    private void timedOut() {
        run.line("*** Request to " + serverName + " timed-out");
        run.outcome(new Outcome.Timeout());
        run.finish(1);
    }

    private void ask(String qname, DnsType type, int retriesLeft, java.util.function.Consumer<DnsMessage> answer, Runnable timeout) {
        asking = type;
        tries = retriesLeft;
        onAnswer = answer;
        onTimeout = timeout;
        send(qname);
    }

    private String qname;

    private void send(String q) {
        qname = q;
        id = run.guest().random().nextInt(0x10000);
        socket.send(serverAddress, 53, DnsMessage.query(id, q, asking, true).toWire());
        timer = run.after(SimTime.seconds(timeoutSeconds), "nslookup timeout", this::retry);
    }

    private void retry() {
        if (asking.equals(DnsType.PTR)) {
            onTimeout.run();
            return;
        }
        run.line("DNS request timed out.");
        run.line("    timeout was " + timeoutSeconds + " seconds.");
        if (tries > 0) {
            tries--;
            send(qname);
        } else {
            onTimeout.run();
        }
    }

    private void received(Ipv4Address from, int fromPort, byte[] payload) {
        if (run.done() || fromPort != 53 || !from.equals(serverAddress) || timer == null || !timer.isPending()) return;
        StubResolver.responseTo(id, payload).ifPresent(m -> {
            timer.cancel();
            onAnswer.accept(m);
        });
    }

    static String reverseName(Ipv4Address a) {
        byte[] b = a.toBytes();
        return (b[3] & 0xff) + "." + (b[2] & 0xff) + "." + (b[1] & 0xff) + "." + (b[0] & 0xff) + ".in-addr.arpa";
    }

    static String stripDot(String n) {
        return n.endsWith(".") && n.length() > 1 ? n.substring(0, n.length() - 1) : n;
    }
}
