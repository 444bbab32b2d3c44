package org.vnetlab.scenarios.diagnose;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.vnetlab.emulator.trace.Disposition;
import org.vnetlab.emulator.trace.Trace;
import org.vnetlab.emulator.trace.TraceStep;

/**
 * Finds the rule that decided a probe from its packets' traces. When a packet was rejected or dropped, the
 * decision is the rule (or policy) that did it, in the first such packet. Otherwise it is the filter
 * decision that let the probe's first packet through: the last ACCEPT (rule or policy) in the filter
 * table on FORWARD or INPUT, where the host chooses whether to pass or take a packet.
 */
public final class DecisiveHop {
    private DecisiveHop() {}

    /** The decision about the probe's own packets: traces of packets to or from {@code peer} only. */
    public static Optional<Decisive> of(List<Trace> traces, org.vnetlab.protocols.Ipv4Address peer) {
        return of(about(traces, peer));
    }

    /** The traces of packets sent to or received from {@code peer} (a command's other packets left out). */
    public static List<Trace> about(List<Trace> traces, org.vnetlab.protocols.Ipv4Address peer) {
        String dst = "dst=" + peer + " ";
        String src = "src=" + peer + " ";
        return traces.stream().filter(t -> t.steps().stream().anyMatch(s -> s instanceof TraceStep.HookEntered h
                && (h.packet().contains(dst) || h.packet().contains(src)))).toList();
    }

    public static Optional<Decisive> of(List<Trace> traces) {
        for (Trace t : traces) {
            if (isDenied(t.disposition())) {
                List<Decisive> ds = decisions(t);
                for (int i = ds.size() - 1; i >= 0; i--) {
                    String target = ds.get(i).target().toUpperCase(java.util.Locale.ROOT);
                    if (target.startsWith("DROP") || target.startsWith("REJECT")) return Optional.of(ds.get(i));
                }
            }
        }
        for (Trace t : traces) {
            List<Decisive> ds = decisions(t);
            Optional<Decisive> pass = Optional.empty();
            for (Decisive d : ds) {
                boolean filter = d.table().equals("filter") || d.isNft();
                if (filter && (d.hook().equals("FORWARD") || d.hook().equals("INPUT")) && d.target().equalsIgnoreCase("ACCEPT")) {
                    pass = Optional.of(d);
                }
            }
            if (pass.isPresent()) return pass;
        }
        return Optional.empty();
    }

    private static boolean isDenied(Disposition d) {
        return d == Disposition.REJECTED || d == Disposition.DROPPED_BY_RULE || d == Disposition.DROPPED_BY_POLICY;
    }

    /** Every terminal decision of a trace (verdicts other than jumps and returns, and policies), in order. */
    static List<Decisive> decisions(Trace t) {
        List<Decisive> out = new ArrayList<>();
        String hook = "";
        Map<String, String> texts = new HashMap<>();
        for (TraceStep s : t.steps()) {
            if (s instanceof TraceStep.HookEntered h) {
                hook = h.hook();
            } else if (s instanceof TraceStep.RuleEvaluated r) {
                if (r.matched()) texts.put(r.ref(), r.text());
            } else if (s instanceof TraceStep.Verdict v) {
                if (v.verdict().startsWith("jump ") || v.verdict().startsWith("goto ") || v.verdict().equals("RETURN")) continue;
                if (v.verdict().equals("log") || v.verdict().startsWith("log group") || v.verdict().startsWith("meta mark set")
                        || v.verdict().startsWith("ct mark set")) continue; // nft statements that do not decide
                Optional<String[]> ref = parseRef(v.ref());
                if (ref.isPresent()) {
                    out.add(new Decisive(hook, ref.get()[0], ref.get()[1], Integer.parseInt(ref.get()[2]), v.verdict(),
                            texts.getOrDefault(v.ref(), "")));
                    continue;
                }
                Optional<Decisive> nft = nftRule(hook, v.ref(), v.verdict(), texts.getOrDefault(v.ref(), ""));
                nft.ifPresent(out::add);
            } else if (s instanceof TraceStep.PolicyApplied p) {
                int colon = p.chain().indexOf(':');
                String[] w = p.chain().split(" ");
                if (colon < 0 && w.length == 3) { // an nft base chain: FAMILY TABLE CHAIN
                    out.add(new Decisive(hook, w[0] + " " + w[1], w[2], 0, p.policy(), ""));
                    continue;
                }
                String table = colon < 0 ? "" : p.chain().substring(0, colon);
                String chain = colon < 0 ? p.chain() : p.chain().substring(colon + 1);
                out.add(new Decisive(hook, table, chain, 0, p.policy(), ""));
            }
        }
        return out;
    }

    /** An nft rule's reference, {@code FAMILY TABLE CHAIN #N (handle H)}, as the nft engine writes it. */
    private static Optional<Decisive> nftRule(String hook, String ref, String verdict, String text) {
        java.util.regex.Matcher m = NFT_REF.matcher(ref);
        if (!m.matches()) return Optional.empty();
        return Optional.of(new Decisive(hook, m.group(1) + " " + m.group(2), m.group(3), Integer.parseInt(m.group(4)), verdict, text,
                java.util.OptionalLong.of(Long.parseLong(m.group(5)))));
    }

    private static final java.util.regex.Pattern NFT_REF =
            java.util.regex.Pattern.compile("(ip|inet|ip6|bridge|arp|netdev) (\\S+) (\\S+) #(\\d+) \\(handle (\\d+)\\)");

    /** {@code table:chain #n} into its three parts. */
    private static Optional<String[]> parseRef(String ref) {
        int colon = ref.indexOf(':');
        int hash = ref.lastIndexOf(" #");
        if (colon < 0 || hash < colon) return Optional.empty();
        String n = ref.substring(hash + 2);
        if (n.isEmpty() || !n.chars().allMatch(Character::isDigit)) return Optional.empty();
        return Optional.of(new String[] {ref.substring(0, colon), ref.substring(colon + 1, hash), n});
    }
}
