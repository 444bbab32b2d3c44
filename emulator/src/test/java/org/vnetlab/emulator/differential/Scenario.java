package org.vnetlab.emulator.differential;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.oracle.OracleSpec;
import org.vnetlab.emulator.oracle.Probe;

/**
 * One differential scenario: an iptables-save file, the host's ip_forward, whether the guest runs a web
 * server, and probes. The same description becomes an oracle spec (real kernel) and a {@link ReferenceRig}
 * run (emulator). The oracle's rig is set up for speed where it does not change netfilter's answers: a
 * static guest address (no DHCP), STP off (no 4 s wait for the bridge port), no dnsmasq on the host, no pcaps.
 * And for quiet counters: with {@code igmp_link_local_mcast_reports=0} no namespace announces its 224.0.0.x
 * groups. A Linux bridge joins 224.0.0.106 (all-snoopers) when it comes up; the LAN switch's report, sent
 * from 0.0.0.0 to 224.0.0.22, entered the host's PREROUTING as a new flow and moved nat:PREROUTING's policy
 * counter during whichever probe it coincided with (seen in the first runs).
 */
record Scenario(String name, Path rules, boolean ipForward, boolean defaultRoute, boolean guestHttp, List<Probe> probes) {

    static Scenario of(String name, Path rules) { return new Scenario(name, rules, true, true, false, List.of()); }

    Scenario withIpForward(boolean on) { return new Scenario(name, rules, on, defaultRoute, guestHttp, probes); }

    /** The host without its default route (only connected routes and 10.99.0.0/16 via the router). */
    Scenario withoutDefaultRoute() { return new Scenario(name, rules, ipForward, false, guestHttp, probes); }

    Scenario withGuestWebServer() { return new Scenario(name, rules, ipForward, defaultRoute, true, probes); }

    Scenario probe(Probe p) {
        List<Probe> l = new ArrayList<>(probes);
        l.add(p);
        return new Scenario(name, rules, ipForward, defaultRoute, guestHttp, l);
    }

    OracleSpec spec() {
        OracleSpec.Builder b = OracleSpec.builder()
                .iptables(rules)
                .set("guest.ip", ReferenceRig.GUEST + "/24")
                .set("bridge.stp", "off")
                .set("dnsmasq", "off")
                .set("capture", "off");
        for (String ns : List.of("guest", "host", "lan", "router", "lanhost")) b.sysctl(ns, "net.ipv4.igmp_link_local_mcast_reports", "0");
        if (!ipForward) b.sysctl("host", "net.ipv4.ip_forward", "0");
        if (guestHttp) b.set("guest.http", "0.0.0.0:80");
        if (!defaultRoute) b.route("host", Topology.NO_DEFAULT_ROUTE);
        probes.forEach(b::probe);
        return b.build();
    }

    EmulatedRun emulate() {
        try {
            Ruleset ruleset = IptablesSaveParser.parse(Files.readString(rules, StandardCharsets.UTF_8), rules.getFileName().toString())
                    .ruleset();
            return new ReferenceRig(ruleset, ipForward, defaultRoute, guestHttp).run(probes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InputException e) {
            throw new IllegalStateException("scenario " + name + ": the emulator refuses " + rules + ": " + e.getMessage(), e);
        }
    }

    /** A test resource as a file (the oracle's iptables-restore reads it from disk). */
    static Path resource(String name) {
        try {
            return Path.of(Scenario.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no test resource " + name, e);
        }
    }

    /** A file of shared/ (beside the checkout in CI; for a nested git worktree, in the nearest ancestor holding one). */
    static Path shared(String relative) {
        Path configured = Path.of(System.getProperty("vnetlab.shared", "../../shared"));
        if (Files.isDirectory(configured)) return configured.resolve(relative).toAbsolutePath();
        for (Path dir = Path.of(System.getProperty("vnetlab.root", "..")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared/ref"))) return dir.resolve("shared").resolve(relative);
        }
        return configured.resolve(relative).toAbsolutePath();
    }
}
