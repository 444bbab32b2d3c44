package org.vnetlab.emulator.differential;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code conntrack -L} line, e.g. {@code tcp 6 119 TIME_WAIT src=… dst=… sport=… dport=… src=… …
 * [ASSURED] mark=0 use=1}: protocol, TCP state, the original and reply tuples, the bracketed flags. The
 * emulator's {@code ConntrackEntry.format} prints the same shape, so both sides are read alike.
 */
record ConntrackLine(String protocol, Optional<String> state, Map<String, String> original, Map<String, String> reply,
                     Set<String> flags) {

    static ConntrackLine parse(String line) {
        String[] w = line.trim().split("\\s+");
        if (w.length < 5) throw new IllegalArgumentException("not a conntrack line: '" + line + "'");
        Optional<String> state = Optional.empty();
        Map<String, String> original = new LinkedHashMap<>(), reply = new LinkedHashMap<>();
        Set<String> flags = new LinkedHashSet<>();
        Map<String, String> current = original;
        for (int i = 3; i < w.length; i++) {
            String t = w[i];
            if (t.startsWith("[")) {
                flags.add(t.substring(1, t.length() - 1));
            } else if (t.contains("=")) {
                String key = t.substring(0, t.indexOf('='));
                if (key.equals("mark") || key.equals("use")) continue;
                if (key.equals("src") && current == original && original.containsKey("src")) current = reply;
                current.put(key, t.substring(t.indexOf('=') + 1));
            } else if (i == 3) {
                state = Optional.of(t);
            }
        }
        return new ConntrackLine(w[0], state, original, reply, flags);
    }

    boolean originalIs(String proto, String src, String dst, int sourceKey) {
        if (!protocol.equals(proto) || !src.equals(original.get("src")) || !dst.equals(original.get("dst"))) return false;
        if (proto.equals("icmp")) return Integer.toString(sourceKey).equals(original.get("id")) && "8".equals(original.get("type"));
        return Integer.toString(sourceKey).equals(original.get("sport"));
    }
}
