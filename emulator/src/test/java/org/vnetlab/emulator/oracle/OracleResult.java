package org.vnetlab.emulator.oracle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Everything one oracle run left in its output folder, parsed: per-probe results, the run's facts
 * (meta.txt), iptables counter snapshots taken after each probe, conntrack tables and events, pcaps.
 */
public final class OracleResult {
    private final Path dir;
    private final List<ProbeResult> probes;
    private final Map<String, String> meta;

    private OracleResult(Path dir, List<ProbeResult> probes, Map<String, String> meta) {
        this.dir = dir;
        this.probes = List.copyOf(probes);
        this.meta = Map.copyOf(meta);
    }

    /** Reads an output folder written by {@code vnetlab-oracle run}. */
    public static OracleResult read(Path dir) {
        List<ProbeResult> probes = readLines(dir.resolve("results.tsv")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(ProbeResult::parse)
                .toList();
        Map<String, String> meta = new LinkedHashMap<>();
        for (String line : readLines(dir.resolve("meta.txt"))) {
            int eq = line.indexOf('=');
            if (eq > 0) meta.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return new OracleResult(dir, probes, meta);
    }

    public Path dir() { return dir; }

    public List<ProbeResult> probes() { return probes; }

    public ProbeResult probe(String id) {
        return probes.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no probe " + id + " in " + dir.resolve("results.tsv")));
    }

    /** Facts of the run: kernel, iptables version, firewall_rc, guest_ip, bridge_forward_delay_cs, times, ... */
    public Map<String, String> meta() { return meta; }

    public String meta(String key) {
        String value = meta.get(key);
        if (value == null) throw new NoSuchElementException("no '" + key + "' in " + dir.resolve("meta.txt") + ": " + meta);
        return value;
    }

    /** iptables counters after the probe ran. */
    public RuleCounters countersAfter(String id) { return RuleCounters.parse(readLines(snapshot("counters", id, 1))); }

    /** Rules and policies whose packet counters moved during the probe, with the increase. */
    public Map<String, Long> counterDeltas(String id) {
        RuleCounters before = RuleCounters.parse(readLines(snapshot("counters", id, 0)));
        return countersAfter(id).packetsSince(before);
    }

    /** The host's conntrack table ({@code conntrack -L}) right after the probe, one entry per line. */
    public List<String> conntrackAfter(String id) {
        return readLines(snapshot("conntrack", id, 1)).stream().filter(line -> !line.startsWith("conntrack v")).toList();
    }

    /** Counters of another namespace's ruleset (loaded by an {@code iptables NS FILE} line or probe) after the probe. */
    public RuleCounters countersAfter(String id, String namespace) {
        return RuleCounters.parse(readLines(snapshot(folder("counters", namespace), id, 1)));
    }

    /** Rules and policies of a namespace whose packet counters moved during the probe. */
    public Map<String, Long> counterDeltas(String id, String namespace) {
        RuleCounters before = RuleCounters.parse(readLines(snapshot(folder("counters", namespace), id, 0)));
        return countersAfter(id, namespace).packetsSince(before);
    }

    /** A namespace's conntrack table right after the probe (host, or one that has a ruleset). */
    public List<String> conntrackAfter(String id, String namespace) {
        return readLines(snapshot(folder("conntrack", namespace), id, 1)).stream().filter(line -> !line.startsWith("conntrack v")).toList();
    }

    /** The host's {@code conntrack -S} at the end of the run: one line per CPU. */
    public List<String> conntrackStats() { return readLines(dir.resolve("conntrack-stats.txt")); }

    /** The sum over CPUs of one {@code conntrack -S} counter, e.g. {@code clash_resolve}. */
    public long conntrackStat(String name) {
        long sum = 0;
        for (String line : conntrackStats()) {
            for (String field : line.trim().split("\\s+")) {
                if (field.startsWith(name + "=")) sum += Long.parseLong(field.substring(name.length() + 1));
            }
        }
        return sum;
    }

    private static String folder(String kind, String namespace) { return namespace.equals("host") ? kind : kind + "-" + namespace; }

    /** The host's {@code nft list ruleset} right after the probe (only when the spec loaded an nft file). */
    public List<String> nftAfter(String id) { return readLines(snapshot("nft", id, 1)); }

    /** {@code conntrack -E -o timestamp} of the host over the whole run. */
    public List<String> conntrackEvents() { return readLines(dir.resolve("events.txt")); }

    /** The host's final {@code iptables-save -c}. */
    public List<String> iptablesSave() { return readLines(dir.resolve("iptables-save-c.txt")); }

    public Path pcap(String namespace, String iface) { return dir.resolve("pcap").resolve(namespace + "-" + iface + ".pcap"); }

    /** Snapshot file taken after probe {@code id} (offset 1) or before it (offset 0). */
    private Path snapshot(String folder, String id, int offset) {
        int index = probes.indexOf(probe(id));
        int n = index + offset;
        String name = n == 0 ? "00-baseline" : String.format("%02d-%s", n, probes.get(n - 1).id());
        return dir.resolve(folder).resolve(name + ".txt");
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read oracle output " + file, e);
        }
    }
}
