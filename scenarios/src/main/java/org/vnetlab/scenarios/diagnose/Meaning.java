package org.vnetlab.scenarios.diagnose;

import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.dump.DumpedGuest;
import org.vnetlab.scenarios.expect.Observation;
import org.vnetlab.scenarios.run.HostFacts;

/** One or two plain sentences saying what a probe's result means for the user. */
final class Meaning {
    private Meaning() {}

    /**
     * The guest the probes ran from: its address, the gateway it sends through, and its own settings from the
     * dump when the probes took them on (a static configuration).
     */
    record Sender(Ipv4Address address, int prefixLength, Ipv4Address gateway, Optional<DumpedGuest> settings) {}

    static String of(ProbeId id, Outcome outcome, Optional<Observation.Icmp> icmp, Optional<Decisive> decisive, List<Trace> traces,
                     boolean healthy, HostFacts facts, Sender guest) {
        if (healthy) {
            if (outcome == Outcome.OK) return "Works as it should.";
            if (id == ProbeId.INBOUND_FROM_LAN && facts.forwardMode().equals("nat")) {
                return "As on any libvirt NAT network: connections from outside to the guests are refused; only replies to the guests' own connections come back.";
            }
            return "As expected for a '" + facts.forwardMode() + "' network.";
        }
        Optional<String> own = guestsOwn(id, outcome, icmp, traces, facts, guest);
        if (own.isPresent()) return own.get();
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

    /**
     * A result the guest's own stack made, or one the host never saw: an ICMP error from the guest's own address
     * (its ARP for the next hop failed, or it has no route), a probe packet that never reached the host, or an
     * inbound ping to an address the LAN does not send to the host. None of it is the host's doing.
     */
    private static Optional<String> guestsOwn(ProbeId id, Outcome outcome, Optional<Observation.Icmp> icmp, List<Trace> traces,
                                              HostFacts facts, Sender guest) {
        Ipv4Prefix network = Ipv4Prefix.containing(facts.bridgeAddress(), facts.prefixLength());
        boolean outside = !network.contains(guest.address());
        String why = outside
                ? " Its address " + guest.address() + "/" + guest.prefixLength() + guest.settings().map(g -> " (static, " + g.file() + ")").orElse("")
                + " is outside " + network + ": nothing on " + facts.bridge() + " answers for its gateway " + guest.gateway() + "."
                : "";
        if (id == ProbeId.INBOUND_FROM_LAN) {
            if (outcome == Outcome.TIMEOUT && outside && !reachedHost(traces, guest.address())) {
                return Optional.of("The LAN sends " + network + " to the host, but the guest's address " + guest.address()
                        + " is outside it: the ping went to the LAN's default gateway (the router) instead and never reached the host.");
            }
            return Optional.empty();
        }
        if (id == ProbeId.DHCP) return Optional.empty();
        if (outcome == Outcome.ICMP_ERROR && icmp.isPresent() && icmp.get().from().equals(guest.address())) {
            Observation.Icmp e = icmp.get();
            String what = e.type() == 3 && e.code() == 1 ? "host unreachable: its ARP requests for the next hop got no answer, so the packet never left the guest"
                    : e.type() == 3 && e.code() == 0 ? "network unreachable: it has no route for the destination"
                    : "ICMP type " + e.type() + " code " + e.code();
            return Optional.of("The guest's own stack answered, from its own address " + guest.address() + " (nothing beyond the guest did): "
                    + what + "." + why);
        }
        if (outcome == Outcome.TIMEOUT && !reachedHost(traces, guest.address())) {
            return Optional.of("The host never saw the probe: the guest's own stack did not send it before the probe gave up"
                    + (outside ? " (it was still asking by ARP for its gateway)." + why : " (e.g. its ARP requests for its next hop " + guest.gateway()
                    + " went unanswered)."));
        }
        return Optional.empty();
    }

    /** Whether a packet from {@code address} (or to it) entered the host's netfilter hooks. */
    private static boolean reachedHost(List<Trace> traces, Ipv4Address address) {
        String src = "src=" + address + " ";
        String dst = "dst=" + address + " ";
        for (Trace t : traces) {
            for (TraceStep s : t.steps()) {
                if (s instanceof TraceStep.HookEntered h && (h.packet().contains(src) || h.packet().contains(dst))) return true;
            }
        }
        return false;
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
