package org.vnetlab.scenarios.world;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.Ipv4Config;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.hostconf.DumpKind;
import org.vnetlab.emulator.hostconf.DumpedFile;
import org.vnetlab.emulator.hostconf.HostDump;
import org.vnetlab.emulator.hostconf.iface.HostInterfaces;
import org.vnetlab.emulator.hostconf.iface.InterfaceAddress;
import org.vnetlab.emulator.hostconf.iface.InterfaceConfig;
import org.vnetlab.emulator.hostconf.iface.IpAddrPrinter;
import org.vnetlab.emulator.hostconf.iface.OperState;
import org.vnetlab.emulator.hostconf.resolv.ResolvConfParser;
import org.vnetlab.emulator.hostconf.route.RoutePrinter;
import org.vnetlab.emulator.hostconf.sysctl.SysctlCommand;
import org.vnetlab.emulator.hostconf.sysctl.SysctlKeys;
import org.vnetlab.emulator.hostconf.sysctl.SysctlRun;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.lab.StackSysctls;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.lab.BrNetfilter;
import org.vnetlab.emulator.lab.HostIpsets;
import org.vnetlab.emulator.lab.LibvirtHost;
import org.vnetlab.emulator.lab.LibvirtHostLab;
import org.vnetlab.emulator.libvirt.driver.VirshResult;
import org.vnetlab.emulator.netfilter.Ipset;
import org.vnetlab.emulator.netfilter.RuleCounters;
import org.vnetlab.emulator.netfilter.iptables.IpsetSaveParser;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IptablesCommand;
import org.vnetlab.emulator.netfilter.iptables.IptablesSave;
import org.vnetlab.emulator.nftables.syntax.NftCommandLine;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.stack.InterfaceConf;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.emulator.stack.StackInterface;
import org.vnetlab.emulator.stack.StackSettings;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.run.CommandRejected;
import org.vnetlab.scenarios.run.World;

/**
 * The host's command line: the commands the article and the common fixes use, each with the real tool's
 * output and exit status. virsh, iptables and libvirtd are the lab's (wt-l); sysctl, ip, route, the files and
 * the host's own ping/dig/curl are kept here. Anything else is refused by {@link #check} before a scenario runs.
 */
final class HostShell {
    static final List<String> COMMANDS = List.of("virsh", "iptables", "iptables-save", "iptables-restore", "nft", "ipset", "sysctl", "ip", "route", "cat", "echo",
            "tee", "systemctl", "firewall-cmd", "journalctl", "ping", "dig", "curl", "hostname", "modprobe");
    static final String RESOLV_CONF = "/etc/resolv.conf";
    static final String SYSCTL_CONF = "/etc/sysctl.conf";
    private static final DateTimeFormatter SAVE_DATE = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    private final LibvirtHostLab lab;
    private final LibvirtHost host;
    private final HostDump dump;
    private final Path workdir;
    private final Guest tools;
    private final Map<String, String> files = new LinkedHashMap<>();
    private Sysctls sysctls;

    HostShell(LibvirtHostLab lab, HostDump dump, Path workdir) {
        this.lab = lab;
        this.host = lab.host();
        this.dump = dump;
        this.workdir = workdir;
        files.put(RESOLV_CONF, dump.of(DumpKind.RESOLV_CONF).stream().findFirst().map(DumpedFile::text).orElse("nameserver 8.8.8.8\n"));
        files.put(SYSCTL_CONF, dump.of(DumpKind.SYSCTL_CONF).stream().findFirst().map(DumpedFile::text).orElse(""));
        List<String> devs = host.stack().interfaces().stream().map(StackInterface::name).toList();
        Sysctls s = dump.sysctls().map(SysctlRun::state).orElse(Sysctls.kernelDefaults(devs, false));
        for (String d : devs) s = s.withDevice(d);
        this.sysctls = s;
        syncBrNetfilter();
        StackInterface uplink = uplink();
        this.tools = new Guest("host-tools", OsProfile.debian("host"), new HostNet(host.stack(), uplink.device(), this::toolConfig));
    }

    private StackInterface uplink() {
        String name = host.stack().routes().routes().stream().filter(r -> r.destination().isDefault()).findFirst()
                .flatMap(r -> r.dev()).orElse("enp3s0");
        return host.stack().iface(name).orElseGet(() -> host.stack().interfaces().stream().filter(i -> !i.isLoopback()).findFirst().orElseThrow());
    }

    /** What the host's tools see: its uplink address, default gateway and the nameservers of its resolv.conf. */
    private Ipv4Config toolConfig() {
        StackInterface up = uplink();
        Ipv4Assignment a = up.primaryAddresses().get(0);
        Ipv4Address gw = host.stack().routes().routes().stream().filter(r -> r.destination().isDefault()).findFirst()
                .flatMap(r -> r.gateway()).orElse(a.address());
        List<Ipv4Address> dns = new ArrayList<>();
        try {
            for (String ns : ResolvConfParser.parse(RESOLV_CONF, files.get(RESOLV_CONF)).usedNameservers()) {
                if (!ns.contains(":")) dns.add(Ipv4Address.parse(ns));
            }
        } catch (InputException | IllegalArgumentException e) {
            // an unreadable resolv.conf leaves the resolver without servers, as glibc would
        }
        return HostNet.config(a.address(), a.prefixLength(), gw, dns);
    }

    // ---- checking ----------------------------------------------------------------------------------------

    static final Set<String> VIRSH = Set.of("net-list", "net-info", "net-uuid", "net-name", "net-start", "net-destroy", "net-define",
            "net-undefine", "net-autostart", "net-dumpxml", "net-edit", "net-dhcp-leases");

    void check(World.Command c) throws CommandRejected {
        String p = c.program();
        if (!COMMANDS.contains(p)) {
            throw new CommandRejected(0, "unknown command on the host", "the host has: " + String.join(", ", COMMANDS));
        }
        List<String> a = c.argv();
        switch (p) {
            case "virsh" -> checkVirsh(a);
            case "iptables" -> {
                try {
                    IptablesCommand.parse(a, "command", 1);
                } catch (InputException e) {
                    throw new CommandRejected(wordAt(a, e.column()), e.problem(), e.hint().orElse(null));
                }
            }
            case "iptables-save" -> {
                for (int i = 1; i < a.size(); i++) {
                    String w = a.get(i);
                    if (w.equals("-c") || w.equals("--counters")) continue;
                    if ((w.equals("-t") || w.equals("--table")) && i + 1 < a.size()) { i++; continue; }
                    throw new CommandRejected(i, "option not emulated for iptables-save", "-t TABLE and -c are");
                }
            }
            case "iptables-restore" -> checkRestore(c);
            case "ip" -> checkIp(a);
            case "nft" -> checkNft(a);
            case "ipset" -> checkIpset(a);
            case "journalctl" -> journalOptions(a);
            case "route" -> {
                if (a.size() != 2 || !a.get(1).equals("-n")) throw new CommandRejected(a.size() > 1 ? 1 : 0, "only 'route -n' is emulated");
            }
            case "systemctl" -> {
                if (a.size() != 3 || !a.get(1).equals("restart")) throw new CommandRejected(1, "only 'systemctl restart libvirtd' is emulated");
                if (!List.of("libvirtd", "libvirtd.service", "virtnetworkd", "virtnetworkd.service").contains(a.get(2))) {
                    throw new CommandRejected(2, "unit not emulated", "libvirtd (or virtnetworkd): it re-applies its networks' rules and reconnects running guests");
                }
            }
            case "modprobe" -> {
                if (a.size() != 2 || !a.get(1).equals("br_netfilter")) {
                    throw new CommandRejected(a.size() > 1 ? 1 : 0, "only 'modprobe br_netfilter' is emulated",
                            "it makes net.bridge.bridge-nf-call-* appear (at 1): bridged IPv4 then traverses iptables");
                }
            }
            case "firewall-cmd" -> {
                if (a.size() != 2 || !a.get(1).equals("--reload")) throw new CommandRejected(a.size() > 1 ? 1 : 0, "only 'firewall-cmd --reload' is emulated");
            }
            case "cat" -> {
                for (int i = 1; i < a.size(); i++) checkFile(a.get(i), i);
                if (a.size() == 1 && c.stdin().isEmpty()) throw new CommandRejected(0, "cat with nothing to read");
            }
            case "tee" -> {
                if (a.size() != 2) throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "tee takes one file here", "tee FILE <<EOF ... EOF");
                checkFile(a.get(1), 1);
            }
            case "ping", "dig", "curl" -> {
                if (c.redirect().isPresent() || c.stdin().isPresent()) throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "redirections are not emulated for " + p);
                GuestCommands.check(tools, c); // the host's tools are the Linux guest model's: their options are checked the same way
            }
            default -> { }
        }
        if (c.redirect().isPresent()) checkFile(c.redirect().get().path(), CommandRejected.REDIRECT_TARGET);
    }

    /**
     * nft's own syntax check, before anything runs: the command words, or the file {@code -f} names when it is a
     * scenario file (a file the scenario writes on the host first is checked when it runs). Whether the tables and
     * chains exist depends on what ran before, so that is nft's error at run time.
     */
    private void checkNft(List<String> a) throws CommandRejected {
        List<String> args = a.subList(1, a.size());
        int file = args.indexOf("-f") >= 0 ? args.indexOf("-f") + 1 : args.indexOf("--file") >= 0 ? args.indexOf("--file") + 1 : 0;
        if (file > 0 && file < args.size() && !Files.isRegularFile(workdir.resolve(args.get(file)).normalize())) return;
        try {
            NftCommandLine.script(args, this::nftFile);
        } catch (InputException e) {
            if (file > 0) throw new CommandRejected(file + 1 < a.size() ? file + 1 : CommandRejected.WHOLE_COMMAND, e.getMessage());
            int first = 1;
            while (first < a.size() && a.get(first).startsWith("-") && !a.get(first).matches("-\\d+")) first++;
            int offset = String.join(" ", a.subList(0, first)).length() + 1;
            int at = e.column() > 0 ? wordAt(a, offset + e.column() - 1) : CommandRejected.WHOLE_COMMAND;
            throw new CommandRejected(at, e.problem(), e.hint().orElse(null));
        }
    }

    /** A file {@code nft -f} reads: the host's (written by tee), else the scenario folder's. */
    private Optional<String> nftFile(String path) {
        if (files.containsKey(path)) return Optional.of(files.get(path));
        Path p = workdir.resolve(path).normalize();
        if (!Files.isRegularFile(p)) return Optional.empty();
        try {
            return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static void checkVirsh(List<String> a) throws CommandRejected {
        if (a.size() < 2) throw new CommandRejected(0, "virsh needs a command", "e.g. virsh net-list --all");
        if (!VIRSH.contains(a.get(1))) {
            throw new CommandRejected(1, "virsh command not emulated", "emulated: " + String.join(", ", VIRSH.stream().sorted().toList()));
        }
        long operands = a.subList(2, a.size()).stream().filter(w -> !w.startsWith("-")).count();
        if (a.get(1).equals("net-edit") && operands != 2) {
            throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "virsh net-edit takes the network and the edited file here",
                    "virsh net-edit NETWORK FILE: FILE (in the scenario folder) is what you save in the editor");
        }
        if (a.get(1).equals("net-define") && operands != 1) {
            throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "virsh net-define takes one file", "virsh net-define [--validate] FILE");
        }
    }

    /** iptables-restore's command line, read as it reads it: its options and at most one file. */
    record Restore(boolean noflush, boolean test, boolean counters, Optional<Integer> file) {
        static Restore parse(List<String> a) throws CommandRejected {
            boolean noflush = false, test = false, counters = false;
            Optional<Integer> file = Optional.empty();
            for (int i = 1; i < a.size(); i++) {
                String w = a.get(i);
                switch (w) {
                    case "-n", "--noflush" -> noflush = true;
                    case "-t", "--test" -> test = true;
                    case "-c", "--counters" -> counters = true;
                    case "-w", "--wait" -> {
                        // the xtables lock: nobody else holds it here; an optional number of seconds may follow
                        if (i + 1 < a.size() && a.get(i + 1).matches("\\d+")) i++;
                    }
                    default -> {
                        if (w.startsWith("-") && !w.equals("-")) {
                            throw new CommandRejected(i, "option not emulated for iptables-restore",
                                    "-n/--noflush, -t/--test, -c/--counters and -w are; give the rules as a file or on standard input");
                        }
                        if (file.isPresent()) throw new CommandRejected(i, "iptables-restore reads one file", "iptables-restore [-n] [-t] FILE");
                        file = Optional.of(i);
                    }
                }
            }
            return new Restore(noflush, test, counters, file);
        }
    }

    /**
     * The rules file must be there, and a plain restore (one that flushes each table it names) must load:
     * such a load does not depend on the tables' state, so a file that fails it is the scenario's mistake,
     * reported at its own line. With --noflush (commands on the live tables) or --test (the point is to see
     * the error) the tool's own message is the step's output instead.
     */
    private void checkRestore(World.Command c) throws CommandRejected {
        Restore r = Restore.parse(c.argv());
        String text;
        String name;
        int at;
        if (r.file().isPresent()) {
            at = r.file().get();
            name = c.argv().get(at);
            if (name.startsWith("/")) {
                throw new CommandRejected(at, "the host has no such file", "give the rules as a file of the scenario folder (relative name) or on standard input");
            }
            text = scenarioFile(name, at);
        } else {
            if (c.stdin().isEmpty()) throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "iptables-restore with nothing to read",
                    "iptables-restore FILE, iptables-restore < FILE or a here-document");
            at = CommandRejected.WHOLE_COMMAND;
            name = "standard input";
            text = c.stdin().get();
        }
        if (r.noflush() || r.test()) return;
        try {
            IptablesSaveParser.restore(Ruleset.EMPTY, new RuleCounters(), text, name, false);
        } catch (InputException e) {
            throw new CommandRejected(at, "the rules do not load: " + e.getMessage().replace('\n', ' '));
        }
    }

    /** journalctl's options here: {@code -t IDENTIFIER} (repeatable), {@code -o short|cat}, {@code --no-pager}; the identifiers chosen. */
    static Set<String> journalOptions(List<String> a) throws CommandRejected {
        Set<String> ids = new java.util.LinkedHashSet<>();
        for (int i = 1; i < a.size(); i++) {
            String w = a.get(i);
            if (w.equals("--no-pager")) continue;
            if ((w.equals("-t") || w.equals("-o")) && i + 1 < a.size()) {
                String v = a.get(++i);
                if (w.equals("-o") && !v.equals("short") && !v.equals("cat")) throw new CommandRejected(i, "output mode not emulated", "-o short or -o cat");
                if (w.equals("-t")) {
                    if (!v.equals("dnsmasq") && !v.equals("dnsmasq-dhcp")) throw new CommandRejected(i, "only dnsmasq's log is emulated", "-t dnsmasq, -t dnsmasq-dhcp");
                    ids.add(v);
                }
                continue;
            }
            throw new CommandRejected(i, "journalctl option not emulated", "journalctl -t dnsmasq [-t dnsmasq-dhcp] [-o cat] [--no-pager]");
        }
        if (ids.isEmpty()) throw new CommandRejected(0, "only dnsmasq's log is emulated", "journalctl -t dnsmasq");
        return ids;
    }

    private void checkIp(List<String> a) throws CommandRejected {
        if (a.size() < 2) throw new CommandRejected(0, "ip needs an object", "ip address, ip route or ip link");
        String obj = a.get(1);
        boolean route = "route".startsWith(obj);
        if (!"address".startsWith(obj) && !route && !"link".startsWith(obj)) {
            throw new CommandRejected(1, "only ip address, ip route and ip link are emulated on the host");
        }
        List<String> rest = a.subList(2, a.size());
        boolean show = rest.isEmpty() || rest.get(0).equals("show") || rest.get(0).equals("list") || rest.get(0).equals("ls");
        if (!show) throw new CommandRejected(2, "only showing is emulated for ip on the host", "ip address show [dev DEV], ip route, ip link");
        List<String> opts = rest.isEmpty() ? rest : rest.subList(1, rest.size());
        if (!opts.isEmpty() && !(opts.size() == 2 && opts.get(0).equals("dev")) && !(opts.size() == 1 && !route)) {
            throw new CommandRejected(3, "unexpected argument", "ip address show [dev DEV]");
        }
    }

    private static void checkFile(String path, int index) throws CommandRejected {
        if (path.equals(RESOLV_CONF) || path.equals(SYSCTL_CONF) || path.startsWith("/proc/sys/net/")) return;
        throw new CommandRejected(index, "this file is not emulated on the host", "/etc/resolv.conf, /etc/sysctl.conf and /proc/sys/net/... are");
    }

    /** The argv index holding the given 1-based column of the words joined by single blanks. */
    static int wordAt(List<String> argv, int column) {
        int col = 1;
        for (int i = 0; i < argv.size(); i++) {
            if (column < col + argv.get(i).length() + 1) return i;
            col += argv.get(i).length() + 1;
        }
        return CommandRejected.WHOLE_COMMAND;
    }

    // ---- running -----------------------------------------------------------------------------------------

    Observed run(World.Command c) throws CommandRejected {
        Observed o;
        try {
            o = dispatch(c);
        } catch (InputException e) {
            // a command's own input (a rules file, an XML file) is bad: the tool says so, as the real one would
            o = Shell.fail(e.getMessage(), 1);
        }
        if (c.redirect().isPresent() && o.exitStatus() == 0) {
            var r = c.redirect().get();
            Observed w = write(r.path(), o.stdout(), r.append(), false);
            o = w.exitStatus() != 0 ? w : new Observed("", o.stderr(), 0, o.observations());
        }
        return o;
    }

    private Observed dispatch(World.Command c) throws CommandRejected, InputException {
        List<String> a = c.argv();
        switch (c.program()) {
            case "virsh": return virsh(a);
            case "iptables": return iptables(a);
            case "iptables-save": return save(a);
            case "nft": return nft(a);
            case "ipset": return ipset(a);
            case "iptables-restore": return restore(c);
            case "sysctl": return sysctl(a.subList(1, a.size()));
            case "ip": return ip(a);
            case "route": return Shell.ok(RoutePrinter.routeN(host.stack().routes()));
            case "cat": return cat(a, c.stdin());
            case "echo": return Shell.ok(String.join(" ", a.subList(1, a.size())) + "\n");
            case "tee": return write(a.get(1), c.stdin().orElse(""), false, true);
            case "systemctl":
                host.systemctlRestartLibvirtd();
                return Shell.ok("");
            case "firewall-cmd":
                host.firewallCmdReload();
                return Shell.ok("success\n");
            case "hostname": return Shell.ok("host\n");
            case "modprobe":
                host.brNetfilter().load(); // already loaded: modprobe says nothing either
                syncBrNetfilter();
                return Shell.ok("");
            case "journalctl": return journal(a);
            default: return GuestCommands.run(tools, c);
        }
    }

    private Observed virsh(List<String> a) throws CommandRejected {
        List<String> operands = a.subList(2, a.size()).stream().filter(w -> !w.startsWith("-")).toList();
        VirshResult r;
        if (a.get(1).equals("net-edit")) {
            String text = scenarioFile(operands.get(1), a.indexOf(operands.get(1)));
            r = host.virshShell().netEdit(operands.get(0), doc -> text);
        } else {
            if (a.get(1).equals("net-define")) {
                String file = operands.get(0);
                host.writeFile(file, scenarioFile(file, a.indexOf(file)));
            }
            r = host.virsh(GuestCommands.commandLine(a));
        }
        // a failing virsh prints its errors, then the blank line that ends every command's output
        if (!r.ok()) return new Observed("", r.stderr() + r.stdout(), r.exitStatus(), List.of());
        return new Observed(r.stdout(), r.stderr(), r.exitStatus(), List.of());
    }

    /** A file of the scenario folder: the session's working directory. */
    private String scenarioFile(String name, int index) throws CommandRejected {
        Path p = workdir.resolve(name).normalize();
        if (!Files.isRegularFile(p)) throw new CommandRejected(index, "no such file in the scenario folder", "files are read relative to the scenario folder");
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandRejected(index, "cannot read: " + e.getMessage());
        }
    }

    private Observed iptables(List<String> a) {
        try {
            return Shell.ok(host.iptables(GuestCommands.commandLine(a)));
        } catch (InputException e) {
            if (isSetProblem(e.problem())) {
                return Shell.fail("iptables v1.8.9 (nf_tables): " + e.problem() + "\n\nTry `iptables -h' or 'iptables --help' for more information.", 2);
            }
            return Shell.fail(e.problem(), 1);
        }
    }

    /** libxt_set's refusals while iptables parses a rule (the set looked up by name); its message ends in its own newline. */
    static boolean isSetProblem(String problem) {
        return problem.startsWith("Set ") && problem.endsWith(" doesn't exist.")
                || problem.startsWith("The protocol family of set ") && problem.endsWith("which is not applicable.");
    }

    /** {@code ipset list|save [NAME]}, {@code ipset add|del [-exist] NAME ELEMENT [nomatch]}, as ipset 7.17 answers. */
    private Observed ipset(List<String> a) {
        List<String> w = new ArrayList<>(a.subList(1, a.size()));
        boolean exist = w.removeIf(x -> x.equals("-exist") || x.equals("-!"));
        String verb = w.get(0);
        HostIpsets.Result r = switch (verb) {
            case "list", "-L", "save", "-S" -> {
                Optional<String> name = w.size() > 1 ? Optional.of(w.get(1)) : Optional.empty();
                yield verb.equals("list") || verb.equals("-L") ? host.ipsets().list(name) : host.ipsets().save(name);
            }
            default -> host.ipsets().change(verb.equals("add") || verb.equals("-A"), w.get(1),
                    String.join(" ", w.subList(2, w.size())), exist);
        };
        return new Observed(r.out(), r.err(), r.exit(), List.of());
    }

    /** The ipset subset: the verbs, their operands, and each element's syntax as ipset reads it. */
    private static void checkIpset(List<String> a) throws CommandRejected {
        int verbAt = 1;
        while (verbAt < a.size() && (a.get(verbAt).equals("-exist") || a.get(verbAt).equals("-!"))) verbAt++;
        String hint = "ipset list|save [NAME], ipset add|del [-exist] NAME ELEMENT";
        if (verbAt >= a.size()) throw new CommandRejected(0, "ipset needs a command", hint);
        List<String> rest = a.subList(verbAt + 1, a.size()).stream().filter(x -> !x.equals("-exist") && !x.equals("-!")).toList();
        switch (a.get(verbAt)) {
            case "list", "-L", "save", "-S" -> {
                if (rest.size() > 1) throw new CommandRejected(verbAt + 2, "one set name at most", hint);
                if (!rest.isEmpty() && rest.get(0).startsWith("-")) throw new CommandRejected(verbAt + 1, "option not emulated for ipset " + a.get(verbAt), hint);
            }
            case "add", "-A", "del", "-D" -> {
                if (rest.size() < 2) throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "ipset " + a.get(verbAt) + " needs a set name and an element", hint);
                if (rest.size() > 3 || (rest.size() == 3 && !rest.get(2).equals("nomatch"))) {
                    throw new CommandRejected(a.indexOf(rest.get(2)), "element options are not emulated (timeouts, counters, comments): only nomatch", hint);
                }
                String el = rest.get(1);
                try {
                    IpsetSaveParser.members(el.contains(",") ? Ipset.Type.HASH_IP_PORT : Ipset.Type.HASH_NET, el, false);
                } catch (IllegalArgumentException e) {
                    throw new CommandRejected(a.indexOf(el), e.getMessage(), "an IPv4 address, net (A/N) or range, and for hash:ip,port ADDRESS,[PROTO:]PORT");
                }
            }
            default -> throw new CommandRejected(verbAt, "ipset command not emulated", hint);
        }
    }

    /** {@code nft ...}: one transaction on the host's nftables; nft's error, and nothing changed, when it fails. */
    private Observed nft(List<String> a) {
        try {
            return Shell.ok(host.nftables().execute(a.subList(1, a.size()), this::nftFile).stdout());
        } catch (InputException e) {
            return Shell.fail("Error: " + e.getMessage(), 1);
        }
    }

    /**
     * iptables-restore (1.8.9, nf_tables) as it answers: nothing on success; a line the parser refuses gives
     * its message with the version prefix, "Error occurred at line: N" and exit 2; a command the kernel
     * refuses gives "iptables-restore: line N failed: ..." and exit 1; a block without COMMIT exit 1. Nothing
     * is applied unless the whole input loads.
     */
    private Observed restore(World.Command c) throws CommandRejected {
        Restore r = Restore.parse(c.argv());
        String name = r.file().map(i -> c.argv().get(i)).orElse("standard input");
        String text = r.file().isPresent() ? scenarioFile(name, r.file().get()) : c.stdin().orElse("");
        try {
            host.firewall().restore(text, name, r.noflush(), r.test(), r.counters());
            return Shell.ok("");
        } catch (InputException e) {
            return restoreError(e);
        }
    }

    static Observed restoreError(InputException e) {
        String problem = e.problem();
        if (problem.startsWith("iptables-restore: COMMIT expected")) return Shell.fail(problem, 1);
        if (problem.startsWith("iptables: ")) {
            return Shell.fail("iptables-restore: line " + e.line() + " failed: " + problem.substring("iptables: ".length()), 1);
        }
        return Shell.fail("iptables-restore v1.8.9 (nf_tables): " + problem + (isSetProblem(problem) ? "\n" : "")
                + "\nError occurred at line: " + e.line()
                + "\nTry `iptables-restore -h' or 'iptables-restore --help' for more information.", 2);
    }

    private static final DateTimeFormatter JOURNAL_DATE = DateTimeFormatter.ofPattern("MMM dd HH:mm:ss", Locale.ROOT);

    /** dnsmasq's syslog lines as journalctl prints them (process ids are not modelled, so none is shown). */
    private Observed journal(List<String> a) throws CommandRejected {
        Set<String> ids = journalOptions(a);
        boolean cat = a.contains("cat");
        StringBuilder sb = new StringBuilder();
        for (var l : host.dnsmasqJournal()) {
            if (!ids.contains(l.tag())) continue;
            if (!cat) sb.append(JOURNAL_DATE.format(Guest.DEFAULT_EPOCH.plusNanos(l.nanos()).atZone(ZoneOffset.UTC))).append(" host ").append(l.tag()).append(": ");
            sb.append(l.text()).append('\n');
        }
        return Shell.ok(sb.isEmpty() ? "-- No entries --\n" : sb.toString());
    }

    private Observed save(List<String> a) {
        Ruleset r = host.firewall().ruleset();
        int t = a.indexOf("-t") >= 0 ? a.indexOf("-t") : a.indexOf("--table");
        if (t >= 0) {
            String table = a.get(t + 1);
            var only = r.tables().stream().filter(x -> x.name().iptablesName().equals(table)).toList();
            if (only.isEmpty()) return Shell.fail("iptables-save: Unable to open table " + table, 1);
            r = new Ruleset(only, r.legacyTablesPresent());
        }
        String date = SAVE_DATE.format(Guest.DEFAULT_EPOCH.plusNanos(host.lab().now()).atZone(ZoneOffset.UTC));
        IptablesSave.Options o = (a.contains("-c") || a.contains("--counters") ? IptablesSave.Options.withCounters() : IptablesSave.Options.plain())
                .inOrder(IptablesSave.Options.NFT_ORDER).commented("iptables-save v1.8.9 (nf_tables) on " + date);
        return Shell.ok(IptablesSave.print(r, host.firewall().counters(), o));
    }

    private Observed sysctl(List<String> args) {
        syncForwarding();
        syncBrNetfilter();
        SysctlRun r = SysctlCommand.run(sysctls, args, Map.of(SYSCTL_CONF, files.get(SYSCTL_CONF)));
        setSysctls(r.state());
        return new Observed(r.stdout(), r.stderr(), r.exitStatus(), List.of());
    }

    /** libvirt writes ip_forward when it starts a network: the kernel's value is the stack's. */
    private void syncForwarding() {
        String v = host.stack().settings().ipForward() ? "1" : "0";
        if (!sysctls.get("net.ipv4.ip_forward").equals(Optional.of(v))) sysctls = sysctls.with("net.ipv4.ip_forward", v);
    }

    /**
     * br_netfilter's keys exist exactly while the module is loaded (the lab's state: from the dump, an assumption,
     * or modprobe), and bridge-nf-call-iptables reads back what is in force.
     */
    private void syncBrNetfilter() {
        BrNetfilter br = host.brNetfilter();
        if (!br.loaded()) return;
        if (!sysctls.has(BrNetfilter.CALL_IPTABLES)) {
            for (Map.Entry<String, String> e : Sysctls.kernelDefaults(List.of(), true).asMap().entrySet()) {
                if (e.getKey().startsWith("net.bridge.")) sysctls = sysctls.with(e.getKey(), e.getValue());
            }
        }
        if ((sysctls.intValue(BrNetfilter.CALL_IPTABLES) != 0) != br.callIptables()) {
            sysctls = sysctls.with(BrNetfilter.CALL_IPTABLES, br.callIptables() ? "1" : "0");
        }
    }

    /** Puts sysctl values in force on the stack (forwarding and reverse-path filtering) and on br_netfilter. */
    private void setSysctls(Sysctls s) {
        if (host.brNetfilter().loaded() && s.has(BrNetfilter.CALL_IPTABLES)) {
            host.brNetfilter().setCallIptables(s.intValue(BrNetfilter.CALL_IPTABLES) != 0);
        }
        boolean forwardChanged = !s.get("net.ipv4.ip_forward").equals(sysctls.get("net.ipv4.ip_forward"));
        sysctls = s;
        if (forwardChanged) host.stack().setIpForward(s.intValue("net.ipv4.ip_forward") != 0);
        StackSettings st = host.stack().settings();
        if (s.exists("net.ipv4.conf.all.rp_filter")) st = st.withAll(st.all().withRpFilter(s.intValue("net.ipv4.conf.all.rp_filter")));
        for (StackInterface i : host.stack().interfaces()) {
            String key = "net.ipv4.conf." + i.name() + ".rp_filter";
            if (s.exists(key)) {
                InterfaceConf conf = st.interfaceConf(i.name());
                st = st.withInterface(i.name(), conf.withRpFilter(s.intValue(key)));
            }
        }
        host.stack().setSettings(st);
        host.stack().setFragmentLimits(StackSysctls.fragmentLimits(host.stack().fragmentLimits(), s));
    }

    private Observed cat(List<String> a, Optional<String> stdin) {
        if (a.size() == 1) return Shell.ok(stdin.orElse(""));
        StringBuilder sb = new StringBuilder();
        for (String f : a.subList(1, a.size())) {
            Optional<String> content = read(f);
            if (content.isEmpty()) return new Observed(sb.toString(), "cat: " + f + ": No such file or directory\n", 1, List.of());
            sb.append(content.get());
        }
        return Shell.ok(sb.toString());
    }

    private Optional<String> read(String path) {
        if (path.startsWith("/proc/sys/")) {
            syncForwarding();
            syncBrNetfilter();
            String key = path.substring("/proc/sys/".length()).replace('/', '.');
            return sysctls.get(key).map(v -> v + "\n");
        }
        return Optional.ofNullable(files.get(path));
    }

    /** Writes a file of the host; {@code echo} says whether the text also shows (tee) or only lands in the file (>). */
    private Observed write(String path, String text, boolean append, boolean echo) {
        if (path.startsWith("/proc/sys/")) {
            syncForwarding();
            syncBrNetfilter();
            String key = SysctlKeys.canonical(path.substring("/proc/sys/".length()).replace('/', '.'));
            SysctlRun r = SysctlCommand.run(sysctls, List.of("-q", "-w", key + "=" + text.strip()), Map.of());
            if (r.exitStatus() != 0) return Shell.fail("bash: " + path + ": Invalid argument", 1);
            setSysctls(r.state());
        } else {
            String before = files.getOrDefault(path, "");
            files.put(path, append ? before + text : text);
            if (path.equals(RESOLV_CONF)) host.resolvConfWritten(nameservers(files.get(path)));
        }
        return Shell.ok(echo ? text : "");
    }

    /**
     * The servers dnsmasq takes from a resolv.conf (reload_servers): each {@code nameserver} line with an IPv4
     * address, in order; anything else on the file is not its business and is skipped, as dnsmasq skips it.
     */
    static List<Ipv4Address> nameservers(String resolvConf) {
        List<Ipv4Address> out = new ArrayList<>();
        for (String line : resolvConf.split("\n")) {
            String[] w = line.strip().split("[ \t]+");
            if (w.length < 2 || !w[0].equals("nameserver")) continue;
            try {
                out.add(Ipv4Address.parse(w[1]));
            } catch (IllegalArgumentException e) {
                // an IPv6 server or a typo: dnsmasq would skip an address it cannot parse, and so does this
            }
        }
        return out;
    }

    private Observed ip(List<String> a) {
        String obj = a.get(1);
        List<String> rest = a.subList(2, a.size());
        Optional<String> dev = Optional.empty();
        int d = rest.indexOf("dev");
        if (d >= 0) dev = Optional.of(rest.get(d + 1));
        else if (rest.size() == 2) dev = Optional.of(rest.get(1));
        if ("route".startsWith(obj)) return Shell.ok(RoutePrinter.ipRoute(host.stack().routes()));
        List<InterfaceConfig> shown = new ArrayList<>();
        for (StackInterface i : host.stack().interfaces()) {
            if (dev.isPresent() && !i.name().equals(dev.get())) continue;
            shown.add(describe(i, "link".startsWith(obj)));
        }
        if (dev.isPresent() && shown.isEmpty()) return Shell.fail("Device \"" + dev.get() + "\" does not exist.", 1);
        return Shell.ok(IpAddrPrinter.ipAddr(HostInterfaces.of(shown)));
    }

    /** An interface as ip prints it: what the dump said about it, with the addresses it has now. */
    private InterfaceConfig describe(StackInterface i, boolean linkOnly) {
        Optional<InterfaceConfig> dumped = dump.interfaces().flatMap(x -> x.byName(i.name()));
        boolean up = i.device().isUp();
        List<InterfaceAddress> addrs = new ArrayList<>();
        if (!linkOnly) {
            for (Ipv4Assignment a : i.addresses()) {
                Optional<InterfaceAddress> same = dumped.flatMap(x -> x.ipv4().stream().filter(y -> y.address().equals(a.address())).findFirst());
                addrs.add(same.orElse(InterfaceAddress.of(a.address(), a.prefixLength(), i.name())));
            }
        }
        if (dumped.isPresent()) {
            InterfaceConfig x = dumped.get();
            return new InterfaceConfig(x.index(), x.name(), x.linkPeer(), x.flags(), x.mtu(), x.qdisc(), x.master(), x.state(), x.mode(),
                    x.group(), x.qlen(), x.linkType(), x.linkAddress(), x.linkBroadcast(), x.linkExtras(), x.altnames(), addrs,
                    linkOnly ? List.of() : x.ipv6Lines());
        }
        boolean lo = i.isLoopback();
        List<String> flags = lo ? List.of("LOOPBACK", "UP", "LOWER_UP")
                : up ? List.of("BROADCAST", "MULTICAST", "UP", "LOWER_UP") : List.of("BROADCAST", "MULTICAST");
        return new InterfaceConfig(OptionalInt.of(i.index()), i.name(), Optional.empty(), flags, OptionalInt.of(lo ? 65536 : 1500),
                Optional.of(lo || i.device() instanceof org.vnetlab.emulator.bridge.Bridge ? "noqueue" : "fq_codel"), Optional.empty(),
                lo ? OperState.UNKNOWN : up ? OperState.UP : OperState.DOWN, Optional.empty(), Optional.of("default"),
                OptionalInt.of(1000), Optional.of(lo ? "loopback" : "ether"), Optional.of(lo ? "00:00:00:00:00:00" : i.device().mac().toString()),
                Optional.of(lo ? "00:00:00:00:00:00" : "ff:ff:ff:ff:ff:ff"), List.of(), List.of(), addrs, List.of());
    }
}
