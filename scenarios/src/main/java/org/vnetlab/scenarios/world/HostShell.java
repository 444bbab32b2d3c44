package org.vnetlab.scenarios.world;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.vnetlab.emulator.guest.Guest;
import org.vnetlab.emulator.guest.OsProfile;
import org.vnetlab.emulator.hostconf.iface.HostInterfaces;
import org.vnetlab.emulator.hostconf.iface.InterfaceAddress;
import org.vnetlab.emulator.hostconf.iface.InterfaceConfig;
import org.vnetlab.emulator.hostconf.iface.IpAddrPrinter;
import org.vnetlab.emulator.hostconf.iface.OperState;
import org.vnetlab.emulator.hostconf.route.RoutePrinter;
import org.vnetlab.emulator.hostconf.sysctl.SysctlCommand;
import org.vnetlab.emulator.hostconf.sysctl.SysctlKeys;
import org.vnetlab.emulator.hostconf.sysctl.SysctlRun;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.NetworkStartException;
import org.vnetlab.emulator.netfilter.Ruleset;
import org.vnetlab.emulator.netfilter.iptables.IptablesCommand;
import org.vnetlab.emulator.netfilter.iptables.IptablesSave;
import org.vnetlab.emulator.netfilter.iptables.IptablesSaveParser;
import org.vnetlab.emulator.stack.Ipv4Assignment;
import org.vnetlab.emulator.stack.StackInterface;
import org.vnetlab.scenarios.expect.Observed;
import org.vnetlab.scenarios.run.CommandRejected;
import org.vnetlab.scenarios.run.World;

/**
 * The host's command line: the commands the article and the common fixes use, each with the real tool's
 * output and exit status. Anything else is refused by {@link #check} before a scenario runs.
 */
final class HostShell {
    static final List<String> COMMANDS = List.of("virsh", "iptables", "iptables-save", "iptables-restore", "sysctl", "ip",
            "route", "cat", "echo", "tee", "systemctl", "ping", "dig", "curl", "hostname");
    private static final DateTimeFormatter SAVE_DATE = DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", Locale.ROOT);

    private final HostMachine host;
    private final Virsh virsh;
    private final Guest tools;

    HostShell(HostMachine host, Path workdir) {
        this.host = host;
        this.virsh = new Virsh(host, workdir);
        this.tools = new Guest("host-tools", OsProfile.debian("host"), new HostNet(host));
    }

    void check(World.Command c) throws CommandRejected {
        String p = c.program();
        if (!COMMANDS.contains(p)) {
            throw new CommandRejected(0, "unknown command on the host", "the host has: " + String.join(", ", COMMANDS));
        }
        List<String> a = c.argv();
        switch (p) {
            case "virsh" -> Virsh.check(a);
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
            case "iptables-restore" -> {
                for (int i = 1; i < a.size(); i++) {
                    String w = a.get(i);
                    if (w.equals("-n") || w.equals("--noflush")) continue;
                    if (w.startsWith("-")) throw new CommandRejected(i, "option not emulated for iptables-restore", "--noflush is");
                    throw new CommandRejected(i, "iptables-restore FILE is not emulated", "give the file as input: iptables-restore < FILE");
                }
                if (c.stdin().isEmpty()) {
                    throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "iptables-restore needs its rules", "iptables-restore < FILE, or a here-document");
                }
            }
            case "ip" -> checkIp(a);
            case "route" -> {
                if (a.size() != 2 || !a.get(1).equals("-n")) throw new CommandRejected(a.size() > 1 ? 1 : 0, "only 'route -n' is emulated");
            }
            case "systemctl" -> {
                if (a.size() != 3 || !List.of("restart", "reload").contains(a.get(1))) {
                    throw new CommandRejected(1, "only 'systemctl restart libvirtd' is emulated");
                }
                if (!List.of("libvirtd", "libvirtd.service", "virtnetworkd", "virtnetworkd.service").contains(a.get(2))) {
                    throw new CommandRejected(2, "unit not emulated", "libvirtd (or virtnetworkd): it re-applies its networks' rules and reconnects running guests");
                }
            }
            case "cat" -> {
                for (int i = 1; i < a.size(); i++) checkReadable(a.get(i), i);
                if (a.size() == 1 && c.stdin().isEmpty()) throw new CommandRejected(0, "cat with nothing to read");
            }
            case "tee" -> {
                if (a.size() != 2) throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "tee takes one file here", "tee FILE <<EOF ... EOF");
                checkWritable(a.get(1), 1);
            }
            case "ping", "dig", "curl" -> {
                if (c.redirect().isPresent() || c.stdin().isPresent()) throw new CommandRejected(CommandRejected.WHOLE_COMMAND, "redirections are not emulated for " + p);
            }
            default -> { }
        }
        if (c.redirect().isPresent()) checkWritable(c.redirect().get().path(), CommandRejected.REDIRECT_TARGET);
    }

    private void checkIp(List<String> a) throws CommandRejected {
        if (a.size() < 2) throw new CommandRejected(0, "ip needs an object", "ip address, ip route or ip link");
        String obj = a.get(1);
        boolean addr = "address".startsWith(obj) && obj.length() >= 1;
        boolean route = "route".startsWith(obj) && obj.length() >= 1;
        boolean link = "link".startsWith(obj) && obj.length() >= 1;
        if (!addr && !route && !link) throw new CommandRejected(1, "only ip address, ip route and ip link are emulated on the host");
        List<String> rest = a.subList(2, a.size());
        boolean show = rest.isEmpty() || rest.get(0).equals("show") || rest.get(0).equals("list") || rest.get(0).equals("ls");
        if (!show) throw new CommandRejected(2, "only showing is emulated for ip on the host", "ip address show [dev DEV], ip route, ip link");
        List<String> opts = rest.isEmpty() ? rest : rest.subList(1, rest.size());
        if (!opts.isEmpty() && !(opts.size() == 2 && opts.get(0).equals("dev")) && !(opts.size() == 1 && !route)) {
            throw new CommandRejected(3, "unexpected argument", "ip address show [dev DEV]");
        }
    }

    private static void checkReadable(String path, int index) throws CommandRejected {
        if (path.equals(HostMachine.RESOLV_CONF) || path.equals(HostMachine.SYSCTL_CONF) || path.startsWith("/proc/sys/net/")) return;
        throw new CommandRejected(index, "this file is not emulated on the host", "/etc/resolv.conf, /etc/sysctl.conf and /proc/sys/net/... are");
    }

    private static void checkWritable(String path, int index) throws CommandRejected { checkReadable(path, index); }

    /** The argv index holding the given 1-based column of the words joined by single blanks. */
    static int wordAt(List<String> argv, int column) {
        int col = 1;
        for (int i = 0; i < argv.size(); i++) {
            if (column < col + argv.get(i).length() + 1) return i;
            col += argv.get(i).length() + 1;
        }
        return CommandRejected.WHOLE_COMMAND;
    }

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
            case "virsh": return virsh.run(c);
            case "iptables": return iptables(a);
            case "iptables-save": return save(a);
            case "iptables-restore": return restore(a, c.stdin());
            case "sysctl": return sysctl(a.subList(1, a.size()));
            case "ip": return ip(a);
            case "route": return Shell.ok(RoutePrinter.routeN(host.stack.routes()));
            case "cat": return cat(a, c.stdin());
            case "echo": return Shell.ok(String.join(" ", a.subList(1, a.size())) + "\n");
            case "tee": return write(a.get(1), c.stdin().orElse(""), false, true);
            case "systemctl": return systemctl();
            case "hostname": return Shell.ok("host\n");
            default: return GuestCommands.run(tools, c);
        }
    }

    private Observed iptables(List<String> a) throws CommandRejected {
        IptablesCommand cmd;
        try {
            cmd = IptablesCommand.parse(a, "command", 1);
        } catch (InputException e) {
            throw new CommandRejected(wordAt(a, e.column()), e.problem(), e.hint().orElse(null));
        }
        IptablesCommand.Result r;
        try {
            r = cmd.apply(host.ruleset(), host.counters());
        } catch (InputException e) {
            return Shell.fail(e.problem(), 1);
        }
        if (!r.ruleset().equals(host.ruleset())) {
            try {
                host.loadRules(r.ruleset());
            } catch (InputException e) {
                return Shell.fail("iptables: " + e.problem(), 1);
            }
        }
        return Shell.ok(r.output());
    }

    private Observed save(List<String> a) {
        Ruleset r = host.ruleset();
        int t = a.indexOf("-t") >= 0 ? a.indexOf("-t") : a.indexOf("--table");
        if (t >= 0) {
            String table = a.get(t + 1);
            var only = r.tables().stream().filter(x -> x.name().iptablesName().equals(table)).toList();
            if (only.isEmpty()) return Shell.fail("iptables-save: Unable to open table " + table, 1);
            r = new Ruleset(only, r.legacyTablesPresent());
        }
        String date = SAVE_DATE.format(Guest.DEFAULT_EPOCH.plusNanos(host.lab.now()).atZone(ZoneOffset.UTC));
        IptablesSave.Options o = (a.contains("-c") || a.contains("--counters") ? IptablesSave.Options.withCounters() : IptablesSave.Options.plain())
                .inOrder(IptablesSave.Options.NFT_ORDER).commented("iptables-save v1.8.9 (nf_tables) on " + date);
        return Shell.ok(IptablesSave.print(r, host.counters(), o));
    }

    private Observed restore(List<String> a, Optional<String> stdin) throws InputException {
        boolean noflush = a.contains("-n") || a.contains("--noflush");
        String text = stdin.orElse("");
        String name = "(standard input)";
        Ruleset r;
        try {
            r = IptablesSaveParser.restore(host.ruleset(), host.counters(), text, name, noflush);
        } catch (InputException e) {
            return Shell.fail("iptables-restore: " + e.problem() + (e.line() > 0 ? "\nError occurred at line: " + e.line() : ""), 1);
        }
        host.loadRules(r);
        return Shell.ok("");
    }

    private Observed sysctl(List<String> args) {
        SysctlRun r = SysctlCommand.run(host.sysctls, args, Map.of(HostMachine.SYSCTL_CONF, host.files.get(HostMachine.SYSCTL_CONF)));
        host.setSysctls(r.state());
        return new Observed(r.stdout(), r.stderr(), r.exitStatus(), List.of());
    }

    private Observed systemctl() throws InputException {
        try {
            host.restartDaemon();
        } catch (NetworkStartException e) {
            return Shell.fail("Job for libvirtd.service failed: " + e.getMessage(), 1);
        }
        return Shell.ok("");
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
            String key = path.substring("/proc/sys/".length()).replace('/', '.');
            return host.sysctls.get(key).map(v -> v + "\n");
        }
        return Optional.ofNullable(host.files.get(path));
    }

    /** Writes a file of the host; {@code echo} says whether the text also shows (tee) or only lands in the file (>). */
    private Observed write(String path, String text, boolean append, boolean echo) {
        if (path.startsWith("/proc/sys/")) {
            String key = SysctlKeys.canonical(path.substring("/proc/sys/".length()).replace('/', '.'));
            SysctlRun r = SysctlCommand.run(host.sysctls, List.of("-q", "-w", key + "=" + text.strip()), Map.of());
            if (r.exitStatus() != 0) return Shell.fail("bash: " + path + ": Invalid argument", 1);
            host.setSysctls(r.state());
        } else {
            String before = host.files.getOrDefault(path, "");
            host.files.put(path, append ? before + text : text);
            if (path.equals(HostMachine.RESOLV_CONF)) host.resolvChanged();
        }
        return Shell.ok(echo ? text : "");
    }

    private Observed ip(List<String> a) {
        String obj = a.get(1);
        List<String> rest = a.subList(2, a.size());
        Optional<String> dev = Optional.empty();
        int d = rest.indexOf("dev");
        if (d >= 0) dev = Optional.of(rest.get(d + 1));
        else if (rest.size() == 2) dev = Optional.of(rest.get(1));
        if ("route".startsWith(obj)) return Shell.ok(RoutePrinter.ipRoute(host.stack.routes()));
        List<InterfaceConfig> shown = new ArrayList<>();
        for (StackInterface i : host.stack.interfaces()) {
            if (dev.isPresent() && !i.name().equals(dev.get())) continue;
            shown.add(describe(i, "link".startsWith(obj)));
        }
        if (dev.isPresent() && shown.isEmpty()) return Shell.fail("Device \"" + dev.get() + "\" does not exist.", 1);
        return Shell.ok(IpAddrPrinter.ipAddr(HostInterfaces.of(shown)));
    }

    /** An interface as ip prints it: what the dump said about it, with the addresses it has now. */
    private InterfaceConfig describe(StackInterface i, boolean linkOnly) {
        Optional<InterfaceConfig> dumped = host.dump.interfaces().byName(i.name());
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
