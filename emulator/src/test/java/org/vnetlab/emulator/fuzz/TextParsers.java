package org.vnetlab.emulator.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.emulator.hostconf.guest.IpconfigParser;
import org.vnetlab.emulator.hostconf.iface.IpAddrParser;
import org.vnetlab.emulator.hostconf.iface.IpBriefParser;
import org.vnetlab.emulator.hostconf.resolv.ResolvConfParser;
import org.vnetlab.emulator.hostconf.route.IpRouteParser;
import org.vnetlab.emulator.hostconf.route.RouteNParser;
import org.vnetlab.emulator.hostconf.sysctl.SysctlCommand;
import org.vnetlab.emulator.hostconf.sysctl.SysctlParser;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkXmlParser;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqConfParser;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqHostsFiles;
import org.vnetlab.emulator.libvirt.firewall.LibvirtCommandLog;
import org.vnetlab.emulator.libvirt.schema.NetworkSchemaValidator;
import org.vnetlab.emulator.libvirt.xml.SecureXmlReader;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IptablesCommand;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.netfilter.iptables.IptablesScript;
import org.vnetlab.emulator.netfilter.iptables.IpsetReferences;
import org.vnetlab.emulator.netfilter.iptables.IpsetSave;
import org.vnetlab.emulator.netfilter.iptables.IpsetSaveParser;
import org.vnetlab.emulator.lab.HostIptables;
import org.vnetlab.emulator.lab.HostNftables;
import org.vnetlab.emulator.libvirt.driver.NetworkConf;
import org.vnetlab.emulator.nftables.NftCounters;
import org.vnetlab.emulator.nftables.NftRuleset;
import org.vnetlab.emulator.nftables.syntax.NftParser;
import org.vnetlab.emulator.testing.SharedReference;

/**
 * Every parser of user input in this module, each with the real inputs bundled with the project (test
 * resources and the shared reference data) that it reads. The fuzz harnesses and the mutation properties
 * run over this one list, so a parser added here is covered by both.
 */
public final class TextParsers {
    private TextParsers() {}

    static final String FIREWALL_DATA = "ref/libvirt/tests/networkxml2firewalldata/";
    static final String DERIVED_FIREWALL_DATA = "ref/libvirt/derived/networkxml2firewalldata/";
    static final String CONF_DATA = "ref/libvirt/tests/networkxml2confdata/";

    /** The article's host as iptables-save printed it: the prior state for restores and single commands. */
    public static final BundledInput ARTICLE_RULES = resource("/netfilter/article.rules");

    public static final TextParser IPTABLES_SAVE = new TextParser("iptables-save",
            (f, t) -> IptablesSaveParser.parse(t, f), iptablesSaveFiles());

    public static final TextParser IPTABLES_SCRIPT = new TextParser("iptables script",
            (f, t) -> IptablesScript.apply(Ruleset.EMPTY, new RuleCounters(), t, f), iptablesScripts());

    public static final TextParser IPTABLES_COMMAND = new TextParser("iptables command",
            (f, t) -> IptablesCommand.parse(t, f, 1).apply(libvirtBaseRuleset()), iptablesCommandLines());

    public static final TextParser LIBVIRT_COMMAND_LOG = new TextParser("libvirt firewall command log",
            LibvirtCommandLog::parse, Stream.concat(
                    sharedFiles(FIREWALL_DATA, ".args", ".iptables", ".nftables").stream(),
                    sharedFiles(DERIVED_FIREWALL_DATA, ".iptables", ".nftables").stream()).toList());

    public static final TextParser NETWORK_XML = new TextParser("network XML",
            (f, t) -> NetworkXmlParser.parse(f, t.getBytes(StandardCharsets.UTF_8)), networkXmls());

    public static final TextParser NETWORK_SCHEMA = new TextParser("network XML schema",
            (f, t) -> {
                NetworkSchemaValidator.validate(f, SecureXmlReader.read(f, t));
                return "valid";
            }, networkXmls());

    /** dnsmasq-options.conf is libvirt's pass-through test: its options (foo, bar) are made up on purpose. */
    public static final TextParser DNSMASQ_CONF = new TextParser("dnsmasq conf", DnsmasqConfParser::parse,
            Stream.concat(sharedFiles(CONF_DATA, ".conf").stream().filter(i -> !i.name().equals("dnsmasq-options.conf")), Stream.of(
                    shared("ref/libvirt/derived/networkxml2confdata/routed-network.conf"),
                    shared("ref/captures/article/dnsmasq-default.conf"))).toList());

    public static final TextParser DNSMASQ_DHCP_HOSTS = new TextParser("dnsmasq dhcp-hostsfile",
            DnsmasqHostsFiles::parseDhcpHosts, sharedFiles(CONF_DATA, ".hostsfile"));

    public static final TextParser DNSMASQ_ADDN_HOSTS = new TextParser("dnsmasq addn-hosts",
            DnsmasqHostsFiles::parseAddnHosts, List.of(resource("/org/vnetlab/emulator/fuzz/libvirt-default.addnhosts")));

    public static final TextParser IP_ROUTE = new TextParser("ip route", IpRouteParser::parse, resources(
            "/hostconf/route/article-host-ip-route.txt", "/hostconf/route/desktop-ip-route.txt",
            "/hostconf/route/lab-ip-route.txt", "/hostconf/route/lab-ip-route-all.txt",
            "/hostconf/route/lab-ip4-route-all.txt", "/hostconf/route/lab-ip-d-route.txt",
            "/hostconf/guest/linux-guest-ip-route.txt"));

    public static final TextParser ROUTE_N = new TextParser("route -n", RouteNParser::parse, resources(
            "/hostconf/route/article-route-n.txt", "/hostconf/route/lab-route-n.txt", "/hostconf/route/lab-netstat-rn.txt"));

    public static final TextParser IP_ADDR = new TextParser("ip addr", IpAddrParser::parse, resources(
            "/hostconf/iface/article-ip-addr-virbr0.txt", "/hostconf/iface/desktop-ip-addr.txt",
            "/hostconf/iface/lab-ip-addr.txt", "/hostconf/iface/lab-ip4-addr.txt", "/hostconf/iface/lab-ip-link.txt",
            "/hostconf/guest/linux-guest-ip-addr.txt"));

    public static final TextParser IP_BRIEF = new TextParser("ip -br addr/link", IpBriefParser::parse, resources(
            "/hostconf/iface/lab-ip-br-addr.txt", "/hostconf/iface/lab-ip-br-link.txt"));

    public static final TextParser SYSCTL_DUMP = new TextParser("sysctl -a", SysctlParser::parseDump,
            resources("/hostconf/sysctl/oracle-sysctl-a.txt"));

    public static final TextParser SYSCTL_CONF = new TextParser("sysctl.conf", SysctlParser::parseConf, sysctlConfs());

    public static final TextParser SYSCTL_LOAD = new TextParser("sysctl -p",
            (f, t) -> SysctlCommand.loadChecked(kernelDefaults(), f, t), sysctlConfs());

    public static final TextParser RESOLV_CONF = new TextParser("resolv.conf", ResolvConfParser::parse, resources(
            "/hostconf/resolv/article-resolv.conf", "/hostconf/resolv/messy-resolv.conf",
            "/hostconf/resolv/networkmanager-resolv.conf", "/hostconf/resolv/systemd-stub-resolv.conf",
            "/hostconf/resolv/systemd-uplink-resolv.conf"));

    public static final TextParser IPCONFIG = new TextParser("ipconfig", IpconfigParser::parse, resources(
            "/hostconf/guest/article-ipconfig.txt", "/hostconf/guest/win10-ipconfig-all.txt",
            "/hostconf/guest/win10-ipconfig.txt"));

    /** Recognising a dump file by content, then parsing it as what it was recognised as. */
    public static final TextParser HOST_DUMP_FILE = new TextParser("host dump file", HostDump::recognise, Stream.of(
            IP_ROUTE, ROUTE_N, IP_ADDR, IP_BRIEF, SYSCTL_DUMP, SYSCTL_CONF, RESOLV_CONF, IPCONFIG, IPTABLES_SAVE, NETWORK_XML)
            .flatMap(p -> p.inputs().stream()).toList());

    /**
     * ipset save and ipset list output, as recorded from ipset 7.17. The recordings of unemulated types
     * (bitmap-save.txt, net-iface-save.txt) are refused on purpose, so they are Jazzer seeds only.
     */
    public static final TextParser IPSET_SAVE = new TextParser("ipset save/list", (f, t) -> IpsetSaveParser.parse(t, f), resources(
            "/netfilter/ipset/ipset-save.txt", "/netfilter/ipset/ipset-list.txt"));

    /** /etc/libvirt/network.conf as the bundled scenarios' hosts have it (libvirt 10.4+'s stock comments). */
    public static final TextParser NETWORK_CONF = new TextParser("libvirt network.conf", (f, t) -> NetworkConf.firewallBackend(t, f), List.of(
            repoFile("scenarios/src/main/resources/org/vnetlab/scenarios/bundled/docker-nftables-libvirt/host/network.conf"),
            repoFile("scenarios/src/test/resources/scenarios/br-netfilter-modprobe/host/network.conf")));

    /**
     * {@code nft -f FILE} run by the host's nft ({@link HostNftables}) onto a host that already has the Debian
     * default ruleset: the file's commands are one transaction. The rulesets of the listing fixtures.
     */
    public static final TextParser NFT_FILE = new TextParser("nft -f", (f, t) -> {
        HostNftables host = nftHost();
        return host.execute(List.of("-f", f), n -> n.equals(f) ? java.util.Optional.of(t) : java.util.Optional.empty()).ruleset();
    }, nftFiles());

    /**
     * libvirt's nft command lists (base.nftables, then a network's) run one by one through the host's nft, as
     * libvirt runs them: the log itself must parse (errors name the file); each nft command then succeeds or
     * fails as nft does, with an error of its own ({@code nft:1:col}) and the host's ruleset untouched.
     */
    public static final TextParser NFT_COMMANDS = new TextParser("nft command lines", (f, t) -> {
        HostNftables host = new HostNftables(NftRuleset.EMPTY, new NftCounters());
        for (var c : LibvirtCommandLog.parse(f, t)) {
            if (c.tool() != org.vnetlab.emulator.libvirt.firewall.FirewallCommand.Tool.NFT) continue;
            NftRuleset before = host.ruleset();
            try {
                host.execute(c.args(), n -> java.util.Optional.empty());
            } catch (InputException e) {
                InputErrors.assertWellFormed(e, "nft");
                if (!host.ruleset().equals(before)) throw new AssertionError("a failed nft command changed the ruleset: " + c);
            }
        }
        return host.ruleset();
    }, nftCommandLists());

    /**
     * {@code iptables-restore -c FILE} through the host's iptables ({@link HostIptables#restore}) onto the article's
     * host, whose ipsets are the recorded ipset-save.txt: a rule naming a set it lacks is refused (libxt_set).
     */
    public static final TextParser IPTABLES_RESTORE = new TextParser("iptables-restore (host)", (f, t) -> {
        HostIptables host = new HostIptables(articleRuleset(), new RuleCounters());
        IpsetSave sets = IpsetSaveParser.parse(IPSET_SAVE.inputs().get(0).text(), IPSET_SAVE.inputs().get(0).name());
        host.setParseCheck(r -> IpsetReferences.firstMissing(r, sets));
        host.restore(t, f, false, false, true);
        return host.ruleset();
    }, iptablesSaveFiles());

    public static List<TextParser> all() {
        return List.of(IPTABLES_SAVE, IPTABLES_SCRIPT, IPTABLES_COMMAND, LIBVIRT_COMMAND_LOG, NETWORK_XML, NETWORK_SCHEMA,
                DNSMASQ_CONF, DNSMASQ_DHCP_HOSTS, DNSMASQ_ADDN_HOSTS, IP_ROUTE, ROUTE_N, IP_ADDR, IP_BRIEF, SYSCTL_DUMP,
                SYSCTL_CONF, SYSCTL_LOAD, RESOLV_CONF, IPCONFIG, HOST_DUMP_FILE, IPSET_SAVE, NETWORK_CONF, NFT_FILE,
                NFT_COMMANDS, IPTABLES_RESTORE);
    }

    /** A host's nft with Debian's default ruleset (inet filter, three empty base chains) loaded. */
    public static HostNftables nftHost() {
        BundledInput debian = resource("/nftables/listing/debian-default.nft");
        try {
            return new HostNftables(NftRuleset.EMPTY.apply(NftParser.parse(debian.name(), debian.text())), new NftCounters());
        } catch (InputException e) {
            throw new IllegalStateException("bundled fixture does not load: " + e.getMessage(), e);
        }
    }

    // ---- prior states ------------------------------------------------------------------------------

    /** The article's ruleset, loaded from its iptables-save (a fixture that must load). */
    public static Ruleset articleRuleset() {
        try {
            return IptablesSaveParser.parse(ARTICLE_RULES.text(), ARTICLE_RULES.name()).ruleset();
        } catch (InputException e) {
            throw new IllegalStateException("bundled fixture does not load: " + e.getMessage(), e);
        }
    }

    /** The chains libvirt creates before any network (its base.iptables, IPv4 part): where its commands apply. */
    public static Ruleset libvirtBaseRuleset() {
        BundledInput base = shared(FIREWALL_DATA + "base.iptables");
        try {
            return IptablesScript.apply(Ruleset.EMPTY, new RuleCounters(), ipv4Only(base.text()), base.name()).ruleset();
        } catch (InputException e) {
            throw new IllegalStateException("bundled fixture does not load: " + e.getMessage(), e);
        }
    }

    /** A fresh host's sysctls: the kernel's defaults with the article's interfaces. */
    public static Sysctls kernelDefaults() {
        return Sysctls.kernelDefaults(List.of("enp3s0", "virbr0", "vnet0"), true);
    }

    // ---- inputs ------------------------------------------------------------------------------------

    private static List<BundledInput> iptablesSaveFiles() {
        List<BundledInput> out = new ArrayList<>(resources("/netfilter/article.rules", "/netfilter/article-canonical.rules",
                "/netfilter/golden/everything.rules", "/org/vnetlab/emulator/oracle/article.iptables"));
        for (String t : List.of("filter", "nat", "mangle", "raw")) {
            out.add(resource("/netfilter/golden/save-" + t + ".txt"));
            out.add(resource("/netfilter/golden/save-c-" + t + ".txt"));
        }
        out.add(shared("ref/libvirt/derived/default-network.iptables-save.txt"));
        return out;
    }

    /** libvirt's firewall command lists, each after base.iptables as libvirt runs them; IPv4 commands only. */
    private static List<BundledInput> iptablesScripts() {
        BundledInput base = shared(FIREWALL_DATA + "base.iptables");
        List<BundledInput> out = new ArrayList<>();
        out.add(new BundledInput(base.name(), ipv4Only(base.text())));
        List<BundledInput> networks = new ArrayList<>(sharedFiles(FIREWALL_DATA, ".args", "-linux.iptables"));
        networks.addAll(sharedFiles(DERIVED_FIREWALL_DATA, "-linux.iptables"));
        for (BundledInput n : networks) {
            out.add(new BundledInput("base.iptables+" + n.name(), ipv4Only(base.text()) + "\n" + ipv4Only(n.text())));
        }
        out.addAll(resources("/netfilter/golden/S-filter.txt", "/netfilter/golden/S-INPUT-3.txt",
                "/netfilter/golden/S-LIBVIRT_OUT.txt"));
        return out;
    }

    /** The IPv4 commands of a libvirt command list, one per line. */
    static String ipv4Only(String text) {
        return IptablesScript.commands(text).stream().map(IptablesScript.Command::text)
                .filter(c -> c.startsWith("iptables ")).collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * Single command lines: every rule of canonical/expected.txt that real iptables accepted, as an -A command,
     * and libvirt's own commands for a NAT network with TFTP. They apply to {@link #libvirtBaseRuleset()}.
     */
    private static List<BundledInput> iptablesCommandLines() {
        List<BundledInput> out = new ArrayList<>();
        BundledInput canonical = resource("/netfilter/canonical/expected.txt");
        String[] lines = canonical.text().split("\n");
        for (int i = 0; i < lines.length; i++) {
            String[] parts = lines[i].split(" \\| ");
            if (parts.length != 3 || parts[2].equals("ERROR")) continue;
            String[] tableChain = parts[0].split(" ");
            out.add(new BundledInput(canonical.name() + ":" + (i + 1),
                    "iptables -t " + tableChain[0] + " -A " + tableChain[1] + " " + parts[1]));
        }
        BundledInput tftp = shared(FIREWALL_DATA + "nat-tftp-linux.iptables");
        String[] commands = ipv4Only(tftp.text()).split("\n");
        for (int i = 0; i < commands.length; i++) out.add(new BundledInput(tftp.name() + "#" + (i + 1), commands[i]));
        return out;
    }

    private static List<BundledInput> nftCommandLists() {
        BundledInput base = shared(FIREWALL_DATA + "base.nftables");
        List<BundledInput> out = new ArrayList<>(List.of(base));
        List<BundledInput> networks = new ArrayList<>(sharedFiles(FIREWALL_DATA, "-linux.nftables"));
        networks.addAll(sharedFiles(DERIVED_FIREWALL_DATA, "-linux.nftables"));
        for (BundledInput n : networks) out.add(new BundledInput("base.nftables+" + n.name(), base.text() + n.text()));
        return out;
    }

    private static List<BundledInput> nftFiles() {
        return resources("/nftables/listing/arch-default.nft", "/nftables/listing/debian-default.nft",
                "/nftables/listing/dependencies.nft", "/nftables/listing/firewalld-like.nft",
                "/nftables/listing/inet-and-limits.nft", "/nftables/listing/loop-not-reached.nft",
                "/nftables/listing/matches-and-sets.nft", "/nftables/listing/nat-and-normalization.nft",
                "/nftables/listing/operators-and-intervals.nft", "/nftables/listing/other-families.nft", "/nftables/listing/priorities.nft",
                "/nftables/listing/set-types.nft", "/nftables/listing/set-wrapping.nft");
    }

    private static List<BundledInput> networkXmls() {
        List<BundledInput> out = new ArrayList<>(sharedFiles(FIREWALL_DATA, ".xml"));
        out.addAll(sharedFiles(CONF_DATA, ".xml"));
        out.addAll(sharedFiles(DERIVED_FIREWALL_DATA, ".xml"));
        return out;
    }

    /** p.conf is left out: it holds a line without '=' on purpose (procps' "invalid syntax, continuing"). */
    private static List<BundledInput> sysctlConfs() {
        return resources("/hostconf/sysctl/article-sysctl.conf", "/hostconf/sysctl/g.conf", "/hostconf/sysctl/s.conf");
    }

    static BundledInput resource(String path) {
        try (InputStream in = TextParsers.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + path);
            return new BundledInput(path.substring(path.lastIndexOf('/') + 1), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<BundledInput> resources(String... paths) {
        return Stream.of(paths).map(TextParsers::resource).toList();
    }

    static BundledInput shared(String relative) {
        Path p = SharedReference.resolve(relative);
        try {
            return new BundledInput(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file of the repository (another module's fixture, read in place), by its path from the root. */
    static BundledInput repoFile(String relative) {
        Path p = Path.of(System.getProperty("vnetlab.root", "..")).resolve(relative);
        try {
            return new BundledInput(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The files directly in a shared folder whose names end with one of {@code suffixes}, by name. */
    static List<BundledInput> sharedFiles(String dir, String... suffixes) {
        try (Stream<Path> s = Files.list(SharedReference.resolve(dir))) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> Stream.of(suffixes).anyMatch(n::endsWith))
                    .sorted().map(n -> shared(dir + n)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
