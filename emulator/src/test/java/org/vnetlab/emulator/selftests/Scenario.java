package org.vnetlab.emulator.selftests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.vnetlab.emulator.oracle.KernelOracle;
import org.vnetlab.emulator.oracle.OracleResult;
import org.vnetlab.emulator.oracle.OracleSpec;

/**
 * One selftest reproduced as an oracle spec: the rulesets it loads are written to files under
 * {@code target/selftests/NAME/}, the spec is built once, and it runs either through the kernel (one harness
 * run) or through vnetlab.
 */
final class Scenario {
    private final String name;
    private final Path dir;
    private final OracleSpec spec;

    Scenario(String name, Function<Scenario, OracleSpec> build) {
        this.name = name;
        this.dir = Path.of("target", "selftests", name).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.spec = build.apply(this);
    }

    /** Writes an iptables-save file for the spec and returns its path. */
    Path rules(String file, String text) {
        Path p = dir.resolve(file);
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    OracleSpec spec() { return spec; }

    /**
     * The harness's topology without what the selftests do not need and what would only add noise: no STP
     * (ports forward at once), no host dnsmasq, no pcaps, a static guest address, and no IGMP reports of
     * link-local groups (the bridges' 224.0.0.106 membership; the LAN switch's report, from 0.0.0.0, would
     * otherwise enter the host's PREROUTING as a new flow during whichever probe it meets).
     */
    static OracleSpec.Builder quietTopology() {
        return OracleSpec.builder()
                .set("bridge.stp", "off").set("dnsmasq", "off").set("capture", "off")
                .set("guest.ip", "192.168.122.55/24")
                .sysctl("host", "net.ipv4.igmp_link_local_mcast_reports", "0")
                .sysctl("lan", "net.ipv4.igmp_link_local_mcast_reports", "0");
    }

    /** One harness run; a spec line the kernel refused (a ruleset, a route, a sysctl, an MTU) fails it loudly. */
    Observed kernel(KernelOracle oracle) {
        OracleResult r = oracle.run(spec, dir.resolve("kernel"));
        List<String> refused = new ArrayList<>();
        r.meta().forEach((k, v) -> {
            if ((k.startsWith("firewall_rc") || k.startsWith("nft_rc")) && !v.equals("0")) refused.add(k + "=" + v);
            if (k.startsWith("firewall_error") || k.startsWith("route_failed") || k.startsWith("sysctl_missing")
                    || k.startsWith("sysctl_failed") || k.startsWith("mtu_failed")) refused.add(k + "=" + v);
        });
        if (!refused.isEmpty()) throw new AssertionError("the kernel refused part of " + name + "'s spec: " + refused);
        r.probes().stream().filter(p -> p.outcome() == org.vnetlab.emulator.oracle.Outcome.ERROR
                || p.outcome() == org.vnetlab.emulator.oracle.Outcome.NOT_RUN).findFirst().ifPresent(p -> {
                    throw new AssertionError("probe " + p + " did not run properly in " + r.dir());
                });
        return Observed.kernel(r);
    }

    EmulatedRun emulate() { return EmulatedRun.of(spec); }

    // ------------------------------------------------------------------ agreement

    /** A conntrack -L line without what changes from run to run: the remaining seconds, mark, use, zone. */
    static String normalized(String conntrackLine) {
        String[] w = conntrackLine.trim().split("\\s+");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < w.length; i++) {
            if (i == 2) continue;
            if (w[i].startsWith("mark=") || w[i].startsWith("use=") || w[i].startsWith("zone=")) continue;
            out.add(w[i]);
        }
        return String.join(" ", out);
    }

    /** Entries of a conntrack listing that mention every one of {@code words}, normalized. */
    static List<String> entries(List<String> conntrack, String... words) {
        List<String> out = new ArrayList<>();
        for (String line : conntrack) {
            boolean all = true;
            for (String w : words) all &= (" " + line + " ").contains(" " + w + " ");
            if (all) out.add(normalized(line));
        }
        return out;
    }

    /** The {@code key=value} fields of a conntrack line, original direction first (keys repeat: index 0 and 1). */
    static Map<String, List<String>> fields(String conntrackLine) {
        Map<String, List<String>> f = new LinkedHashMap<>();
        for (String w : conntrackLine.trim().split("\\s+")) {
            int eq = w.indexOf('=');
            if (eq > 0) f.computeIfAbsent(w.substring(0, eq), k -> new ArrayList<>()).add(w.substring(eq + 1));
        }
        return f;
    }

    @Override
    public String toString() { return name; }
}
