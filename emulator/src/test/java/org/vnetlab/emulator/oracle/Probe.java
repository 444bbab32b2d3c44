package org.vnetlab.emulator.oracle;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One probe of an oracle spec: {@code probe ID KIND key=value ...}. The namespace it is sent from is the
 * {@code from} argument (default {@code guest}); {@code $guest} in a value stands for the guest's current
 * address. See src/oracle/README.md for every kind's arguments.
 */
public record Probe(String id, ProbeKind kind, Map<String, String> args) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern KEY = Pattern.compile("[a-z_]+");

    public Probe {
        if (!ID.matcher(id).matches()) throw new IllegalArgumentException("probe id must be [A-Za-z0-9_.-]+: '" + id + "'");
        for (Map.Entry<String, String> arg : args.entrySet()) {
            if (!KEY.matcher(arg.getKey()).matches()) throw new IllegalArgumentException("bad argument name '" + arg.getKey() + "'");
            if (arg.getValue().isEmpty() || arg.getValue().chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("argument " + arg.getKey() + " must be one non-empty word: '" + arg.getValue() + "'");
            }
        }
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    public static Probe dhcp(String id) { return new Probe(id, ProbeKind.DHCP, Map.of()); }

    public static Probe ping(String id, String dst) { return of(id, ProbeKind.PING, "dst", dst); }

    public static Probe udp(String id, String dst, int dport) { return of(id, ProbeKind.UDP, "dst", dst).with("dport", dport); }

    public static Probe dns(String id, String server, String name) { return of(id, ProbeKind.DNS, "server", server).with("name", name); }

    public static Probe tcp(String id, String dst, int dport) { return of(id, ProbeKind.TCP, "dst", dst).with("dport", dport); }

    public static Probe sleep(String id, int millis) { return of(id, ProbeKind.SLEEP, "ms", Integer.toString(millis)); }

    /** Loads an iptables-save file into the host (or, with {@link #from}, another namespace) between probes. */
    public static Probe iptables(String id, Path file) { return of(id, ProbeKind.IPTABLES, "file", file.toAbsolutePath().toString()); }

    /** Writes a per-namespace {@code net.*} sysctl in the host (or, with {@link #from}, another namespace) between probes. */
    public static Probe sysctl(String id, String key, Object value) {
        return of(id, ProbeKind.SYSCTL, "key", key).with("value", value);
    }

    /** The same probe sent from another namespace: guest, host, lan, router, inet, lanhost or guest2. */
    public Probe from(String namespace) { return with("from", namespace); }

    /** The same probe with one more (or a replaced) argument, e.g. {@code with("ttl", 1)}. */
    public Probe with(String key, Object value) {
        Map<String, String> copy = new LinkedHashMap<>(args);
        copy.put(key, String.valueOf(value));
        return new Probe(id, kind, copy);
    }

    /** The spec line. */
    public String line() {
        StringBuilder sb = new StringBuilder("probe ").append(id).append(' ').append(kind.word());
        args.forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
        return sb.toString();
    }

    private static Probe of(String id, ProbeKind kind, String key, String value) {
        return new Probe(id, kind, Map.of(key, value));
    }
}
