package org.vnetlab.emulator.libvirt.driver;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.vnetlab.protocols.MacAddress;

/**
 * {@code virsh} for the network commands, printing what virsh 10.x prints (tools/virsh-network.c, vsh.c): the
 * success lines ({@code Network default started}), the empty line virsh adds after every command, errors as
 * {@code error: } lines on stderr (virsh's own message first, then libvirt's error), exit status 1 on failure,
 * and the tables of {@code net-list} and {@code net-dhcp-leases}.
 *
 * <p>Commands: net-list [--all|--inactive] [--persistent|--transient] [--autostart|--no-autostart]
 * [--name|--uuid|--table], net-info, net-uuid, net-name, net-start, net-destroy, net-define [--validate] FILE,
 * net-undefine, net-autostart [--disable], net-dumpxml [--inactive], net-edit (with an {@linkplain
 * #setEditor editor}), net-dhcp-leases [--mac MAC]. Global options {@code -c/--connect URI} and
 * {@code -q/--quiet}. Anything else is refused as virsh refuses it ({@code error: unknown command: 'x'}).
 *
 * <p>{@code net-edit} defines the edited document without schema validation, exactly as virsh does: a
 * misplaced element is silently dropped, not rejected. Only {@code net-define --validate} checks the schema.
 * When a definition fails during net-edit, the emulated user answers {@code n} to virsh's
 * {@code Try again?} prompt.
 */
public final class Virsh {
    private static final DateTimeFormatter EXPIRY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private final LibvirtDaemon daemon;
    private final Function<String, Optional<String>> files;
    private UnaryOperator<String> editor;

    /** @param files the host's files {@code net-define} may read, by path as typed */
    public Virsh(LibvirtDaemon daemon, Function<String, Optional<String>> files) {
        this.daemon = Objects.requireNonNull(daemon, "daemon");
        this.files = Objects.requireNonNull(files, "files");
    }

    /** What {@code $EDITOR} does to the document net-edit opens: gets the current XML, returns the saved text. */
    public void setEditor(UnaryOperator<String> editor) { this.editor = editor; }

    /** {@code virsh net-edit NETWORK} with this edit. */
    public VirshResult netEdit(String network, UnaryOperator<String> edit) {
        UnaryOperator<String> saved = editor;
        editor = edit;
        try {
            return run("net-edit " + network);
        } finally {
            editor = saved;
        }
    }

    // ------------------------------------------------------------------ command line

    private enum Kind { BOOL, STRING, DATA }

    private record Opt(String name, Kind kind, boolean required) {}

    private interface Handler {
        boolean run(Ctl ctl, Map<String, String> opts);
    }

    private record CmdDef(String name, List<Opt> opts, Handler handler) {}

    /** One invocation's output and libvirt's last error, as vshControl keeps them. */
    private static final class Ctl {
        final StringBuilder out = new StringBuilder();
        final StringBuilder err = new StringBuilder();
        boolean quiet;
        LibvirtError lastError;

        void print(String s) { out.append(s); }

        void printExtra(String s) { if (!quiet) out.append(s); }

        void error(String s) { err.append("error: ").append(s).append('\n'); }

        void reportError() {
            if (lastError != null) {
                err.append("error: ").append(lastError.text()).append('\n');
                lastError = null;
            }
        }
    }

    private static Opt network(String name) { return new Opt(name, Kind.DATA, true); }

    private static Opt flag(String name) { return new Opt(name, Kind.BOOL, false); }

    private final Map<String, CmdDef> commands = commands();

    private Map<String, CmdDef> commands() {
        Map<String, CmdDef> m = new LinkedHashMap<>();
        add(m, "net-list", this::netList, flag("inactive"), flag("all"), flag("persistent"), flag("transient"),
                flag("autostart"), flag("no-autostart"), flag("uuid"), flag("name"), flag("table"), flag("title"));
        add(m, "net-info", this::netInfo, network("network"));
        add(m, "net-uuid", this::netUuid, network("network"));
        add(m, "net-name", this::netName, network("network"));
        add(m, "net-start", this::netStart, network("network"));
        add(m, "net-destroy", this::netDestroy, network("network"));
        add(m, "net-define", this::netDefine, new Opt("file", Kind.DATA, true), flag("validate"));
        add(m, "net-undefine", this::netUndefine, network("network"));
        add(m, "net-autostart", this::netAutostart, network("network"), flag("disable"));
        add(m, "net-dumpxml", this::netDumpxml, network("network"), flag("inactive"));
        add(m, "net-edit", this::netEditCmd, network("network"));
        add(m, "net-dhcp-leases", this::netDhcpLeases, network("network"), new Opt("mac", Kind.STRING, false));
        return m;
    }

    private static void add(Map<String, CmdDef> m, String name, Handler h, Opt... opts) {
        m.put(name, new CmdDef(name, List.of(opts), h));
    }

    /** Runs one command line, e.g. {@code virsh net-list --all} (the program name is optional). */
    public VirshResult run(String commandLine) {
        Ctl ctl = new Ctl();
        List<String> words = words(commandLine);
        int i = 0;
        if (i < words.size() && words.get(i).equals("sudo")) i++;
        if (i < words.size() && words.get(i).equals("virsh")) i++;
        while (i < words.size() && words.get(i).startsWith("-")) {
            String g = words.get(i);
            if (g.equals("-q") || g.equals("--quiet")) {
                ctl.quiet = true;
                i++;
            } else if (g.equals("-c") || g.equals("--connect")) {
                i += 2; // the one host this daemon models
            } else if (g.startsWith("--connect=")) {
                i++;
            } else {
                ctl.error("unsupported option '" + g + "'. See --help.");
                return result(commandLine, 1, ctl);
            }
        }
        if (i >= words.size()) {
            ctl.error("vnetlab: no command given (the interactive shell is not emulated)");
            return result(commandLine, 1, ctl);
        }
        CmdDef def = commands.get(words.get(i));
        if (def == null) {
            ctl.error("unknown command: '" + words.get(i) + "'");
            return result(commandLine, 1, ctl);
        }
        Map<String, String> opts = parse(ctl, def, words.subList(i + 1, words.size()));
        if (opts == null) return result(commandLine, 1, ctl);
        boolean ok = def.handler().run(ctl, opts);
        if (!ok) ctl.reportError();
        ctl.printExtra("\n");
        return result(commandLine, ok ? 0 : 1, ctl);
    }

    private static VirshResult result(String line, int status, Ctl ctl) {
        return new VirshResult(line, status, ctl.out.toString(), ctl.err.toString());
    }

    /** vshCommandParse: {@code --opt value}, {@code --opt=value}, {@code --} ends options, data fills DATA options in order. */
    private static Map<String, String> parse(Ctl ctl, CmdDef def, List<String> args) {
        Map<String, String> seen = new LinkedHashMap<>();
        boolean dataOnly = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!dataOnly && a.startsWith("--") && a.length() > 2 && Character.isLetterOrDigit(a.charAt(2))) {
                String name = a.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                String n = name;
                Optional<Opt> opt = def.opts().stream().filter(o -> o.name().equals(n)).findFirst();
                if (opt.isEmpty()) {
                    ctl.error("command '" + def.name() + "' doesn't support option --" + name);
                    return null;
                }
                if (opt.get().kind() == Kind.BOOL) {
                    if (inline != null) {
                        ctl.error("invalid '=' after option --" + name);
                        return null;
                    }
                    seen.put(name, "");
                } else if (inline != null) {
                    seen.put(name, inline);
                } else if (i + 1 < args.size()) {
                    seen.put(name, args.get(++i));
                } else {
                    ctl.error("expected syntax: --" + name + " <string>");
                    return null;
                }
            } else if (!dataOnly && a.equals("--")) {
                dataOnly = true;
            } else {
                Optional<Opt> data = def.opts().stream().filter(o -> o.kind() == Kind.DATA && !seen.containsKey(o.name()))
                        .findFirst();
                if (data.isEmpty()) {
                    ctl.error("unexpected data '" + a + "'");
                    return null;
                }
                seen.put(data.get().name(), a);
            }
        }
        for (Opt o : def.opts()) {
            if (o.required() && !seen.containsKey(o.name())) {
                ctl.error("command '" + def.name() + "' requires " + (o.kind() == Kind.DATA ? "<" + o.name() + ">" : "--" + o.name())
                        + " option");
                return null;
            }
        }
        return seen;
    }

    /** Whitespace-separated words with shell quoting ('...', "...", backslash). */
    private static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else cur.append(c);
            } else if (c == '\'' || c == '"') {
                if (cur == null) cur = new StringBuilder();
                quote = c;
            } else if (c == '\\' && i + 1 < line.length()) {
                if (cur == null) cur = new StringBuilder();
                cur.append(line.charAt(++i));
            } else if (Character.isWhitespace(c)) {
                if (cur != null) out.add(cur.toString());
                cur = null;
            } else {
                if (cur == null) cur = new StringBuilder();
                cur.append(c);
            }
        }
        if (cur != null) out.add(cur.toString());
        return out;
    }

    // ------------------------------------------------------------------ lookups

    /** virshCommandOptNetworkBy: a 36-character argument is tried as a UUID first, then as a name. */
    private Optional<NetworkInfo> network(Ctl ctl, String n) {
        LibvirtError last = null;
        if (n.length() == 36) {
            try {
                return Optional.of(daemon.lookupByUuid(n));
            } catch (LibvirtError e) {
                last = e;
            }
        }
        try {
            return Optional.of(daemon.lookupByName(n));
        } catch (LibvirtError e) {
            last = e;
        }
        ctl.lastError = last;
        ctl.error("failed to get network '" + n + "'");
        return Optional.empty();
    }

    // ------------------------------------------------------------------ commands

    private boolean netList(Ctl ctl, Map<String, String> o) {
        boolean active = true;
        boolean inactive = false;
        if (o.containsKey("inactive")) {
            active = false;
            inactive = true;
        }
        if (o.containsKey("all")) {
            active = true;
            inactive = true;
        }
        int forms = (o.containsKey("table") ? 1 : 0) + (o.containsKey("name") ? 1 : 0) + (o.containsKey("uuid") ? 1 : 0);
        if (forms > 1) {
            ctl.error("Only one argument from --table, --name and --uuid may be specified.");
            return false;
        }
        if (o.containsKey("title")) {
            ctl.error("vnetlab: --title is not emulated (network titles are not kept)");
            return false;
        }
        List<NetworkInfo> shown = new ArrayList<>();
        for (NetworkInfo n : daemon.list()) {
            if (!(n.active() ? active : inactive)) continue;
            boolean p = o.containsKey("persistent");
            boolean t = o.containsKey("transient");
            if ((p || t) && !((p && n.persistent()) || (t && !n.persistent()))) continue;
            boolean as = o.containsKey("autostart");
            boolean nas = o.containsKey("no-autostart");
            if ((as || nas) && !((as && n.autostart()) || (nas && !n.autostart()))) continue;
            shown.add(n);
        }
        if (o.containsKey("uuid")) {
            for (NetworkInfo n : shown) ctl.print(n.uuid() + "\n");
        } else if (o.containsKey("name")) {
            for (NetworkInfo n : shown) ctl.print(n.name() + "\n");
        } else {
            VirshTable table = new VirshTable("Name", "State", "Autostart", "Persistent");
            for (NetworkInfo n : shown) {
                table.add(n.name(), n.active() ? "active" : "inactive", n.autostart() ? "yes" : "no", n.persistent() ? "yes" : "no");
            }
            ctl.print(table.print(!ctl.quiet));
        }
        return true;
    }

    private boolean netInfo(Ctl ctl, Map<String, String> o) {
        Optional<NetworkInfo> n = network(ctl, o.get("network"));
        if (n.isEmpty()) return false;
        NetworkInfo i = n.get();
        ctl.print(String.format(Locale.ROOT, "%-15s %s\n", "Name:", i.name()));
        ctl.print(String.format(Locale.ROOT, "%-15s %s\n", "UUID:", i.uuid()));
        ctl.print(String.format(Locale.ROOT, "%-15s %s\n", "Active:", i.active() ? "yes" : "no"));
        ctl.print(String.format(Locale.ROOT, "%-15s %s\n", "Persistent:", i.persistent() ? "yes" : "no"));
        ctl.print(String.format(Locale.ROOT, "%-15s %s\n", "Autostart:", i.autostart() ? "yes" : "no"));
        i.bridge().ifPresent(b -> ctl.print(String.format(Locale.ROOT, "%-15s %s\n", "Bridge:", b)));
        return true;
    }

    private boolean netUuid(Ctl ctl, Map<String, String> o) {
        try {
            ctl.print(daemon.lookupByName(o.get("network")).uuid() + "\n");
            return true;
        } catch (LibvirtError e) {
            ctl.lastError = e;
            ctl.error("failed to get network '" + o.get("network") + "'");
            return false;
        }
    }

    private boolean netName(Ctl ctl, Map<String, String> o) {
        try {
            ctl.print(daemon.lookupByUuid(o.get("network")).name() + "\n");
            return true;
        } catch (LibvirtError e) {
            ctl.lastError = e;
            ctl.error("failed to get network '" + o.get("network") + "'");
            return false;
        }
    }

    private boolean netStart(Ctl ctl, Map<String, String> o) {
        String name = o.get("network");
        Optional<NetworkInfo> n = network(ctl, name);
        if (n.isEmpty()) return false;
        try {
            daemon.start(n.get().name());
            ctl.printExtra("Network " + name + " started\n");
            return true;
        } catch (LibvirtError e) {
            ctl.lastError = e;
            ctl.error("Failed to start network " + name);
            return false;
        }
    }

    private boolean netDestroy(Ctl ctl, Map<String, String> o) {
        String name = o.get("network");
        Optional<NetworkInfo> n = network(ctl, name);
        if (n.isEmpty()) return false;
        try {
            daemon.destroy(n.get().name());
            ctl.printExtra("Network " + name + " destroyed\n");
            return true;
        } catch (LibvirtError e) {
            ctl.lastError = e;
            ctl.error("Failed to destroy network " + name);
            return false;
        }
    }

    private boolean netDefine(Ctl ctl, Map<String, String> o) {
        String from = o.get("file");
        Optional<String> text = files.apply(from);
        if (text.isEmpty()) {
            ctl.lastError = new LibvirtError(LibvirtError.Code.SYSTEM_ERROR,
                    "Failed to open file '" + from + "': No such file or directory");
            return false;
        }
        try {
            String name = daemon.define(text.get(), o.containsKey("validate"));
            ctl.printExtra("Network " + name + " defined from " + from + "\n");
            return true;
        } catch (LibvirtError e) {
            ctl.lastError = e;
            ctl.error("Failed to define network from " + from);
            return false;
        }
    }

    private boolean netUndefine(Ctl ctl, Map<String, String> o) {
        String name = o.get("network");
        Optional<NetworkInfo> n = network(ctl, name);
        if (n.isEmpty()) return false;
        try {
            daemon.undefine(n.get().name());
            ctl.printExtra("Network " + name + " has been undefined\n");
            return true;
        } catch (LibvirtError e) {
            ctl.lastError = e;
            ctl.error("Failed to undefine network " + name);
            return false;
        }
    }

    private boolean netAutostart(Ctl ctl, Map<String, String> o) {
        String name = o.get("network");
        Optional<NetworkInfo> n = network(ctl, name);
        if (n.isEmpty()) return false;
        boolean on = !o.containsKey("disable");
        try {
            daemon.setAutostart(n.get().name(), on);
            ctl.printExtra("Network " + name + (on ? " marked" : " unmarked") + " as autostarted\n");
            return true;
        } catch (LibvirtError e) {
            ctl.lastError = e;
            ctl.error("failed to " + (on ? "mark" : "unmark") + " network " + name + " as autostarted");
            return false;
        }
    }

    private boolean netDumpxml(Ctl ctl, Map<String, String> o) {
        Optional<NetworkInfo> n = network(ctl, o.get("network"));
        if (n.isEmpty()) return false;
        try {
            ctl.print(daemon.xml(n.get().name(), o.containsKey("inactive")));
            return true;
        } catch (LibvirtError e) {
            ctl.lastError = e;
            return false;
        }
    }

    /** cmdNetworkEdit with virsh-edit.c: inactive XML out, edited XML defined back (no validation). */
    private boolean netEditCmd(Ctl ctl, Map<String, String> o) {
        Optional<NetworkInfo> n = network(ctl, o.get("network"));
        if (n.isEmpty()) return false;
        if (editor == null) {
            ctl.error("vnetlab: net-edit needs an editor (Virsh.setEditor or Virsh.netEdit)");
            return false;
        }
        String name = n.get().name();
        String doc;
        try {
            doc = daemon.xml(name, true);
        } catch (LibvirtError e) {
            ctl.lastError = e;
            return false;
        }
        String edited = editor.apply(doc);
        if (edited.equals(doc)) {
            ctl.printExtra("Network " + name + " XML configuration not changed.\n");
            return true;
        }
        try {
            String defined = daemon.define(edited, false);
            ctl.printExtra("Network " + defined + " XML configuration edited.\n");
            return true;
        } catch (LibvirtError e) {
            // vshAskReedit: the error, then the prompt, which the emulated user answers with 'n'
            ctl.lastError = e;
            ctl.reportError();
            ctl.print("\rFailed. Try again? [y,n,f,?]: \r\n");
            return false;
        }
    }

    private boolean netDhcpLeases(Ctl ctl, Map<String, String> o) {
        Optional<MacAddress> mac = Optional.empty();
        if (o.containsKey("mac")) {
            try {
                mac = Optional.of(MacAddress.parse(o.get("mac")));
            } catch (IllegalArgumentException e) {
                ctl.lastError = new LibvirtError(LibvirtError.Code.INVALID_MAC, o.get("mac"));
                ctl.error("Failed to get leases info for " + o.get("network"));
                return false;
            }
        }
        String name = o.get("network");
        Optional<NetworkInfo> n = network(ctl, name);
        if (n.isEmpty()) return false;
        List<DhcpLeaseRecord> leases;
        int prefix;
        try {
            leases = new ArrayList<>(daemon.dhcpLeases(n.get().name(), mac));
            prefix = daemon.leasePrefix(n.get().name());
        } catch (LibvirtError e) {
            ctl.lastError = e;
            ctl.error("Failed to get leases info for " + name);
            return false;
        }
        leases.sort(Comparator.comparing(l -> l.mac().toString().toLowerCase(Locale.ROOT)));
        VirshTable table = new VirshTable("Expiry Time", "MAC address", "Protocol", "IP address", "Hostname",
                "Client ID or DUID");
        for (DhcpLeaseRecord l : leases) {
            table.add(EXPIRY.format(Instant.ofEpochSecond(l.expiryTime())), l.mac().toString(), "ipv4",
                    l.ip() + "/" + prefix, l.hostname().orElse("-"), l.clientId().orElse("-"));
        }
        ctl.print(table.print(!ctl.quiet));
        return true;
    }
}
