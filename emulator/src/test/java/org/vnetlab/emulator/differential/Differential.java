package org.vnetlab.emulator.differential;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.Probe;
import org.vnetlab.emulator.oracle.ProbeResult;
import org.vnetlab.emulator.oracle.SeenFlow;

/**
 * Compares the kernel's run of a scenario with the emulator's, probe by probe, in four aspects, each
 * reduced to what is deterministic on both sides:
 * <ul>
 *   <li>{@link Aspect#OUTCOME}: reply / timeout / ICMP error (type, code, sender, TTL, TOS, length, the
 *       quoted header) / reset / connected (HTTP status);</li>
 *   <li>{@link Aspect#NAT}: the flows that reached the internet: source address, source port or echo id
 *       kept or remapped (and into which range), destination, TTL on arrival;</li>
 *   <li>{@link Aspect#CONNTRACK}: the probe's entry after the probe: absent, or its TCP state, reply tuple
 *       (NAT'd port as kept/remapped) and [UNREPLIED]/[ASSURED];</li>
 *   <li>{@link Aspect#COUNTERS}: which rule and policy counters moved and by how many packets. A connection
 *       that completes exchanges a number of segments that varies with delayed ACKs from run to run; for
 *       those probes the set of moved counters is compared, and the nat table's counts exactly (nat rules
 *       see only a connection's first packet).</li>
 * </ul>
 */
final class Differential {
    enum Aspect { OUTCOME, NAT, CONNTRACK, COUNTERS }

    record Mismatch(String probe, Aspect aspect, String kernel, String emulator) {
        @Override
        public String toString() {
            return probe + " " + aspect + "\n    kernel:   " + kernel + "\n    emulator: " + emulator;
        }
    }

    /** Result details compared when the kernel reports them (src/oracle/README.md lists them per kind). */
    private static final List<String> DETAILS = List.of("sport", "echo_id", "reply_from", "reply_ttl", "reply_tos", "reply_len",
            "rcode", "http_status", "icmp_type", "icmp_code", "icmp_from", "icmp_ttl", "icmp_tos", "icmp_len", "quoted_src",
            "quoted_dst", "quoted_ttl", "quoted_sport", "quoted_dport");

    private final List<Probe> probes;
    private final Observation kernel;
    private final EmulatedRun emulator;

    Differential(List<Probe> probes, Observation kernel, EmulatedRun emulator) {
        this.probes = List.copyOf(probes);
        this.kernel = kernel;
        this.emulator = emulator;
    }

    List<Mismatch> compare(Aspect aspect) {
        List<Mismatch> out = new ArrayList<>();
        for (Probe p : probes) {
            String[] views = views(p.id(), aspect);
            if (!views[0].equals(views[1])) out.add(new Mismatch(p.id(), aspect, views[0], views[1]));
        }
        return out;
    }

    /** Every probe and aspect side by side ({@code =} agree, {@code ≠} differ), for the run's folder. */
    String report() {
        StringBuilder sb = new StringBuilder();
        for (Probe p : probes) {
            sb.append(p.line()).append('\n');
            for (Aspect a : Aspect.values()) {
                String[] v = views(p.id(), a);
                sb.append(String.format("  %-9s %s kernel:   %s%n", a, v[0].equals(v[1]) ? "=" : "≠", v[0]));
                if (!v[0].equals(v[1])) sb.append(String.format("  %-9s   emulator: %s%n", "", v[1]));
            }
        }
        return sb.toString();
    }

    private String[] views(String id, Aspect aspect) {
        {
            String k, e;
            switch (aspect) {
                case OUTCOME -> {
                    k = outcome(kernel.probe(id));
                    e = outcome(emulator.probe(id));
                }
                case NAT -> {
                    k = seen(kernel.probe(id), id);
                    e = seen(emulator.probe(id), id);
                }
                case CONNTRACK -> {
                    k = conntrack(kernel.conntrackAfter(id), id);
                    e = conntrack(emulator.conntrackAfter(id), id);
                }
                case COUNTERS -> {
                    boolean connected = kernel.probe(id).outcome() == Outcome.CONNECTED;
                    k = counters(kernel.counterDeltas(id), connected);
                    e = counters(emulator.counterDeltas(id), connected);
                }
                default -> throw new IllegalStateException();
            }
            return new String[] {k, e};
        }
    }

    private static String outcome(ProbeResult r) {
        StringBuilder sb = new StringBuilder(r.outcome().word());
        for (String key : DETAILS) r.optionalDetail(key).ifPresent(v -> sb.append(' ').append(key).append('=').append(v));
        return sb.toString();
    }

    private String seen(ProbeResult r, String id) {
        int original = emulator.flow(id).sourceKey();
        Set<String> flows = new TreeSet<>();
        for (SeenFlow f : r.inetSeen()) {
            String port = f.source().contains(":") || f.source().contains("#")
                    ? (f.source().contains("#") ? "#" : ":") + port(f.sourcePort(), original) : "";
            flows.add(f.protocol() + " " + f.sourceAddress() + port + " > " + f.destination() + " ttl=" + f.ttl());
        }
        return flows.isEmpty() ? "nothing reached the internet" : String.join(", ", flows);
    }

    private String conntrack(List<String> lines, String id) {
        ProbeClient.Flow f = emulator.flow(id);
        List<String> found = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) continue;
            ConntrackLine c = ConntrackLine.parse(line);
            if (!c.originalIs(f.protocol(), f.source().toString(), f.destination().toString(), f.sourceKey())) continue;
            StringBuilder sb = new StringBuilder(c.protocol());
            c.state().ifPresent(s -> sb.append(' ').append(s));
            Map<String, String> r = c.reply();
            sb.append(" reply ").append(r.get("src"));
            if (c.protocol().equals("icmp")) {
                sb.append(" > ").append(r.get("dst")).append(" type=").append(r.get("type")).append(" id=")
                        .append(port(Integer.parseInt(r.get("id")), f.sourceKey()));
            } else {
                sb.append(':').append(r.get("sport")).append(" > ").append(r.get("dst")).append(':')
                        .append(port(Integer.parseInt(r.get("dport")), f.sourceKey()));
            }
            for (String flag : List.of("UNREPLIED", "ASSURED")) if (c.flags().contains(flag)) sb.append(" [").append(flag).append(']');
            found.add(sb.toString());
        }
        return found.isEmpty() ? "no entry" : String.join(" | ", found);
    }

    private static String counters(Map<String, Long> deltas, boolean connected) {
        Map<String, String> shown = new TreeMap<>();
        deltas.forEach((k, v) -> shown.put(k, !connected || k.startsWith("nat:") ? "+" + v : "moved"));
        return shown.isEmpty() ? "no counter moved" : shown.toString();
    }

    /** A port or echo id after NAT, relative to the one the probe sent from. */
    private static String port(int port, int original) {
        if (port == original) return "kept";
        return port >= 1024 ? "remapped(1024-65535)" : "remapped(<1024)";
    }
}
