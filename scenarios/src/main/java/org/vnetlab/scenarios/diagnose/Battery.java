package org.vnetlab.scenarios.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.dump.DumpedGuest;
import org.vnetlab.scenarios.expect.Observation;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.run.CommandOutcome;
import org.vnetlab.scenarios.run.CommandRejected;
import org.vnetlab.scenarios.run.HostFacts;
import org.vnetlab.scenarios.run.World;

/**
 * The standard probe battery, run from a Linux guest on the libvirt network (and a LAN host for the
 * inbound probe) with the commands a person would type. When DHCP fails, the guest takes a static address
 * at the top of the network's range and the remaining probes still run; the report says so.
 */
public final class Battery {
    public static final String GUEST = "probe";
    public static final String LAN_HOST = "lanhost";

    /** Where the probes go; defaults are the emulated internet's well-known hosts. */
    public record Targets(Ipv4Address internet, String name, Ipv4Address publicResolver, Ipv4Address webHost, int webPort) {
        public static Targets defaults() {
            // HTTPS's port on the emulated internet's web host: the TCP handshake completes there (no TLS is emulated)
            return new Targets(Ipv4Address.parse("8.8.8.8"), "google.com", Ipv4Address.parse("8.8.8.8"),
                    Ipv4Address.parse("142.250.1.1"), 443);
        }

        public Targets withInternet(Ipv4Address a) { return new Targets(a, name, publicResolver, webHost, webPort); }
    }

    private final World world;
    private final Targets targets;
    private final HostFacts facts;
    private final List<String> notes = new ArrayList<>();
    private final List<Probe> runs = new ArrayList<>();
    private Optional<DumpedGuest> dumped = Optional.empty();
    /** The guest as the probes after dhcp see it; until then, the lease the network should give. */
    private Meaning.Sender sender;

    /** One probe's raw material: what the command saw and the traces of its packets. */
    record Probe(ProbeId id, CommandOutcome outcome) {}

    private Battery(World world, Targets targets) {
        this.world = world;
        this.targets = targets;
        this.facts = world.facts();
    }

    /** Runs every probe and returns the report, with the dump's findings and the world's assumptions. */
    public static Report run(World world, Targets targets, List<Finding> findings) {
        return run(world, targets, findings, Optional.empty());
    }

    /**
     * As {@link #run(World, Targets, List)}, with a guest's own settings from the dump: when they are static
     * the probes after {@code dhcp} run from them (address, gateway, first DNS server for dns-via-gateway), so
     * what breaks that guest breaks the probes too.
     */
    public static Report run(World world, Targets targets, List<Finding> findings, Optional<DumpedGuest> dumped) {
        Battery b = new Battery(world, targets);
        b.dumped = dumped;
        List<ProbeResult> results = b.probes();
        List<String> assumptions = new ArrayList<>(world.assumptions());
        assumptions.addAll(b.notes);
        return new Report(results, findings, assumptions);
    }

    private List<ProbeResult> probes() {
        List<ProbeResult> out = new ArrayList<>();
        CommandOutcome dhcp = run(GUEST, "dhclient", "-v", "eth0");
        sender = new Meaning.Sender(facts.staticFallback(), facts.prefixLength(), facts.bridgeAddress(), Optional.empty());
        out.add(result(ProbeId.DHCP, dhcp, targets.internet()));
        Optional<Observation.Lease> lease = dhcp.observed().last(Observation.Lease.class);
        Ipv4Address guest;
        Ipv4Address dnsServer = facts.bridgeAddress();
        Optional<DumpedGuest> fixed = dumped.filter(DumpedGuest::isStatic);
        if (fixed.isPresent()) {
            DumpedGuest g = fixed.get();
            guest = g.address();
            Ipv4Address gw = g.gateway().orElseGet(() -> assumedGateway(g));
            run(GUEST, "ip", "addr", "flush", "dev", "eth0");
            run(GUEST, "ip", "addr", "add", g.cidr(), "dev", "eth0");
            CommandOutcome route = run(GUEST, "ip", "route", "add", "default", "via", gw.toString());
            if (!g.dns().isEmpty()) dnsServer = g.dns().get(0);
            sender = new Meaning.Sender(guest, g.prefixLength(), gw, Optional.of(g));
            notes.add("The probes after dhcp ran from the guest's static settings in " + g.file() + ": " + g.cidr() + ", gateway " + gw
                    + (g.gateway().isEmpty() ? " (ip addr does not show routes: assumed " + (gw.equals(facts.bridgeAddress())
                    ? "the bridge's address" : "the first address of its subnet") + ")" : "")
                    + (route.observed().exitStatus() != 0 ? ", which Linux refuses as a gateway off the guest's subnet (no default route)" : "")
                    + (g.dns().isEmpty() ? "" : ", DNS " + dnsServer) + ".");
        } else if (lease.isPresent()) {
            guest = lease.get().address();
            sender = new Meaning.Sender(guest, lease.get().prefixLength(), lease.get().gateway().orElse(facts.bridgeAddress()), Optional.empty());
            dumped.ifPresent(g -> notes.add("The guest in " + g.file() + " takes its address by DHCP"
                    + (g.dhcp().isEmpty() ? " (assumed: plain ipconfig does not say)" : "") + ": the probes ran from the lease."));
        } else {
            guest = facts.staticFallback();
            String cidr = guest + "/" + facts.prefixLength();
            run(GUEST, "ip", "addr", "flush", "dev", "eth0");
            run(GUEST, "ip", "addr", "add", cidr, "dev", "eth0");
            run(GUEST, "ip", "route", "add", "default", "via", facts.bridgeAddress().toString());
            sender = new Meaning.Sender(guest, facts.prefixLength(), facts.bridgeAddress(), Optional.empty());
            notes.add("DHCP gave the probe guest no lease, so the other probes ran from the static address " + cidr
                    + " with gateway " + facts.bridgeAddress() + ".");
        }
        Ipv4Address gw = facts.bridgeAddress();
        out.add(result(ProbeId.PING_GATEWAY, run(GUEST, "ping", "-c", "1", "-W", "2", gw.toString()), gw));
        Optional<Ipv4Address> uplink = facts.uplinkGateway();
        if (uplink.isPresent()) {
            out.add(result(ProbeId.PING_UPLINK_GATEWAY, run(GUEST, "ping", "-c", "1", "-W", "2", uplink.get().toString()), uplink.get()));
        }
        out.add(result(ProbeId.PING_INTERNET, run(GUEST, "ping", "-c", "1", "-W", "2", targets.internet().toString()), targets.internet()));
        out.add(result(ProbeId.DNS_VIA_GATEWAY, run(GUEST, "dig", "@" + dnsServer, targets.name()), dnsServer));
        out.add(result(ProbeId.DNS_DIRECT, run(GUEST, "dig", "@" + targets.publicResolver(), targets.name()), targets.publicResolver()));
        // a TCP handshake is the test (netcat's -z: connect, send nothing): it holds whatever the port speaks
        out.add(result(ProbeId.TCP_INTERNET, run(GUEST, "nc", "-zv", "-w", "5", targets.webHost().toString(),
                Integer.toString(targets.webPort())), targets.webHost()));
        out.add(result(ProbeId.INBOUND_FROM_LAN, run(LAN_HOST, "ping", "-c", "1", "-W", "2", guest.toString()), guest));
        return out;
    }

    /** A gateway for a static guest whose dump does not show one: the bridge when it is on the guest's subnet, else the subnet's first address. */
    private Ipv4Address assumedGateway(DumpedGuest g) {
        Ipv4Prefix net = Ipv4Prefix.containing(g.address(), g.prefixLength());
        if (net.contains(facts.bridgeAddress())) return facts.bridgeAddress();
        return new Ipv4Address(net.network().bits() + 1);
    }

    private CommandOutcome run(String node, String... argv) {
        try {
            return world.run(node, World.Command.of(argv));
        } catch (CommandRejected e) {
            // the battery only types commands the node models have; a rejection is a defect, not user input
            throw new IllegalStateException("the probe battery's command '" + String.join(" ", argv) + "' was rejected on "
                    + node + ": " + e.problem(), e);
        }
    }

    private ProbeResult result(ProbeId id, CommandOutcome co, Ipv4Address to) {
        runs.add(new Probe(id, co));
        Observed o = co.observed();
        Outcome outcome = outcome(o);
        Optional<Observation.Icmp> icmp = o.last(Observation.Probe.class).flatMap(Observation.Probe::icmp);
        List<Trace> traces = DecisiveHop.about(co.traces(), to);
        // the probe's own packets carry the guest's current address: a packet its stack sent from an address it
        // no longer has (an ICMP error about an old DHCP reply) is not the probe's
        if (id != ProbeId.DHCP && id != ProbeId.INBOUND_FROM_LAN) traces = DecisiveHop.about(traces, sender.address());
        Optional<Decisive> decisive = DecisiveHop.of(traces);
        String detail = detail(id, o, co.traces(), to);
        var healthy = HealthyNetwork.expected(facts.forwardMode(), id);
        String meaning = Meaning.of(id, outcome, icmp, decisive, traces, healthy.contains(outcome), facts, sender);
        return new ProbeResult(id, outcome, icmp, decisive, detail, meaning, healthy);
    }

    static Outcome outcome(Observed o) {
        Optional<Observation.Probe> p = o.last(Observation.Probe.class);
        if (p.isPresent()) {
            return switch (p.get().outcome()) {
                case REPLY -> Outcome.OK;
                case TIMEOUT -> Outcome.TIMEOUT;
                case UNREACHABLE, TTL_EXCEEDED -> Outcome.ICMP_ERROR;
                case RESET -> Outcome.TCP_RESET;
                case NO_ROUTE -> Outcome.NO_ROUTE;
            };
        }
        Optional<Observation.Resolution> r = o.last(Observation.Resolution.class);
        if (r.isPresent()) {
            return switch (r.get().outcome()) {
                case ANSWER -> Outcome.OK;
                case NXDOMAIN -> Outcome.NXDOMAIN;
                case SERVFAIL -> Outcome.SERVFAIL;
                case REFUSED -> Outcome.REFUSED;
                case TIMEOUT -> Outcome.TIMEOUT;
            };
        }
        if (o.last(Observation.Lease.class).isPresent()) return Outcome.OK;
        if (o.last(Observation.NoLease.class).isPresent()) return Outcome.NO_LEASE;
        return Outcome.TIMEOUT;
    }

    private static String detail(ProbeId id, Observed o, List<Trace> traces, Ipv4Address to) {
        Optional<Observation.Lease> lease = o.last(Observation.Lease.class);
        if (lease.isPresent()) {
            Observation.Lease l = lease.get();
            StringBuilder sb = new StringBuilder("lease ").append(l.address()).append('/').append(l.prefixLength());
            l.gateway().ifPresent(g -> sb.append(" gateway ").append(g));
            if (!l.dns().isEmpty()) sb.append(" dns ").append(String.join(",", l.dns().stream().map(Ipv4Address::toString).toList()));
            return sb.toString();
        }
        Optional<Observation.NoLease> none = o.last(Observation.NoLease.class);
        if (none.isPresent()) return "no lease" + (none.get().reason().isEmpty() ? "" : ": " + none.get().reason());
        StringBuilder sb = new StringBuilder();
        Optional<Observation.Resolution> r = o.last(Observation.Resolution.class);
        if (r.isPresent()) {
            sb.append(r.get().name()).append(" via ").append(to).append(": ");
            sb.append(r.get().outcome() == Observation.DnsOutcome.ANSWER
                    ? String.join(", ", r.get().addresses().stream().map(Ipv4Address::toString).toList())
                    : r.get().outcome().name().toLowerCase(java.util.Locale.ROOT));
        } else {
            sb.append("to ").append(to);
            o.last(Observation.Probe.class).flatMap(Observation.Probe::from).ifPresent(f -> sb.append(", answered by ").append(f));
        }
        // the NAT binding of the probe's own first packet, compactly: addresses (and ports) before and after
        for (Trace t : traces) {
            for (TraceStep s : t.steps()) {
                if (s instanceof TraceStep.Nat n && n.what().startsWith("applied source") && n.detail().contains("dst=" + to + " ")) {
                    String[] sides = n.detail().split(" -> ", 2);
                    if (sides.length == 2) {
                        sb.append("; source NAT ").append(endpoint(sides[0])).append(" -> ").append(endpoint(sides[1]));
                        return sb.toString();
                    }
                }
            }
        }
        return sb.toString();
    }

    /** {@code src=A ... sport=P} of a conntrack-style packet summary as {@code A:P} (or just A). */
    private static String endpoint(String summary) {
        String src = field(summary, "src=");
        String port = field(summary, "sport=");
        return port.isEmpty() ? src : src + ":" + port;
    }

    private static String field(String s, String key) {
        int i = s.indexOf(key);
        if (i < 0) return "";
        int j = s.indexOf(' ', i);
        return s.substring(i + key.length(), j < 0 ? s.length() : j);
    }
}
