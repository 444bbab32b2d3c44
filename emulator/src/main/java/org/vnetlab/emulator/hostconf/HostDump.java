package org.vnetlab.emulator.hostconf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.hostconf.guest.IpconfigParser;
import org.vnetlab.emulator.hostconf.guest.WindowsIpconfig;
import org.vnetlab.emulator.hostconf.iface.HostInterfaces;
import org.vnetlab.emulator.hostconf.iface.InterfaceConfig;
import org.vnetlab.emulator.hostconf.iface.IpAddrParser;
import org.vnetlab.emulator.hostconf.iface.IpBriefParser;
import org.vnetlab.emulator.hostconf.resolv.ResolvConf;
import org.vnetlab.emulator.hostconf.resolv.ResolvConfParser;
import org.vnetlab.emulator.hostconf.resolv.ResolvManager;
import org.vnetlab.emulator.hostconf.route.IpRouteParser;
import org.vnetlab.emulator.hostconf.route.RouteNParser;
import org.vnetlab.emulator.hostconf.route.RoutingTable;
import org.vnetlab.emulator.hostconf.sysctl.SysctlCommand;
import org.vnetlab.emulator.hostconf.sysctl.SysctlParser;
import org.vnetlab.emulator.hostconf.sysctl.SysctlRun;
import org.vnetlab.emulator.hostconf.sysctl.Sysctls;
import org.vnetlab.emulator.input.InputException;

/**
 * A folder of files copied off a host (what {@code vnetlab-collect} writes, or what a user gathered by
 * hand), each recognised by content and parsed. All or nothing: a file that is recognised but does not
 * parse fails the load with its own file:line:column error.
 *
 * <p>Safety: only the folder's top level is read; subfolders and hidden files are listed in the notes and
 * skipped; a symbolic link is followed only if it stays inside the folder (else the load fails); each file
 * must be UTF-8 text no larger than the limit.
 */
public final class HostDump {
    /** Default per-file limit: a busy host's iptables-save is well under this. */
    public static final long DEFAULT_MAX_FILE_BYTES = 8L * 1024 * 1024;

    /** What vnetlab needs to diagnose a host; each entry lists the kinds that satisfy it. */
    public static final Map<String, Set<DumpKind>> NEEDED;

    static {
        Map<String, Set<DumpKind>> m = new LinkedHashMap<>();
        m.put("libvirt network", EnumSet.of(DumpKind.NETWORK_XML));
        m.put("firewall rules", EnumSet.of(DumpKind.IPTABLES_SAVE, DumpKind.NFT_RULESET));
        m.put("routing table", EnumSet.of(DumpKind.IP_ROUTE, DumpKind.ROUTE_N));
        m.put("interfaces", EnumSet.of(DumpKind.IP_ADDR, DumpKind.IP_ADDR_BRIEF));
        m.put("sysctls", EnumSet.of(DumpKind.SYSCTL_DUMP, DumpKind.SYSCTL_CONF));
        m.put("resolver", EnumSet.of(DumpKind.RESOLV_CONF));
        NEEDED = java.util.Collections.unmodifiableMap(m);
    }

    private final Path folder;
    private final List<DumpedFile> files;
    private final List<String> notes;

    private HostDump(Path folder, List<DumpedFile> files, List<String> notes) {
        this.folder = folder;
        this.files = List.copyOf(files);
        this.notes = List.copyOf(notes);
    }

    public static HostDump load(Path folder) throws InputException, IOException {
        return load(folder, DEFAULT_MAX_FILE_BYTES);
    }

    public static HostDump load(Path folder, long maxFileBytes) throws InputException, IOException {
        if (!Files.isDirectory(folder)) {
            throw new InputException(folder.toString(), 0, 0, null, "not a folder", "give the folder vnetlab-collect wrote");
        }
        Path root = folder.toRealPath();
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
            for (Path p : ds) entries.add(p);
        }
        entries.sort(null);
        List<DumpedFile> files = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.startsWith(".")) {
                notes.add(name + ": hidden file skipped");
                continue;
            }
            Path target = p;
            if (Files.isSymbolicLink(p)) {
                Path real;
                try {
                    real = p.toRealPath();
                } catch (IOException e) {
                    throw new InputException(name, 0, 0, null, "symbolic link to a missing file");
                }
                if (!real.startsWith(root)) {
                    throw new InputException(name, 0, 0, null, "symbolic link leaves the dump folder (to " + real + ")",
                            "copy the file into the folder instead of linking to it");
                }
                target = real;
            }
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                notes.add(name + ": subfolder skipped (only the folder's own files are read)");
                continue;
            }
            if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
                notes.add(name + ": not a regular file, skipped");
                continue;
            }
            String text = read(name, target, maxFileBytes);
            files.add(recognise(name, text));
        }
        return new HostDump(folder, files, notes);
    }

    private static String read(String name, Path p, long max) throws IOException, InputException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        }
        if (bytes.length > max) {
            throw new InputException(name, 0, 0, null, "file larger than the " + max + "-byte limit",
                    "a real dump file is far smaller; is this the right file?");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(name, 0, 0, null, "not UTF-8 text", "save the output as UTF-8 (Windows: not UTF-16)");
        }
    }

    /** Recognises and parses one file's text; the name is used in error messages. */
    public static DumpedFile recognise(String name, String text) throws InputException {
        Detection d = HostDumpFile.detect(text);
        if (!(d instanceof Detection.Recognised r)) return new DumpedFile(name, d, text, new DumpContent.Unrecognised());
        DumpContent content;
        switch (r.kind()) {
            case IP_ROUTE: content = new DumpContent.Routes(IpRouteParser.parse(name, text)); break;
            case ROUTE_N: content = new DumpContent.Routes(RouteNParser.parse(name, text)); break;
            case IP_ADDR: content = new DumpContent.Interfaces(IpAddrParser.parse(name, text)); break;
            case IP_ADDR_BRIEF: content = new DumpContent.Interfaces(IpBriefParser.parse(name, text)); break;
            case SYSCTL_DUMP: content = new DumpContent.SysctlState(SysctlParser.parseDump(name, text)); break;
            case SYSCTL_CONF: content = new DumpContent.SysctlFile(SysctlParser.parseConf(name, text)); break;
            case RESOLV_CONF: content = new DumpContent.Resolver(ResolvConfParser.parse(name, text)); break;
            case IPCONFIG: content = new DumpContent.Ipconfig(IpconfigParser.parse(name, text)); break;
            case NETWORK_XML: case IPTABLES_SAVE: case NFT_RULESET: case IPSET_SAVE: case LIBVIRT_NETWORK_CONF: case COLLECTOR_MANIFEST:
                content = new DumpContent.Text(r.kind());
                break;
            default: throw new IllegalStateException(r.kind().name());
        }
        return new DumpedFile(name, d, text, content);
    }

    public Path folder() { return folder; }

    public List<DumpedFile> files() { return files; }

    /** Skipped entries and the choices made between files of the same kind. */
    public List<String> notes() {
        List<String> n = new ArrayList<>(notes);
        for (DumpedFile f : files) {
            if (f.detection() instanceof Detection.Ambiguous a) n.add(f.name() + ": ambiguous (" + a.explanation() + "), not used");
            if (f.detection() instanceof Detection.Unknown u) n.add(f.name() + ": not recognised (" + u.explanation() + "), not used");
        }
        for (DumpKind k : DumpKind.values()) {
            List<DumpedFile> of = of(k);
            if (of.size() > 1 && k != DumpKind.NETWORK_XML && k != DumpKind.RESOLV_CONF && k != DumpKind.SYSCTL_CONF) {
                n.add("several " + k.source() + " files; using " + of.get(0).name());
            }
        }
        return n;
    }

    /** Files recognised as {@code kind}, by name. */
    public List<DumpedFile> of(DumpKind kind) { return files.stream().filter(f -> f.is(kind)).toList(); }

    public Set<DumpKind> kinds() {
        Set<DumpKind> s = EnumSet.noneOf(DumpKind.class);
        for (DumpedFile f : files) if (f.detection() instanceof Detection.Recognised r) s.add(r.kind());
        return s;
    }

    /** What is still missing for a diagnosis: keys of {@link #NEEDED} no file satisfies. */
    public List<String> missing() {
        Set<DumpKind> have = kinds();
        List<String> out = new ArrayList<>();
        NEEDED.forEach((what, kinds) -> {
            if (kinds.stream().noneMatch(have::contains)) out.add(what + " (" + kinds.iterator().next().source() + ")");
        });
        return out;
    }

    /** The routing table: from ip route when present, else from route -n. */
    public Optional<RoutingTable> routingTable() {
        for (DumpKind k : List.of(DumpKind.IP_ROUTE, DumpKind.ROUTE_N)) {
            for (DumpedFile f : of(k)) if (f.content() instanceof DumpContent.Routes r) return Optional.of(r.table());
        }
        return Optional.empty();
    }

    /** Interfaces: from ip addr when present, else from ip -br. */
    public Optional<HostInterfaces> interfaces() {
        for (DumpKind k : List.of(DumpKind.IP_ADDR, DumpKind.IP_ADDR_BRIEF)) {
            for (DumpedFile f : of(k)) if (f.content() instanceof DumpContent.Interfaces i) return Optional.of(i.interfaces());
        }
        return Optional.empty();
    }

    /**
     * The host's sysctls: a {@code sysctl -a} dump is the running state and wins; without one, Linux 6.18's
     * defaults for the dump's interfaces (br_netfilter not loaded), with every sysctl.conf file applied in
     * name order as {@code sysctl -p} would.
     */
    public Optional<SysctlRun> sysctls() {
        for (DumpedFile f : of(DumpKind.SYSCTL_DUMP)) {
            if (f.content() instanceof DumpContent.SysctlState s) return Optional.of(new SysctlRun(s.sysctls(), "", "", 0));
        }
        List<DumpedFile> confs = of(DumpKind.SYSCTL_CONF);
        if (confs.isEmpty()) return Optional.empty();
        List<String> names = interfaces().map(h -> h.interfaces().stream().map(InterfaceConfig::name)
                .filter(n -> !n.equals("lo")).toList()).orElse(List.of());
        Sysctls state = Sysctls.kernelDefaults(names, false);
        for (String n : names) state = state.withDevicePinned(n);
        StringBuilder out = new StringBuilder(), err = new StringBuilder();
        int status = 0;
        for (DumpedFile f : confs) {
            SysctlRun run = SysctlCommand.load(state, f.name(), f.text());
            state = run.state();
            out.append(run.stdout());
            err.append(run.stderr());
            status = Math.max(status, run.exitStatus());
        }
        return Optional.of(new SysctlRun(state, out.toString(), err.toString(), status));
    }

    /** Every resolv.conf-like file. */
    public List<ResolvConf> resolvConfs() {
        List<ResolvConf> out = new ArrayList<>();
        for (DumpedFile f : of(DumpKind.RESOLV_CONF)) if (f.content() instanceof DumpContent.Resolver r) out.add(r.resolvConf());
        return out;
    }

    /** The host's /etc/resolv.conf: the one file that is not systemd-resolved's uplink list, if any. */
    public Optional<ResolvConf> resolvConf() {
        List<ResolvConf> all = resolvConfs();
        return all.stream().filter(r -> r.managedBy() != ResolvManager.SYSTEMD_RESOLVED_UPLINK).findFirst()
                .or(() -> all.stream().findFirst());
    }

    public Optional<WindowsIpconfig> guestIpconfig() {
        for (DumpedFile f : of(DumpKind.IPCONFIG)) if (f.content() instanceof DumpContent.Ipconfig i) return Optional.of(i.ipconfig());
        return Optional.empty();
    }

    /** Network XML texts by file name. */
    public Map<String, String> networkXmls() {
        Map<String, String> m = new LinkedHashMap<>();
        for (DumpedFile f : of(DumpKind.NETWORK_XML)) m.put(f.name(), f.text());
        return m;
    }

    public Optional<String> iptablesSave() { return of(DumpKind.IPTABLES_SAVE).stream().findFirst().map(DumpedFile::text); }

    /** {@code ipset save} (or {@code ipset list}) output, when the dump has it. */
    public Optional<String> ipsetSave() { return of(DumpKind.IPSET_SAVE).stream().findFirst().map(DumpedFile::text); }

    public Optional<String> nftRuleset() { return of(DumpKind.NFT_RULESET).stream().findFirst().map(DumpedFile::text); }

    public Optional<String> libvirtNetworkConf() {
        return of(DumpKind.LIBVIRT_NETWORK_CONF).stream().findFirst().map(DumpedFile::text);
    }
}
