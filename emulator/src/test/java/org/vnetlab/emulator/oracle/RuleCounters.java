package org.vnetlab.emulator.oracle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packet/byte counters of one {@code iptables-save -c} snapshot: every chain policy and every rule,
 * keyed {@code table:CHAIN policy} or {@code table:CHAIN #n} (n counts from 1 within the chain, as
 * {@code iptables -L --line-numbers} does).
 */
public final class RuleCounters {
    private static final Pattern POLICY = Pattern.compile("^:(\\S+) (\\S+) \\[(\\d+):(\\d+)]$");
    private static final Pattern RULE = Pattern.compile("^\\[(\\d+):(\\d+)] -A (\\S+)(.*)$");

    /** One counter; {@code rule} is the {@code -A ...} text, or the policy word for a chain policy. */
    public record Counter(String key, String rule, long packets, long bytes) { }

    private final Map<String, Counter> counters;

    private RuleCounters(Map<String, Counter> counters) { this.counters = counters; }

    public static RuleCounters parse(List<String> lines) {
        Map<String, Counter> counters = new LinkedHashMap<>();
        Map<String, Integer> ruleNumbers = new HashMap<>();
        String table = null;
        for (String line : lines) {
            if (line.startsWith("*")) {
                table = line.substring(1).trim();
                continue;
            }
            if (table == null) continue;
            Matcher policy = POLICY.matcher(line);
            if (policy.matches()) {
                String key = table + ":" + policy.group(1) + " policy";
                counters.put(key, new Counter(key, policy.group(2), Long.parseLong(policy.group(3)), Long.parseLong(policy.group(4))));
                continue;
            }
            Matcher rule = RULE.matcher(line);
            if (rule.matches()) {
                String chain = table + ":" + rule.group(3);
                int n = ruleNumbers.merge(chain, 1, Integer::sum);
                String key = chain + " #" + n;
                counters.put(key, new Counter(key, "-A " + rule.group(3) + rule.group(4),
                        Long.parseLong(rule.group(1)), Long.parseLong(rule.group(2))));
            }
        }
        return new RuleCounters(counters);
    }

    public Map<String, Counter> all() { return Map.copyOf(counters); }

    /** Counter by key, e.g. {@code filter:LIBVIRT_FWI #2}; absent keys count 0 packets. */
    public long packets(String key) {
        Counter counter = counters.get(key);
        return counter == null ? 0 : counter.packets();
    }

    /** The {@code -A} text of the rule with this key. */
    public String rule(String key) {
        Counter counter = counters.get(key);
        if (counter == null) throw new IllegalArgumentException("no rule " + key + " in " + counters.keySet());
        return counter.rule();
    }

    /** Every counter whose packet count moved since {@code before}, in file order, with the increase. */
    public Map<String, Long> packetsSince(RuleCounters before) {
        Map<String, Long> moved = new LinkedHashMap<>();
        for (Counter counter : counters.values()) {
            long delta = counter.packets() - before.packets(counter.key());
            if (delta != 0) moved.put(counter.key(), delta);
        }
        return moved;
    }

    public List<String> keys() { return new ArrayList<>(counters.keySet()); }
}
