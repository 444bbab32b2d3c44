package org.vnetlab.emulator.libvirt.dnsmasq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.libvirt.IpAddress;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.BindMode;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.Cname;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.DhcpBoot;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.DhcpOption;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.DhcpRange;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.LeaseTime;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.RangeMode;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.Server;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.SrvHost;
import org.vnetlab.emulator.libvirt.dnsmasq.DnsmasqOptions.TxtRecord;

/**
 * Reads a dnsmasq configuration file, as dnsmasq reads its {@code --conf-file}: one {@code option} or
 * {@code option=value} per line, {@code #} starting a comment at the line start or after a blank. Only the
 * options libvirt writes (and a few common pass-throughs) are understood; any other option is refused with its
 * line, since the emulated dnsmasq could not honour it. All-or-nothing: the first error stops the read.
 */
public final class DnsmasqConfParser {
    /** Option names dnsmasq's {@code dhcp-option=option:NAME} accepts, for the ones we know. */
    private static final Map<String, Integer> DHCP_OPTION_NAMES = Map.ofEntries(
            Map.entry("netmask", 1), Map.entry("time-offset", 2), Map.entry("router", 3),
            Map.entry("dns-server", 6), Map.entry("log-server", 7), Map.entry("hostname", 12),
            Map.entry("domain-name", 15), Map.entry("ip-forward-enable", 19), Map.entry("mtu", 26),
            Map.entry("broadcast", 28), Map.entry("router-discovery", 31), Map.entry("static-route", 33),
            Map.entry("ntp-server", 42), Map.entry("netbios-ns", 44), Map.entry("lease-time", 51),
            Map.entry("server-identifier", 54), Map.entry("T1", 58), Map.entry("T2", 59),
            Map.entry("tftp-server", 66), Map.entry("bootfile-name", 67), Map.entry("domain-search", 119),
            Map.entry("classless-static-route", 121));

    private final String file;
    private int line;
    private String token;

    // the options as they accumulate; turned into one immutable DnsmasqOptions at the end
    private boolean strictOrder;
    private boolean noResolv;
    private boolean domainNeeded;
    private boolean expandHosts;
    private OptionalInt port = OptionalInt.empty();
    private final List<Server> servers = new ArrayList<>();
    private Optional<String> domain = Optional.empty();
    private Optional<String> pidFile = Optional.empty();
    private final List<String> exceptInterfaces = new ArrayList<>();
    private BindMode bindMode = BindMode.WILDCARD;
    private final List<String> interfaces = new ArrayList<>();
    private final List<IpAddress> listenAddresses = new ArrayList<>();
    private final List<DhcpRange> dhcpRanges = new ArrayList<>();
    private boolean dhcpNoOverride;
    private boolean dhcpAuthoritative;
    private OptionalInt dhcpLeaseMax = OptionalInt.empty();
    private final List<String> dhcpHostsFiles = new ArrayList<>();
    private final List<String> addnHostsFiles = new ArrayList<>();
    private final List<DhcpOption> dhcpOptions = new ArrayList<>();
    private boolean enableTftp;
    private Optional<String> tftpRoot = Optional.empty();
    private Optional<DhcpBoot> dhcpBoot = Optional.empty();
    private boolean enableRa;
    private final List<String> raParams = new ArrayList<>();
    private final List<TxtRecord> txtRecords = new ArrayList<>();
    private final List<SrvHost> srvHosts = new ArrayList<>();
    private final List<Cname> cnames = new ArrayList<>();
    private boolean leasefileReadOnly;

    private DnsmasqConfParser(String file) {
        this.file = file;
    }

    public static DnsmasqOptions parse(String file, String text) throws InputException {
        DnsmasqConfParser p = new DnsmasqConfParser(file);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            p.line = i + 1;
            p.line(lines[i]);
        }
        return p.build();
    }

    private DnsmasqOptions build() {
        return new DnsmasqOptions(strictOrder, noResolv, domainNeeded, expandHosts, port, servers, domain, pidFile,
                exceptInterfaces, bindMode, interfaces, listenAddresses, dhcpRanges, dhcpNoOverride, dhcpAuthoritative,
                dhcpLeaseMax, dhcpHostsFiles, addnHostsFiles, dhcpOptions, enableTftp, tftpRoot, dhcpBoot, enableRa,
                raParams, txtRecords, srvHosts, cnames, leasefileReadOnly);
    }

    private InputException error(String problem) {
        return new InputException(file, line, 1, token, problem);
    }

    private InputException error(String problem, String hint) {
        return new InputException(file, line, 1, token, problem, hint);
    }

    private void line(String raw) throws InputException {
        String s = stripComment(raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw).strip();
        if (s.isEmpty()) return;
        if (s.indexOf('"') >= 0) {
            token = s;
            throw error("quoted values are not supported here");
        }
        int eq = s.indexOf('=');
        String name = (eq < 0 ? s : s.substring(0, eq)).strip();
        Optional<String> value = eq < 0 ? Optional.empty() : Optional.of(s.substring(eq + 1).strip());
        token = name;
        switch (name) {
            case "strict-order" -> strictOrder = flag(value);
            case "no-resolv" -> noResolv = flag(value);
            case "domain-needed" -> domainNeeded = flag(value);
            case "expand-hosts" -> expandHosts = flag(value);
            case "bind-dynamic" -> bindMode = flag(value) ? BindMode.DYNAMIC : bindMode;
            case "bind-interfaces" -> bindMode = flag(value) ? BindMode.INTERFACES : bindMode;
            case "dhcp-no-override" -> dhcpNoOverride = flag(value);
            case "dhcp-authoritative" -> dhcpAuthoritative = flag(value);
            case "enable-tftp" -> enableTftp = flag(value);
            case "enable-ra" -> enableRa = flag(value);
            case "leasefile-ro" -> leasefileReadOnly = flag(value);
            case "port" -> port = OptionalInt.of(number(required(value), 0, 65535));
            case "dhcp-lease-max" -> dhcpLeaseMax = OptionalInt.of(number(required(value), 0, Integer.MAX_VALUE));
            case "pid-file" -> pidFile = value.filter(v -> !v.isEmpty());
            case "domain" -> domain = Optional.of(domain(required(value)));
            case "server" -> servers.add(server(required(value)));
            case "local" -> servers.add(local(required(value)));
            case "except-interface" -> exceptInterfaces.addAll(list(required(value)));
            case "interface" -> interfaces.addAll(list(required(value)));
            case "listen-address" -> {
                for (String a : list(required(value))) listenAddresses.add(address(a));
            }
            case "dhcp-range" -> dhcpRanges.add(dhcpRange(required(value)));
            case "dhcp-hostsfile" -> dhcpHostsFiles.add(required(value));
            case "addn-hosts" -> addnHostsFiles.add(required(value));
            case "dhcp-option" -> dhcpOptions.add(dhcpOption(required(value)));
            case "tftp-root" -> tftpRoot = Optional.of(required(value).split(",", -1)[0]);
            case "dhcp-boot" -> dhcpBoot = Optional.of(dhcpBoot(required(value)));
            case "ra-param" -> raParams.add(required(value));
            case "txt-record" -> txtRecords.add(txtRecord(required(value)));
            case "srv-host" -> srvHosts.add(srvHost(required(value)));
            case "cname" -> cnames.add(cname(required(value)));
            default -> throw error("unknown dnsmasq option '" + name + "'",
                    "the emulated dnsmasq understands the options libvirt writes; drop this one or run it on a real host");
        }
    }

    /** dnsmasq treats {@code #} as a comment only at the start of a line or after whitespace ({@code server=/d/#} keeps it). */
    private static String stripComment(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) return s.substring(0, i);
        }
        return s;
    }

    private boolean flag(Optional<String> value) throws InputException {
        if (value.isPresent()) throw error("option '" + token + "' takes no value");
        return true;
    }

    private String required(Optional<String> value) throws InputException {
        if (value.isEmpty() || value.get().isEmpty()) throw error("option '" + token + "' needs a value");
        return value.get();
    }

    private int number(String s, int min, int max) throws InputException {
        try {
            int v = Integer.parseInt(s);
            if (v < min || v > max) throw error("'" + s + "' is out of range for " + token + " (" + min + "-" + max + ")");
            return v;
        } catch (NumberFormatException e) {
            throw error("'" + s + "' is not a number");
        }
    }

    private static List<String> list(String value) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) out.add(part.strip());
        }
        return out;
    }

    private IpAddress address(String s) throws InputException {
        try {
            return IpAddress.parse(s);
        } catch (IllegalArgumentException e) {
            throw error("'" + s + "' is not an IP address");
        }
    }

    private String domain(String value) throws InputException {
        if (value.contains(",")) {
            throw error("domain with an address range is not supported", "libvirt writes domain=NAME only");
        }
        return value;
    }

    /** {@code server=[/domain/[domain/...]][address[#port]|#]}. */
    private Server server(String value) throws InputException {
        List<String> domains = new ArrayList<>();
        String rest = value;
        if (rest.startsWith("/")) {
            int last = rest.lastIndexOf('/');
            if (last == 0) throw error("unterminated domain in server=" + value);
            for (String d : rest.substring(1, last).split("/", -1)) domains.add(d);
            rest = rest.substring(last + 1);
        }
        if (rest.isEmpty()) return new Server(domains, new DnsmasqOptions.LocalOnly());
        if (rest.equals("#")) return new Server(domains, new DnsmasqOptions.StandardServers());
        if (rest.indexOf('@') >= 0) throw error("server source address or interface (@...) is not supported");
        OptionalInt serverPort = OptionalInt.empty();
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            serverPort = OptionalInt.of(number(rest.substring(hash + 1), 1, 65535));
            rest = rest.substring(0, hash);
        }
        return new Server(domains, new DnsmasqOptions.Address(address(rest), serverPort));
    }

    /** {@code local=/domain/[domain/...]}: the same as a server line with no address. */
    private Server local(String value) throws InputException {
        if (!value.startsWith("/") || !value.endsWith("/") || value.length() < 2) {
            throw error("local= needs /domain/ (or // for names without a dot)");
        }
        List<String> domains = List.of(value.substring(1, value.length() - 1).split("/", -1));
        return new Server(domains, new DnsmasqOptions.LocalOnly());
    }

    /**
     * The forms libvirt writes: {@code start,end,netmask[,lease]}, {@code start,end,prefix[,lease]} (IPv6),
     * {@code address,static[,prefix]} and {@code address,ra-only}.
     */
    private DhcpRange dhcpRange(String value) throws InputException {
        List<String> parts = new ArrayList<>(List.of(value.split(",", -1)));
        if (parts.get(0).startsWith("tag:") || parts.get(0).startsWith("set:")) {
            throw error("tagged dhcp-range is not supported");
        }
        IpAddress start = address(parts.remove(0));
        boolean v6 = start.family() == IpAddress.Family.IPV6;
        Optional<IpAddress> end = Optional.empty();
        RangeMode mode = RangeMode.DYNAMIC;
        if (!parts.isEmpty() && looksLikeAddress(parts.get(0))) {
            end = Optional.of(address(parts.remove(0)));
            if (end.get().family() != start.family()) throw error("dhcp-range mixes IPv4 and IPv6");
        } else if (!parts.isEmpty() && (parts.get(0).equals("static") || parts.get(0).equals("ra-only"))) {
            mode = parts.remove(0).equals("static") ? RangeMode.STATIC : RangeMode.RA_ONLY;
        } else {
            throw error("dhcp-range needs an end address, 'static' or 'ra-only' after " + start);
        }
        Optional<IpAddress> netmask = Optional.empty();
        OptionalInt prefix = OptionalInt.empty();
        if (!v6 && !parts.isEmpty() && looksLikeAddress(parts.get(0))) {
            netmask = Optional.of(address(parts.remove(0)));
            if (((IpAddress.V4) netmask.get()).netmaskBits() < 0) throw error("'" + netmask.get() + "' is not a netmask");
        }
        if (v6 && !parts.isEmpty() && parts.get(0).matches("[0-9]+")) {
            prefix = OptionalInt.of(number(parts.remove(0), 1, 128));
        }
        Optional<LeaseTime> lease = Optional.empty();
        if (!parts.isEmpty() && mode != RangeMode.RA_ONLY) lease = Optional.of(leaseTime(parts.remove(0)));
        if (!parts.isEmpty()) throw error("unsupported dhcp-range part '" + parts.get(0) + "'");
        return new DhcpRange(start, end, mode, netmask, prefix, lease);
    }

    private static boolean looksLikeAddress(String s) {
        return s.indexOf(':') >= 0 || s.matches("[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+");
    }

    /** dnsmasq's lease times: {@code infinite}, or a number with an optional unit s, m, h, d or w. */
    static Optional<LeaseTime> parseLeaseTime(String s) {
        if (s.equals("infinite")) return Optional.of(LeaseTime.INFINITE);
        if (!s.matches("[0-9]+[smhdwSMHDW]?")) return Optional.empty();
        char unit = Character.toLowerCase(s.charAt(s.length() - 1));
        long multiplier = switch (unit) {
            case 's' -> 1;
            case 'm' -> 60;
            case 'h' -> 3600;
            case 'd' -> 86400;
            case 'w' -> 604800;
            default -> 0;
        };
        String digits = multiplier == 0 ? s : s.substring(0, s.length() - 1);
        // dnsmasq keeps lease times in 32 bits: a number beyond that is no lease time (and would overflow a long)
        if (digits.length() > 10) return Optional.empty();
        long seconds = Long.parseLong(digits) * (multiplier == 0 ? 1 : multiplier);
        if (seconds > 0xffff_ffffL) return Optional.empty();
        return Optional.of(LeaseTime.seconds(seconds));
    }

    private LeaseTime leaseTime(String s) throws InputException {
        return parseLeaseTime(s).orElseThrow(() -> error("'" + s + "' is not a lease time"));
    }

    /** {@code dhcp-option=CODE[,VALUE...]} or {@code option:NAME[,VALUE...]}. */
    private DhcpOption dhcpOption(String value) throws InputException {
        List<String> parts = new ArrayList<>(List.of(value.split(",", -1)));
        String opt = parts.remove(0);
        int code;
        if (opt.startsWith("option:")) {
            Integer known = DHCP_OPTION_NAMES.get(opt.substring("option:".length()));
            if (known == null) throw error("unknown DHCP option name '" + opt + "'");
            code = known;
        } else if (opt.matches("[0-9]+")) {
            code = number(opt, 1, 254);
        } else {
            throw error("tags, vendor classes and option6 in dhcp-option are not supported");
        }
        return new DhcpOption(code, parts);
    }

    private DhcpBoot dhcpBoot(String value) throws InputException {
        String[] parts = value.split(",", -1);
        if (parts[0].startsWith("tag:")) throw error("tagged dhcp-boot is not supported");
        Optional<String> serverName = parts.length > 1 && !parts[1].isEmpty() ? Optional.of(parts[1]) : Optional.empty();
        Optional<IpAddress> serverAddress = parts.length > 2 ? Optional.of(address(parts[2])) : Optional.empty();
        return new DhcpBoot(parts[0], serverName, serverAddress);
    }

    private TxtRecord txtRecord(String value) {
        List<String> parts = new ArrayList<>(List.of(value.split(",", -1)));
        String name = parts.remove(0);
        return new TxtRecord(name, parts);
    }

    private SrvHost srvHost(String value) throws InputException {
        String[] p = value.split(",", -1);
        Optional<String> target = p.length > 1 ? Optional.of(p[1]) : Optional.empty();
        int srvPort = p.length > 2 ? number(p[2], 0, 65535) : 0;
        int priority = p.length > 3 ? number(p[3], 0, 65535) : 0;
        int weight = p.length > 4 ? number(p[4], 0, 65535) : 0;
        if (p.length > 5) throw error("too many fields in srv-host");
        return new SrvHost(p[0], target, srvPort, priority, weight);
    }

    private Cname cname(String value) throws InputException {
        List<String> parts = new ArrayList<>(List.of(value.split(",", -1)));
        OptionalInt ttl = OptionalInt.empty();
        if (parts.size() > 2 && parts.get(parts.size() - 1).matches("[0-9]+")) {
            ttl = OptionalInt.of(number(parts.remove(parts.size() - 1), 0, Integer.MAX_VALUE));
        }
        if (parts.size() < 2) throw error("cname needs an alias and a target");
        String target = parts.remove(parts.size() - 1);
        return new Cname(parts, target, ttl);
    }
}
