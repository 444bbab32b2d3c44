package org.vnetlab.emulator.guest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.vnetlab.emulator.sim.SimTime;
import org.vnetlab.emulator.sim.Timer;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.ParseException;
import org.vnetlab.protocols.dns.DnsMessage;
import org.vnetlab.protocols.dns.DnsRcode;
import org.vnetlab.protocols.dns.DnsRecord;
import org.vnetlab.protocols.dns.DnsType;

/**
 * The OS's stub resolver as ping and curl use it: A queries with RD set to the configured DNS servers,
 * retried per the profile's timeouts (Windows: 1, 1, 2, 4, 2 s across its servers; glibc: 5 s per server,
 * two rounds). Only A is asked (the real resolvers also ask AAAA; vnetlab has no IPv6).
 */
final class StubResolver {

    sealed interface Answer {
        record Addresses(List<Ipv4Address> addresses, List<String> aliases) implements Answer { }
        record NxDomain() implements Answer { }
        record ServFail(DnsRcode rcode) implements Answer { }
        record NoData() implements Answer { }
        record Timeout() implements Answer { }
        record NoServers() implements Answer { }
    }

    private StubResolver() {}

    /**
     * The DNS response to query {@code id} that {@code payload} carries; empty for anything else (undecodable
     * bytes, a query, another query's answer), which a waiting client ignores.
     */
    static Optional<DnsMessage> responseTo(int id, byte[] payload) {
        DnsMessage m;
        try {
            m = DnsMessage.parse(payload);
        } catch (ParseException e) {
            return Optional.empty();
        }
        return m.qr() && m.id() == id ? Optional.of(m) : Optional.empty();
    }

    /**
     * {@code host}'s address for a command: at once when it is an address literal, else the first address the
     * resolver finds; {@code failed} gets the answer that has none.
     */
    static void addressOf(Run run, String host, Consumer<Ipv4Address> found, Consumer<Answer> failed) {
        if (isAddress(host)) {
            found.accept(Ipv4Address.parse(host));
            return;
        }
        resolve(run, host, answer -> {
            if (answer instanceof Answer.Addresses a) found.accept(a.addresses().get(0));
            else failed.accept(answer);
        });
    }

    /** What a command's run reports when its name did not resolve. */
    static Outcome outcomeOf(Answer a) {
        if (a instanceof Answer.NxDomain) return new Outcome.NxDomain("");
        if (a instanceof Answer.ServFail s) return new Outcome.ServFail("", s.rcode().name());
        if (a instanceof Answer.NoData) return new Outcome.NoData("");
        if (a instanceof Answer.NoServers) return new Outcome.SendFailed("no DNS servers configured");
        return new Outcome.Timeout();
    }

    static boolean isAddress(String text) {
        try {
            Ipv4Address.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static void resolve(Run run, String name, Consumer<Answer> done) {
        List<Ipv4Address> servers = run.net().config().map(Ipv4Config::dnsServers).orElse(List.of());
        if (servers.isEmpty()) {
            done.accept(new Answer.NoServers());
            return;
        }
        List<Integer> timeouts = run.guest().profile().resolverTimeouts();
        List<Ipv4Address> order = new ArrayList<>();
        List<Integer> waits = new ArrayList<>();
        if (run.guest().profile().windows()) {
            for (int i = 0; i < timeouts.size(); i++) {
                order.add(servers.get(i % servers.size()));
                waits.add(timeouts.get(i));
            }
        } else {
            for (int t : timeouts) {
                for (Ipv4Address s : servers) {
                    order.add(s);
                    waits.add(t);
                }
            }
        }
        new Lookup(run, name, order, waits, done).next();
    }

    /** One lookup's tries, each a fresh query ID. */
    private static final class Lookup implements UdpSocket.Listener {
        private final Run run;
        private final String name;
        private final List<Ipv4Address> order;
        private final List<Integer> waits;
        private final Consumer<Answer> done;
        private final UdpSocket socket;
        private int index = -1;
        private int id;
        private Timer timer;
        private boolean finished;

        Lookup(Run run, String name, List<Ipv4Address> order, List<Integer> waits, Consumer<Answer> done) {
            this.run = run;
            this.name = name;
            this.order = order;
            this.waits = waits;
            this.done = done;
            this.socket = run.net().openUdp(0, this);
            run.onFinish(socket::close);
        }

        void next() {
            index++;
            if (index >= order.size()) {
                finish(new Answer.Timeout());
                return;
            }
            id = run.guest().random().nextInt(0x10000);
            socket.send(order.get(index), 53, DnsMessage.query(id, name, DnsType.A, true).toWire());
            timer = run.after(SimTime.seconds(waits.get(index)), "resolver timeout", this::next);
        }

        private void finish(Answer a) {
            if (finished) return;
            finished = true;
            if (timer != null) timer.cancel();
            socket.close();
            done.accept(a);
        }

        @Override
        public void datagram(Ipv4Address from, int fromPort, byte[] payload) {
            if (finished || run.done() || fromPort != 53 || !from.equals(order.get(index))) return;
            responseTo(id, payload).ifPresent(m -> finish(interpret(m)));
        }

        @Override
        public void error(Ipv4Address from, int type, int code) {
            if (finished || run.done()) return;
            // ECONNREFUSED on the connected socket: glibc moves on to the next server at once.
            timer.cancel();
            next();
        }

        @Override
        public void sendFailed(String reason) {
            if (!finished && !run.done()) finish(new Answer.Timeout());
        }
    }

    static Answer interpret(DnsMessage m) {
        DnsRcode rcode = m.rcode();
        if (rcode.equals(DnsRcode.NXDOMAIN)) return new Answer.NxDomain();
        if (!rcode.equals(DnsRcode.NOERROR)) return new Answer.ServFail(rcode);
        List<Ipv4Address> addresses = new ArrayList<>();
        List<String> aliases = new ArrayList<>();
        for (DnsRecord r : m.answers()) {
            if (r.type().equals(DnsType.CNAME)) aliases.add(r.name());
            r.ipv4().ifPresent(addresses::add);
        }
        return addresses.isEmpty() ? new Answer.NoData() : new Answer.Addresses(addresses, aliases);
    }
}
