package org.vnetlab.emulator.selftests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.vnetlab.emulator.oracle.Outcome;
import org.vnetlab.emulator.oracle.ProbeResult;

/**
 * Probe by probe, vnetlab must reach the kernel's result: the outcome; every field of {@link #RESULT_KEYS}
 * the kernel reported; the flows the internet saw (a source port or echo id that NAT picked at random is not
 * compared); and the counters that moved in the namespaces named. A completed TCP connection's segment
 * count varies with delayed ACKs, so there only the set of moved counters and the nat table's counts are
 * compared. A known difference is declared with {@link #except}, its reason in the test, and listed.
 */
final class Agreement {
    static final List<String> RESULT_KEYS = List.of("reply_from", "reply_ttl", "icmp_type", "icmp_code", "icmp_from",
            "icmp_len", "quoted_src", "quoted_dst", "quoted_sport", "quoted_dport", "quoted_ttl", "http_status",
            "sent", "replies", "rcode", "answers", "a", "local");

    private final Observed kernel;
    private final Observed vnetlab;
    private final List<String> probes = new ArrayList<>();
    private final List<String> namespaces = new ArrayList<>();
    private final List<String> conntrackNamespaces = new ArrayList<>();
    private final Set<String> randomPorts = new TreeSet<>();
    private final Map<String, String> exceptions = new LinkedHashMap<>();

    private Agreement(Observed kernel, Observed vnetlab) {
        this.kernel = kernel;
        this.vnetlab = vnetlab;
    }

    static Agreement between(Observed kernel, Observed vnetlab) { return new Agreement(kernel, vnetlab); }

    Agreement probes(String... ids) {
        probes.addAll(List.of(ids));
        return this;
    }

    Agreement probes(List<String> ids) {
        probes.addAll(ids);
        return this;
    }

    /** Compare the counter deltas of these namespaces (each must have a ruleset in both runs). */
    Agreement counters(String... ns) {
        namespaces.addAll(List.of(ns));
        return this;
    }

    /**
     * Compare these namespaces' conntrack tables after each probe: the same entries, protocol, TCP state,
     * addresses and flags ([UNREPLIED], [ASSURED]), ports and echo ids aside (NAT picks some at random;
     * the checks of each selftest pin the ones that matter).
     */
    Agreement conntrack(String... ns) {
        conntrackNamespaces.addAll(List.of(ns));
        return this;
    }

    /** Probes whose flows NAT gave a random source port or echo id. */
    Agreement randomPorts(String... ids) {
        randomPorts.addAll(List.of(ids));
        return this;
    }

    /** A known difference, e.g. {@code except("undnat host counters", "why")}: "PROBE ASPECT" is skipped. */
    Agreement except(String probeAndAspect, String reason) {
        exceptions.put(probeAndAspect, reason);
        return this;
    }

    void check() {
        List<String> disagreements = new ArrayList<>();
        for (String id : probes) {
            ProbeResult k = kernel.probe(id);
            ProbeResult v = vnetlab.probe(id);
            if (k.outcome() != v.outcome() && !skipped(id + " outcome")) {
                disagreements.add(id + ": outcome kernel=" + k.outcome().word() + " vnetlab=" + v.outcome().word() + " " + v.details());
            }
            for (String key : RESULT_KEYS) {
                String kv = k.details().get(key);
                if (kv == null || kv.isEmpty() || skipped(id + " " + key)) continue;
                String vv = v.details().get(key);
                if (!kv.equals(vv)) disagreements.add(id + ": " + key + " kernel=" + kv + " vnetlab=" + vv);
            }
            if (k.details().containsKey("inet_seen") && !skipped(id + " inet_seen")) {
                List<String> ks = seen(k, randomPorts.contains(id));
                List<String> vs = seen(v, randomPorts.contains(id));
                if (!ks.equals(vs)) disagreements.add(id + ": inet_seen kernel=" + ks + " vnetlab=" + vs);
            }
            for (String ns : namespaces) {
                if (skipped(id + " " + ns + " counters")) continue;
                Map<String, Long> kc = kernel.counterDeltas(id, ns);
                Map<String, Long> vc = vnetlab.counterDeltas(id, ns);
                boolean same = k.outcome() == Outcome.CONNECTED
                        ? kc.keySet().equals(vc.keySet()) && natCounts(kc).equals(natCounts(vc))
                        : kc.equals(vc);
                if (!same) disagreements.add(id + ": " + ns + " counters kernel=" + kc + " vnetlab=" + vc);
            }
            for (String ns : conntrackNamespaces) {
                if (skipped(id + " " + ns + " conntrack")) continue;
                List<String> kt = masked(kernel.conntrackAfter(id, ns));
                List<String> vt = masked(vnetlab.conntrackAfter(id, ns));
                if (!kt.equals(vt)) disagreements.add(id + ": " + ns + " conntrack kernel=" + kt + " vnetlab=" + vt);
            }
        }
        assertThat(disagreements).as("where vnetlab and the kernel disagree (known and left out: " + exceptions + ")").isEmpty();
    }

    private static List<String> masked(List<String> table) {
        List<String> out = new ArrayList<>();
        for (String line : table) {
            if (line.isBlank()) continue;
            out.add(Scenario.normalized(line).replaceAll("\\b(sport|dport|id)=\\d+", "$1=*"));
        }
        out.sort(null);
        return out;
    }

    private boolean skipped(String aspect) { return exceptions.containsKey(aspect); }

    private static Map<String, Long> natCounts(Map<String, Long> counters) {
        Map<String, Long> nat = new LinkedHashMap<>();
        counters.forEach((k, n) -> {
            if (k.startsWith("nat:")) nat.put(k, n);
        });
        return nat;
    }

    private static List<String> seen(ProbeResult r, boolean randomPorts) {
        String s = r.details().getOrDefault("inet_seen", "");
        List<String> out = new ArrayList<>();
        for (String flow : s.split(",")) {
            if (flow.isEmpty()) continue;
            out.add(randomPorts ? flow.replaceFirst("([:#])\\d+>", "$1*>") : flow);
        }
        return out;
    }
}
