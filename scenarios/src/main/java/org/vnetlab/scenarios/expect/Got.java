package org.vnetlab.scenarios.expect;

import org.vnetlab.scenarios.expect.Observation.Probe;
import org.vnetlab.scenarios.expect.Observation.Resolution;

/** How an observation is described after "got" — in the same words expectations use. */
final class Got {
    private Got() {}

    static String probe(Probe p) {
        String from = p.from().map(a -> " from " + a).orElse("");
        return switch (p.outcome()) {
            case REPLY -> "reply" + from;
            case TIMEOUT -> "timeout";
            case UNREACHABLE -> "unreachable " + p.icmp().map(Observation.Icmp::codeName).orElse("") + from;
            case RESET -> "reset" + from;
            case TTL_EXCEEDED -> "ttl-exceeded" + from;
            case NO_ROUTE -> "no-route";
        };
    }

    static String resolution(Resolution r) {
        return switch (r.outcome()) {
            case ANSWER -> r.addresses().isEmpty() ? "an answer with no IPv4 address" : "resolves " + Clause.join(r.addresses());
            case NXDOMAIN, SERVFAIL, REFUSED -> r.outcome().name();
            case TIMEOUT -> "timeout";
        };
    }

    static String lease(Observation.Lease l) {
        StringBuilder sb = new StringBuilder("lease ").append(l.address()).append('/').append(l.prefixLength());
        l.gateway().ifPresent(g -> sb.append(" gateway ").append(g));
        if (!l.dns().isEmpty()) sb.append(" dns ").append(Clause.join(l.dns()));
        l.server().ifPresent(s -> sb.append(" server ").append(s));
        return sb.toString();
    }

    static String noLease(Observation.NoLease n) {
        return n.reason().isEmpty() ? "no-lease" : "no-lease (" + n.reason() + ")";
    }

    /** When the command observed nothing of the asked kind, its exit status and first line say what it did. */
    static String nothing(Observed o) {
        return "exit " + o.exitStatus() + firstLine(o);
    }

    static String firstLine(Observed o) {
        String text = o.stderr().isBlank() ? o.stdout() : o.stderr();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                String t = line.strip();
                return ": \"" + (t.length() > 100 ? t.substring(0, 97) + "..." : t) + "\"";
            }
        }
        return "";
    }
}
