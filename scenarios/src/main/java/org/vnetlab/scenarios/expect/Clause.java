package org.vnetlab.scenarios.expect;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.expect.Observation.DnsOutcome;
import org.vnetlab.scenarios.expect.Observation.Probe;
import org.vnetlab.scenarios.expect.Observation.ProbeOutcome;
import org.vnetlab.scenarios.expect.Observation.Resolution;

/**
 * One claim of an expectation. Each clause says what it expects in the words a user writes, and checks
 * itself against what was observed: empty when it holds, otherwise what was seen instead.
 */
public sealed interface Clause {

    /** The clause in canonical expectation syntax. */
    String describe();

    /** Empty when the clause holds; otherwise a short description of what happened instead. */
    Optional<String> mismatch(Observed observed);

    /** An answer came back (echo reply, connection accepted, UDP reply), optionally from a given address. */
    record Reply(Optional<Ipv4Address> from) implements Clause {
        public String describe() { return "reply" + from.map(a -> " from " + a).orElse(""); }

        public Optional<String> mismatch(Observed o) {
            return probe(o, p -> p.outcome() == ProbeOutcome.REPLY && (from.isEmpty() || from.equals(p.from())));
        }
    }

    /** Nothing came back: a probe or a name lookup timed out. */
    record Timeout() implements Clause {
        public String describe() { return "timeout"; }

        public Optional<String> mismatch(Observed o) {
            Optional<Probe> p = o.last(Probe.class);
            if (p.isPresent()) return p.get().outcome() == ProbeOutcome.TIMEOUT ? Optional.empty() : Optional.of(Got.probe(p.get()));
            Optional<Resolution> r = o.last(Resolution.class);
            if (r.isPresent()) return r.get().outcome() == DnsOutcome.TIMEOUT ? Optional.empty() : Optional.of(Got.resolution(r.get()));
            return Optional.of(Got.nothing(o));
        }
    }

    /** An ICMP destination-unreachable came back, optionally with a given code and sender. */
    record Unreachable(Optional<Integer> code, Optional<Ipv4Address> from) implements Clause {
        public String describe() {
            return "unreachable" + code.map(c -> " " + IcmpCodes.name(c)).orElse("") + from.map(a -> " from " + a).orElse("");
        }

        public Optional<String> mismatch(Observed o) {
            return probe(o, p -> p.outcome() == ProbeOutcome.UNREACHABLE
                    && (code.isEmpty() || p.icmp().map(i -> i.code() == code.get()).orElse(false))
                    && (from.isEmpty() || from.equals(p.from())));
        }
    }

    /** A TCP RST came back. */
    record Reset(Optional<Ipv4Address> from) implements Clause {
        public String describe() { return "reset" + from.map(a -> " from " + a).orElse(""); }

        public Optional<String> mismatch(Observed o) {
            return probe(o, p -> p.outcome() == ProbeOutcome.RESET && (from.isEmpty() || from.equals(p.from())));
        }
    }

    /** An ICMP time-exceeded came back. */
    record TtlExceeded(Optional<Ipv4Address> from) implements Clause {
        public String describe() { return "ttl-exceeded" + from.map(a -> " from " + a).orElse(""); }

        public Optional<String> mismatch(Observed o) {
            return probe(o, p -> p.outcome() == ProbeOutcome.TTL_EXCEEDED && (from.isEmpty() || from.equals(p.from())));
        }
    }

    /** The sender had no route, so nothing left it. */
    record NoRoute() implements Clause {
        public String describe() { return "no-route"; }

        public Optional<String> mismatch(Observed o) {
            return probe(o, p -> p.outcome() == ProbeOutcome.NO_ROUTE);
        }
    }

    /**
     * A DHCP lease: the address (exact, or inside a prefix whose length the subnet mask must equal), and any
     * of gateway, DNS servers (all of them, in order) and DHCP server.
     */
    record Lease(Optional<Ipv4Address> address, Optional<Cidr> within, Optional<Ipv4Address> gateway,
                 Optional<List<Ipv4Address>> dns, Optional<Ipv4Address> server) implements Clause {
        public String describe() {
            StringBuilder sb = new StringBuilder("lease");
            address.ifPresent(a -> sb.append(' ').append(a));
            within.ifPresent(c -> sb.append(' ').append(c));
            gateway.ifPresent(g -> sb.append(" gateway ").append(g));
            dns.ifPresent(d -> sb.append(" dns ").append(join(d)));
            server.ifPresent(s -> sb.append(" server ").append(s));
            return sb.toString();
        }

        public Optional<String> mismatch(Observed o) {
            Optional<Observation.Lease> got = o.last(Observation.Lease.class);
            if (got.isEmpty()) {
                return Optional.of(o.last(Observation.NoLease.class).map(Got::noLease).orElse(Got.nothing(o)));
            }
            Observation.Lease l = got.get();
            boolean ok = address.map(a -> a.equals(l.address())).orElse(true)
                    && within.map(c -> c.contains(l.address()) && c.prefixLength() == l.prefixLength()).orElse(true)
                    && gateway.map(g -> l.gateway().equals(Optional.of(g))).orElse(true)
                    && dns.map(d -> d.equals(l.dns())).orElse(true)
                    && server.map(s -> l.server().equals(Optional.of(s))).orElse(true);
            return ok ? Optional.empty() : Optional.of(Got.lease(l));
        }
    }

    /** The client got no lease. */
    record NoLease() implements Clause {
        public String describe() { return "no-lease"; }

        public Optional<String> mismatch(Observed o) {
            Optional<Observation.Lease> l = o.last(Observation.Lease.class);
            if (l.isPresent()) return Optional.of(Got.lease(l.get()));
            return o.last(Observation.NoLease.class).isPresent() ? Optional.empty() : Optional.of(Got.nothing(o));
        }
    }

    /** The name resolved, and the answer holds every one of these addresses. */
    record Resolves(List<Ipv4Address> addresses) implements Clause {
        public Resolves {
            addresses = List.copyOf(addresses);
        }

        public String describe() { return "resolves " + join(addresses); }

        public Optional<String> mismatch(Observed o) {
            Optional<Resolution> r = o.last(Resolution.class);
            if (r.isEmpty()) return Optional.of(Got.nothing(o));
            boolean ok = r.get().outcome() == DnsOutcome.ANSWER && r.get().addresses().containsAll(addresses);
            return ok ? Optional.empty() : Optional.of(Got.resolution(r.get()));
        }
    }

    /** The lookup ended with an error status: NXDOMAIN, SERVFAIL or REFUSED. */
    record DnsStatus(DnsOutcome status) implements Clause {
        public String describe() { return status.name(); }

        public Optional<String> mismatch(Observed o) {
            Optional<Resolution> r = o.last(Resolution.class);
            if (r.isEmpty()) return Optional.of(Got.nothing(o));
            return r.get().outcome() == status ? Optional.empty() : Optional.of(Got.resolution(r.get()));
        }
    }

    /** The command's exit status. */
    record Exit(int status) implements Clause {
        public String describe() { return status == 0 ? "ok" : "exit " + status; }

        public Optional<String> mismatch(Observed o) {
            return o.exitStatus() == status ? Optional.empty() : Optional.of("exit " + o.exitStatus() + Got.firstLine(o));
        }
    }

    /**
     * The command failed (non-zero exit) and, if text is given, said so: the text appears in its output or
     * error output, ignoring case and runs of blanks.
     */
    record ErrorText(Optional<String> text) implements Clause {
        public String describe() { return "error" + text.map(t -> " " + quote(t)).orElse(""); }

        public Optional<String> mismatch(Observed o) {
            if (o.exitStatus() == 0) return Optional.of("exit 0" + Got.firstLine(o));
            if (text.isEmpty() || contains(o.stderr() + "\n" + o.stdout(), text.get())) return Optional.empty();
            return Optional.of("exit " + o.exitStatus() + Got.firstLine(o));
        }
    }

    /** The command's standard output contains the text (ignoring case and runs of blanks). */
    record OutputText(String text) implements Clause {
        public String describe() { return "output " + quote(text); }

        public Optional<String> mismatch(Observed o) {
            return contains(o.stdout(), text) ? Optional.empty() : Optional.of("output" + Got.firstLine(o));
        }
    }

    /** The command's standard output does not contain the text (ignoring case and runs of blanks). */
    record OutputLacks(String text) implements Clause {
        public String describe() { return "without " + quote(text); }

        public Optional<String> mismatch(Observed o) {
            return contains(o.stdout(), text) ? Optional.of("output containing " + quote(text)) : Optional.empty();
        }
    }

    private static Optional<String> probe(Observed o, java.util.function.Predicate<Probe> holds) {
        Optional<Probe> p = o.last(Probe.class);
        if (p.isEmpty()) {
            Optional<Resolution> r = o.last(Resolution.class);
            if (r.isPresent() && r.get().outcome() != DnsOutcome.ANSWER) return Optional.of(Got.resolution(r.get()));
            return Optional.of(Got.nothing(o));
        }
        return holds.test(p.get()) ? Optional.empty() : Optional.of(Got.probe(p.get()));
    }

    static String join(List<Ipv4Address> as) {
        return as.stream().map(Ipv4Address::toString).collect(Collectors.joining(","));
    }

    static boolean contains(String haystack, String needle) {
        return normalize(haystack).contains(normalize(needle));
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ").trim();
    }

    private static String quote(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }
}
