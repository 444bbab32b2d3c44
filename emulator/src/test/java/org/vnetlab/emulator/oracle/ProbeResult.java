package org.vnetlab.emulator.oracle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * What the real kernel did with one probe: one line of results.tsv ({@code key=value} fields, tab-separated).
 * The details hold every other field, e.g. {@code reply_ttl}, {@code icmp_type}, {@code icmp_from},
 * {@code quoted_src}, {@code address}, {@code offer_options}; src/oracle/README.md lists them per kind.
 */
public record ProbeResult(String id, ProbeKind kind, String from, Outcome outcome, Map<String, String> details) {

    public ProbeResult {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** Parses one results.tsv line. */
    public static ProbeResult parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : line.split("\t")) {
            int eq = field.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("field without key=value in results line: '" + field + "' of '" + line + "'");
            if (fields.put(field.substring(0, eq), field.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("key '" + field.substring(0, eq) + "' twice in results line '" + line + "'");
            }
        }
        String id = required(fields, "id", line);
        ProbeKind kind = ProbeKind.of(required(fields, "kind", line));
        Outcome outcome = Outcome.of(required(fields, "outcome", line));
        String from = fields.getOrDefault("from", "");
        fields.keySet().removeAll(List.of("id", "kind", "outcome", "from"));
        return new ProbeResult(id, kind, from, outcome, fields);
    }

    /** A detail that must be there; the exception names the probe and shows everything it has. */
    public String detail(String key) {
        String value = details.get(key);
        if (value == null || value.isEmpty()) {
            throw new NoSuchElementException("probe " + id + " (" + outcome.word() + ") has no '" + key + "': " + details);
        }
        return value;
    }

    public Optional<String> optionalDetail(String key) {
        String value = details.get(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    public int intDetail(String key) { return Integer.parseInt(detail(key)); }

    /** The flows that reached the emulated internet while this probe ran (first packet of each). */
    public List<SeenFlow> inetSeen() {
        String seen = details.getOrDefault("inet_seen", "");
        if (seen.equals("unknown")) throw new IllegalStateException("the internet's arrival log could not be read for probe " + id);
        List<SeenFlow> flows = new ArrayList<>();
        for (String item : seen.split(",")) {
            if (!item.isEmpty()) flows.add(SeenFlow.parse(item));
        }
        return List.copyOf(flows);
    }

    @Override
    public String toString() {
        return id + " [" + kind.word() + " from " + from + "] " + outcome.word() + " " + details;
    }

    private static String required(Map<String, String> fields, String key, String line) {
        String value = fields.get(key);
        if (value == null) throw new IllegalArgumentException("results line without '" + key + "': '" + line + "'");
        return value;
    }
}
