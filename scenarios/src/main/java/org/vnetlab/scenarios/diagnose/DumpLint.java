package org.vnetlab.scenarios.diagnose;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.NetworkDefinition;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.libvirt.driver.FirewallBackend;
import org.vnetlab.emulator.libvirt.firewall.NftablesFirewall;
import org.vnetlab.emulator.nftables.Family;
import org.vnetlab.emulator.nftables.NftChain;
import org.vnetlab.emulator.nftables.Stmt;
import org.vnetlab.emulator.nftables.NftRule;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.nftables.NftTable;
import org.vnetlab.emulator.netfilter.Chain;
import org.vnetlab.emulator.netfilter.Policy;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.Table;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.netfilter.iptables.LintFinding;
import org.vnetlab.emulator.netfilter.iptables.RulesetLint;
import org.vnetlab.emulator.hostconf.route.Ipv4Prefix;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.lab.BrNetfilter;
import org.vnetlab.scenarios.dump.DumpReader;
import org.vnetlab.scenarios.dump.DumpedGuest;
import org.vnetlab.scenarios.dump.DumpedHost;
import org.vnetlab.scenarios.dump.LibvirtRules;
import org.vnetlab.scenarios.script.Topology;

/**
 * What is worth a look in a host dump, before any packet is sent: how the firewall differs from the rules
 * libvirt generates for this network XML, suspicious rule syntax (iptables' own lint: {@code -d 53},
 * unreachable rules), Docker's FORWARD policy (also for guest-to-guest traffic when br_netfilter hands it to
 * iptables), forwarding off, no masquerading for the guests, and a resolv.conf that sends dnsmasq to a local stub.
 */
public final class DumpLint implements Linter {

    @Override
    public List<Finding> lint(Topology topology, Path folder) throws InputException {
        Path dump = topology.dump().map(folder::resolve).orElse(null);
        return lint(DumpReader.read(dump, topology.files(), folder));
    }

    @Override
    public Optional<DumpedGuest> guest(Topology topology, Path folder) throws InputException {
        Path dump = topology.dump().map(folder::resolve).orElse(null);
        return DumpReader.read(dump, topology.files(), folder).guest();
    }

    public static List<Finding> lint(DumpedHost h) {
        List<Finding> out = new ArrayList<>();
        NetworkDefinition def = h.network();
        Optional<NetworkDefinition.IpDefinition> ip4 = def.ips().stream().filter(i -> i.address() instanceof IpAddress.V4).findFirst();
        String net = ip4.map(i -> i.network() + "/" + i.prefix()).orElse("");
        String bridge = def.bridgeName().orElse("virbr0");
        String mode = def.forward().mode().xmlName();

        if (h.sysctls().intValue("net.ipv4.ip_forward") == 0) {
            out.add(new Finding("ip-forward-off", Finding.Severity.ERROR, "", "net.ipv4.ip_forward is 0: the host forwards nothing, "
                    + "so guests reach the host's own addresses and no further (sysctl -w net.ipv4.ip_forward=1)"));
        }
        Ruleset rules = h.ruleset();
        if (!h.rulesFile().isEmpty()) {
            for (LintFinding f : RulesetLint.check(rules, !h.ipsetFile().isEmpty())) {
                out.add(new Finding("iptables-syntax", Finding.Severity.WARNING, where(h, f.origin().line()),
                        f.message() + ": " + (f.origin().written().isEmpty() ? f.rule() : f.origin().written())));
            }
            boolean libvirtUsesIptables = h.backend() == FirewallBackend.IPTABLES;
            if (libvirtUsesIptables && (mode.equals("nat") || mode.equals("route") || mode.equals("none"))) canonical(h, def, out);
        }
        if (rules.legacyTablesPresent()) {
            out.add(new Finding("iptables-legacy-present", Finding.Severity.WARNING, h.rulesFile(),
                    "iptables-save printed '# Warning: iptables-legacy tables present': it shows the nf_tables backend's "
                            + "tables only, yet this host also has iptables-legacy (x_tables) tables, which the kernel runs on the "
                            + "same hooks (a DROP there drops the packet too). They are not in this dump, so not in the diagnosis: "
                            + "add the output of iptables-legacy-save. Two iptables back ends on one host usually means two programs "
                            + "disagree (one ships its own iptables); pick one with update-alternatives --config iptables"));
        }
        boolean nftBackend = h.backend() == FirewallBackend.NFTABLES;
        Optional<Chain> forward = rules.table(TableName.FILTER).flatMap(t -> t.chain("FORWARD"));
        if (nftBackend && forward.flatMap(Chain::policy).equals(Optional.of(Policy.DROP))) {
            boolean docker = rules.table(TableName.FILTER).flatMap(t -> t.chain("DOCKER-USER")).isPresent();
            Optional<String> accepting = iptablesAccepts(rules, bridge);
            out.add(new Finding("forward-policy-drop", accepting.isPresent() ? Finding.Severity.WARNING : Finding.Severity.ERROR, h.rulesFile(),
                    "the iptables FORWARD chain's policy is DROP" + (docker ? " (Docker sets it)" : "") + ", and libvirt uses its "
                            + "nftables backend: libvirt's table ip " + NftablesFirewall.TABLE + " accepts the guests' traffic, but an accept "
                            + "ends only that table's base chain; iptables' FORWARD chain (iptables-nft, same forward hook, priority 0) "
                            + "still has to accept each packet, " + (accepting.isPresent()
                            ? "and here " + accepting.get() + " does"
                            : "and no rule there does, so the guests' forwarded packets are dropped by its policy. Docker's documented "
                            + "fix: iptables -I DOCKER-USER -i " + bridge + " -j ACCEPT and iptables -I DOCKER-USER -o " + bridge
                            + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT")));
        } else if (forward.flatMap(Chain::policy).equals(Optional.of(Policy.DROP))) {
            boolean docker = rules.table(TableName.FILTER).flatMap(t -> t.chain("DOCKER-USER")).isPresent();
            boolean libvirtAccepts = rules.table(TableName.FILTER).flatMap(t -> t.chain("LIBVIRT_FWO"))
                    .map(c -> c.rules().stream().anyMatch(r -> r.text().contains("-i " + bridge) && r.text().endsWith("-j ACCEPT"))).orElse(false);
            out.add(new Finding("forward-policy-drop", libvirtAccepts ? Finding.Severity.WARNING : Finding.Severity.ERROR, "",
                    "the FORWARD chain's policy is DROP" + (docker ? " (Docker sets it)" : "") + ": "
                            + (libvirtAccepts ? "libvirt's ACCEPT rules let the guests through as long as they stay in place; "
                            + "a firewall reload that flushes them cuts the guests off (rules of your own belong in DOCKER-USER)"
                            : "and no rule accepts the guests' traffic, so it is dropped")));
        }
        bridgedTraffic(h, rules, bridge, out);
        nftPolicies(h, out);
        if (nftBackend && !h.nftFile().isEmpty() && (mode.equals("nat") || mode.equals("route") || mode.equals("none"))) {
            canonicalNft(h, def, out);
        }
        if (mode.equals("nat") && !net.isEmpty() && !masqueraded(rules, net) && !nftMasquerades(h.nft(), net)) {
            out.add(new Finding("masquerade-missing", Finding.Severity.ERROR, nftBackend ? h.nftFile() : h.rulesFile(),
                    "no MASQUERADE or SNAT rule covers " + net + ": the guests' packets leave with private source addresses and no answer comes back"));
        }
        for (String ns : h.resolv().usedNameservers()) {
            if (ns.startsWith("127.")) {
                out.add(new Finding("resolv-conf-stub", Finding.Severity.WARNING, "/etc/resolv.conf",
                        "nameserver " + ns + (ns.equals("127.0.0.53") ? " (systemd-resolved's stub)" : "")
                                + ": libvirt's dnsmasq forwards the guests' queries there, which works only while a resolver listens on the host; "
                                + "<forwarder addr='...'/> in the network's <dns> avoids it"));
            }
        }
        h.guest().ifPresent(g -> guest(g, def, ip4, bridge, out));
        for (NetworkDefinition.Unmodelled u : def.unmodelled()) {
            out.add(new Finding("not-emulated", Finding.Severity.INFO, h.networkFile() + ":" + u.line(), u.element() + ": " + u.effect()));
        }
        return out;
    }

    /**
     * The guest's own settings against its network: an address outside the network's subnet (typed in, or
     * Windows' 169.254 fallback when DHCP got no answer) cuts it off; a gateway other than the bridge goes
     * nowhere; otherwise say how it got its address.
     */
    private static void guest(DumpedGuest g, NetworkDefinition def, Optional<NetworkDefinition.IpDefinition> ip4, String bridge, List<Finding> out) {
        String where = g.file() + ":" + g.line();
        String who = "the guest (" + (g.windows() ? "ipconfig" : "ip addr") + ", " + g.adapter() + ")";
        if (ip4.isEmpty()) return;
        NetworkDefinition.IpDefinition ip = ip4.get();
        Ipv4Prefix net = Ipv4Prefix.parse(ip.network() + "/" + ip.prefix());
        String bridgeAddress = ip.address().toString();
        String range = ip.ranges().stream().findFirst().map(r -> " (range " + r.start() + " to " + r.end() + ")").orElse("");
        String gw = g.gateway().map(x -> ", gateway " + x).orElse("");
        boolean inside = net.contains(g.address()) && g.prefixLength() == ip.prefix();
        if (g.address().toString().startsWith("169.254.")) {
            out.add(new Finding("guest-no-lease", Finding.Severity.ERROR, where, who + " has " + g.cidr()
                    + ", the address Windows takes when no DHCP server answers: it never got a lease from libvirt's dnsmasq on "
                    + bridge + "; the dhcp probe shows whether dnsmasq answers"));
        } else if (!net.contains(g.address())) {
            out.add(new Finding("guest-outside-subnet", Finding.Severity.ERROR, where, who + " has the "
                    + (g.isStatic() ? "static " : "") + "address " + g.cidr() + gw + ", outside the network '" + def.name() + "' (" + net + " on "
                    + bridge + "): nothing on " + bridge + " answers for " + g.gateway().map(Object::toString).orElse("its gateway")
                    + " and the host has no route to it, so the guest reaches neither the host nor the internet. Let it take its address "
                    + "from libvirt's DHCP" + range + ", or give it a static address inside " + net + " with gateway " + bridgeAddress));
        } else if (!inside) {
            out.add(new Finding("guest-wrong-mask", Finding.Severity.WARNING, where, who + " has " + g.cidr() + ", but the network '"
                    + def.name() + "' is " + net + ": with this mask the guest thinks other addresses are (or are not) on its link"));
        } else if (g.gateway().isPresent() && !g.gateway().get().toString().equals(bridgeAddress)) {
            out.add(new Finding("guest-wrong-gateway", Finding.Severity.ERROR, where, who + " sends everything beyond its link to "
                    + g.gateway().get() + ", but on the network '" + def.name() + "' only the host's bridge (" + bridgeAddress
                    + ") routes: set the gateway to " + bridgeAddress + " (or use DHCP)"));
        } else {
            String how = g.dhcp().map(d -> d ? "DHCP-enabled: it takes its address from libvirt's dnsmasq" : "static, inside the network")
                    .orElse("plain ipconfig does not say whether by DHCP (ipconfig /all does)");
            out.add(new Finding("guest-address", Finding.Severity.INFO, where, who + " has " + g.cidr() + gw + " on the network '"
                    + def.name() + "' (" + how + ")"));
        }
        if (g.isStatic() && !g.dns().isEmpty() && g.dns().stream().noneMatch(d -> d.toString().equals(bridgeAddress))) {
            out.add(new Finding("guest-dns", Finding.Severity.INFO, where, who + " asks " + String.join(", ", g.dns().stream().map(Object::toString).toList())
                    + " for names, not libvirt's dnsmasq (" + bridgeAddress + "): the guest's own names in the network are unknown there"));
        }
    }

    /** Differences between the dumped LIBVIRT_* chains and what libvirt generates for this network. */
    private static void canonical(DumpedHost h, NetworkDefinition def, List<Finding> out) {
        Ruleset expected;
        try {
            expected = LibvirtRules.add(Ruleset.EMPTY, new RuleCounters(), def);
        } catch (InputException | NetworkStartException e) {
            return;
        }
        for (Table t : expected.tables()) {
            if (t.name() == TableName.MANGLE) continue; // the checksum rule is absent on newer libvirt and harmless either way
            Optional<Table> dumped = h.ruleset().table(t.name());
            for (Chain c : t.chains()) {
                if (!c.name().startsWith("LIBVIRT_")) continue;
                Optional<Chain> dc = dumped.flatMap(x -> x.chain(c.name()));
                List<Rule> have = dc.map(Chain::rules).orElse(List.of());
                for (Rule r : c.rules()) {
                    if (!have.contains(r)) {
                        boolean breaks = r.text().endsWith("-j ACCEPT") && (c.name().equals("LIBVIRT_FWO") || c.name().equals("LIBVIRT_FWI"))
                                || r.text().contains("MASQUERADE");
                        out.add(new Finding("libvirt-rule-missing", breaks ? Finding.Severity.ERROR : Finding.Severity.WARNING, h.rulesFile(),
                                "libvirt's rule is missing: -t " + t.name().iptablesName() + " -A " + c.name() + " " + r.text()));
                    }
                }
                for (Rule r : have) {
                    if (!c.rules().contains(r)) {
                        out.add(new Finding("not-libvirt-rule", Finding.Severity.WARNING, where(h, r.origin().line()),
                                "a rule libvirt does not generate for this network sits in its chain " + c.name() + ": "
                                        + (r.origin().written().isEmpty() ? r.text() : r.origin().written())));
                    }
                }
            }
        }
    }

    /** Differences between the dumped table ip libvirt_network and what libvirt's nftables backend makes of this network. */
    private static void canonicalNft(DumpedHost h, NetworkDefinition def, List<Finding> out) {
        NftRuleset expected;
        try {
            expected = LibvirtRules.addNft(NftRuleset.EMPTY, def);
        } catch (InputException | NetworkStartException e) {
            return;
        }
        NftTable want = expected.table(Family.IP, NftablesFirewall.TABLE).orElseThrow();
        Optional<NftTable> have = h.nft().table(Family.IP, NftablesFirewall.TABLE);
        for (NftChain c : want.chains()) {
            List<NftRule> dumped = have.flatMap(t -> t.chain(c.name())).map(NftChain::rules).orElse(List.of());
            List<List<Stmt>> haveRules = dumped.stream().map(r -> uncounted(r.statements())).toList();
            List<List<Stmt>> wantRules = c.rules().stream().map(r -> uncounted(r.statements())).toList();
            for (NftRule r : c.rules()) {
                if (haveRules.contains(uncounted(r.statements()))) continue;
                String text = r.text(Family.IP);
                boolean breaks = text.endsWith(" accept") && c.name().startsWith("guest_") || text.contains("masquerade");
                out.add(new Finding("libvirt-rule-missing", breaks ? Finding.Severity.ERROR : Finding.Severity.WARNING, h.nftFile(),
                        "libvirt's rule is missing: table ip " + NftablesFirewall.TABLE + " chain " + c.name() + ": " + text));
            }
            for (NftRule r : dumped) {
                if (wantRules.contains(uncounted(r.statements()))) continue;
                out.add(new Finding("not-libvirt-rule", Finding.Severity.WARNING, h.nftFile(),
                        "a rule libvirt does not generate for this network sits in its chain " + c.name() + " (handle " + r.handle()
                                + "): " + r.text(Family.IP)));
            }
        }
    }

    private static List<Stmt> uncounted(List<Stmt> statements) {
        return statements.stream().map(s -> s instanceof Stmt.Counter ? (Stmt) Stmt.Counter.ZERO : s).toList();
    }

    /** An iptables rule in FORWARD or DOCKER-USER accepting what comes in from the bridge, as iptables-save writes it. */
    private static Optional<String> iptablesAccepts(Ruleset rules, String bridge) {
        Optional<Table> filter = rules.table(TableName.FILTER);
        if (filter.isEmpty()) return Optional.empty();
        for (String chain : List.of("DOCKER-USER", "FORWARD")) {
            Optional<Chain> c = filter.get().chain(chain);
            if (c.isEmpty()) continue;
            for (Rule r : c.get().rules()) {
                if (r.text().contains("-i " + bridge) && r.text().endsWith("-j ACCEPT") && !r.text().contains("! -i")) {
                    return Optional.of("-A " + chain + " " + r.text());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * br_netfilter loaded with bridge-nf-call-iptables = 1: IPv4 between two guests on the bridge, which never
     * leaves it, meets iptables' FORWARD with in = out = the bridge (br_nf_forward_ip). Under a FORWARD policy
     * DROP it needs a rule reached from FORWARD that accepts it: {@code -m physdev --physdev-is-bridged}, or one
     * limited to nothing but the bridge as in and/or out interface (libvirt's LIBVIRT_FWX rule is one).
     */
    private static void bridgedTraffic(DumpedHost h, Ruleset rules, String bridge, List<Finding> out) {
        Sysctls s = h.sysctls();
        if (!s.brNetfilterLoaded() || !s.has(BrNetfilter.CALL_IPTABLES) || s.intValue(BrNetfilter.CALL_IPTABLES) == 0) return;
        Optional<Table> filter = rules.table(TableName.FILTER);
        if (filter.isEmpty() || !filter.get().chain("FORWARD").flatMap(Chain::policy).equals(Optional.of(Policy.DROP))) return;
        if (acceptsBridged(filter.get(), "FORWARD", bridge, 0)) return;
        boolean docker = filter.get().chain("DOCKER-USER").isPresent();
        out.add(new Finding("bridged-traffic-dropped", Finding.Severity.ERROR, h.rulesFile(),
                "br_netfilter is loaded and net.bridge.bridge-nf-call-iptables = 1: IPv4 that one guest sends another across " + bridge
                        + " goes through iptables' FORWARD chain (in and out " + bridge + ", the guests' taps as physdev ports) although it"
                        + " never leaves the bridge. FORWARD's policy is DROP" + (docker ? " (Docker sets it)" : "") + " and no rule accepts"
                        + " such traffic, so the guests cannot reach each other (their broadcasts to each other are dropped too; the host"
                        + " still gets its copy). Fix: iptables -I " + (docker ? "DOCKER-USER" : "FORWARD") + " -m physdev --physdev-is-bridged"
                        + " -j ACCEPT, or sysctl -w net.bridge.bridge-nf-call-iptables=0 (for every bridge of the host; a boot-time"
                        + " sysctl file holds only if br_netfilter is loaded before it is applied)"));
    }

    /** Whether a rule reached from {@code chain} accepts bridged traffic on {@code bridge} whatever else it is. */
    private static boolean acceptsBridged(Table filter, String chain, String bridge, int depth) {
        Optional<Chain> c = filter.chain(chain);
        if (c.isEmpty() || depth > 8) return false;
        for (Rule r : c.get().rules()) {
            List<String> w = List.of(r.text().trim().split("\\s+"));
            int j = w.indexOf("-j");
            if (j < 0 || j + 1 >= w.size() || w.contains("!")) continue;
            String target = w.get(j + 1);
            boolean unconditional = true;
            for (int i = 0; i < j; i++) {
                String t = w.get(i);
                if ((t.equals("-i") || t.equals("-o")) && i + 1 < j && w.get(i + 1).equals(bridge)) i++;
                else if (t.equals("-m") && i + 2 < j && w.get(i + 1).equals("physdev") && w.get(i + 2).equals("--physdev-is-bridged")) i += 2;
                else unconditional = false;
            }
            if (!unconditional) continue;
            if (target.equals("ACCEPT")) return true;
            if (target.equals("DROP") || target.equals("REJECT") || target.equals("RETURN")) return false;
            if (filter.chain(target).isPresent() && acceptsBridged(filter, target, bridge, depth + 1)) return true;
        }
        return false;
    }

    /**
     * Native nft base chains (other than libvirt's) with policy drop on the input or forward hook: each must accept
     * a packet too, whatever libvirt's table says.
     */
    private static void nftPolicies(DumpedHost h, List<Finding> out) {
        for (NftTable t : h.nft().tables()) {
            if (t.managedBy().isPresent() || !t.family().seesIpv4() || t.name().equals(NftablesFirewall.TABLE)) continue;
            for (NftChain c : t.chains()) {
                if (c.base().isEmpty() || c.base().get().policy() != Policy.DROP) continue;
                String hook = c.base().get().hook().toString();
                if (!hook.equals("input") && !hook.equals("forward")) continue;
                out.add(new Finding("nft-policy-drop", Finding.Severity.WARNING, h.nftFile(),
                        "table " + t.id() + " chain " + c.name() + " (hook " + hook + ") has policy drop: every base chain on a hook "
                                + "must accept a packet, so unless a rule of this chain accepts the guests' "
                                + (hook.equals("input") ? "DHCP and DNS to the host" : "forwarded traffic")
                                + ", libvirt's table cannot let it through"));
            }
        }
    }

    /** libvirt's (or any) nft masquerade or snat rule for the guest network. */
    private static boolean nftMasquerades(NftRuleset nft, String net) {
        for (NftTable t : nft.tables()) {
            if (!t.family().seesIpv4()) continue;
            for (NftChain c : t.chains()) {
                for (NftRule r : c.rules()) {
                    String text = r.text(t.family());
                    if ((text.contains("masquerade") || text.contains("snat")) && (text.contains("saddr " + net) || !text.contains("saddr"))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean masqueraded(Ruleset rules, String net) {
        Optional<Table> nat = rules.table(TableName.NAT);
        if (nat.isEmpty()) return false;
        for (Chain c : nat.get().chains()) {
            for (Rule r : c.rules()) {
                String t = r.text();
                if (!(t.contains("-j MASQUERADE") || t.contains("-j SNAT"))) continue;
                if (t.contains("-s " + net) || !t.contains("-s ")) return true;
            }
        }
        return false;
    }

    private static String where(DumpedHost h, int line) {
        return line > 0 ? h.rulesFile() + ":" + line : h.rulesFile();
    }
}
