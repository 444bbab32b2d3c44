package org.vnetlab.scenarios.diagnose;

import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.scenarios.run.HostFacts;

/** One or two plain sentences saying what a probe's result means for the user. */
final class Meaning {
    private Meaning() {}

    static String of(ProbeId id, Outcome outcome, Optional<Decisive> decisive, List<Trace> traces, boolean healthy, HostFacts facts) {
        if (healthy) {
            if (outcome == Outcome.OK) return "Works as it should.";
            if (id == ProbeId.INBOUND_FROM_LAN && facts.forwardMode().equals("nat")) {
                return "As on any libvirt NAT network: connections from outside to the guests are refused; only replies to the guests' own connections come back.";
            }
            return "As expected for a '" + facts.forwardMode() + "' network.";
        }
        if (decisive.isPresent()) {
            Decisive d = decisive.get();
            if (d.isPolicy() && d.target().equalsIgnoreCase("DROP")) {
                Optional<String> acceptedBefore = nftAcceptBefore(traces, d);
                if (acceptedBefore.isPresent()) {
                    return "The " + acceptedBefore.get() + " accepted the packet, but an accept ends only its own base chain: the "
                            + d.table() + " " + d.chain() + " chain (same hook, run after it) found no rule for it and its policy DROP "
                            + "discarded it" + (d.chain().equals("FORWARD") ? " (Docker sets FORWARD's policy to DROP; accept the guests' "
                            + "traffic in DOCKER-USER, which Docker keeps)." : ".");
                }
                return "No rule accepted the packet and the " + d.chain() + " chain's policy is DROP, so it was discarded silently"
                        + (d.chain().equals("FORWARD") ? " (Docker sets FORWARD's policy to DROP; libvirt's own ACCEPT rules are missing or never reached)." : ".");
            }
            String where = d.table() + " " + d.chain() + " #" + d.rule() + d.handle().stream().mapToObj(h -> " (handle " + h + ")").findFirst().orElse("");
            if (d.target().toUpperCase(java.util.Locale.ROOT).startsWith("REJECT")) {
                String who = d.chain().startsWith("LIBVIRT_") || d.table().endsWith(" libvirt_network") ? "libvirt's rule" : "the rule";
                return "Refused by " + who + " " + where + ": no earlier rule accepted this traffic, so the sender got an ICMP error.";
            }
            if (d.target().toUpperCase(java.util.Locale.ROOT).startsWith("DROP")) {
                return "Discarded silently by " + where + ", so the sender waits until it times out.";
            }
        }
        for (Trace t : traces) {
            String why = t.reason();
            for (TraceStep s : t.steps()) if (s instanceof TraceStep.Stack st) why = why + " " + st.detail();
            if (why.contains("ip_forward") || why.contains("forwarding off") || why.contains("forwarding disabled")) {
                return "The host does not forward packets (net.ipv4.ip_forward = 0): it drops them at the routing decision "
                        + "without an ICMP error, so the sender times out. Fix: sysctl -w net.ipv4.ip_forward=1.";
            }
            if (t.disposition() == Disposition.NO_ROUTE) return "The host had no route for the packet: " + t.reason() + ".";
        }
        if (outcome == Outcome.TIMEOUT && id == ProbeId.DNS_VIA_GATEWAY && decisive.map(d -> d.target().equals("ACCEPT")).orElse(false)) {
            return "The host took the query (" + decisive.get().describe() + ") but dnsmasq sent nothing back: its upstream "
                    + "servers (the host's resolv.conf, or the network's <forwarder>s) did not answer it.";
        }
        return switch (outcome) {
            case TIMEOUT -> forwardedWithoutNat(traces)
                    ? "The packet left the host with the guest's private source address (no MASQUERADE rule matched), so the answer could not come back."
                    : "Nothing came back, and no rule on the host dropped it: the loss is beyond the host, or the reply was lost on its way back.";
            case ICMP_ERROR -> "An ICMP error came back from beyond the host.";
            case TCP_RESET -> "The far end refused the connection with a TCP reset.";
            case NO_LEASE -> "The guest got no lease: dnsmasq did not answer its DHCP request.";
            case NO_ROUTE -> "The guest has no route for the destination.";
            case NXDOMAIN -> "The resolver says the name does not exist.";
            case SERVFAIL -> "The resolver could not get an answer from its upstream servers.";
            case REFUSED -> "The resolver refused to answer.";
            case OK -> "Works, although a healthy network of this kind would not allow it.";
        };
    }

    /** The nft base chain on the same hook that accepted the packet before {@code d}'s policy dropped it, if any. */
    private static Optional<String> nftAcceptBefore(List<Trace> traces, Decisive d) {
        for (Trace t : traces) {
            List<Decisive> ds = DecisiveHop.decisions(t);
            for (int i = 0; i < ds.size(); i++) {
                if (!ds.get(i).equals(d)) continue;
                for (int k = i - 1; k >= 0; k--) {
                    Decisive e = ds.get(k);
                    if (e.hook().equals(d.hook()) && e.isNft() && e.target().equals("accept")) {
                        return Optional.of("nft rule " + e.table() + " " + e.chain() + " #" + e.rule()
                                + e.handle().stream().mapToObj(h -> " (handle " + h + ")").findFirst().orElse(""));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static boolean forwardedWithoutNat(List<Trace> traces) {
        boolean forwarded = false;
        for (Trace t : traces) {
            if (t.disposition() == Disposition.FORWARDED) forwarded = true;
            for (TraceStep s : t.steps()) if (s instanceof TraceStep.Nat n && n.what().startsWith("applied source")) return false;
        }
        return forwarded;
    }
}
