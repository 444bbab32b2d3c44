package org.vnetlab.emulator.hostconf;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Recognises what a dump file is from its content alone (names lie: users rename, paste into
 * {@code notes.txt}). First the formats' own signatures (a {@code <network>} root, {@code *filter}+{@code
 * COMMIT}, {@code table inet … {}, route's header, ip addr's {@code N: name: <FLAGS>}, ipconfig's dotted
 * leaders, network.conf's {@code firewall_backend}, ipset's
 * {@code create NAME hash:ip}); failing those, the share of lines that fit the line
 * formats (ip route, ip -br, sysctl, resolv.conf). Comments count for the formats that allow them.
 */
public final class HostDumpFile {
    private static final Pattern XML_ROOT = Pattern.compile("^\\s*(<\\?xml[^>]*>\\s*)?(<!--.*?-->\\s*)*<network[\\s>]", Pattern.DOTALL);
    private static final Pattern IPT_TABLE = Pattern.compile("^\\*(filter|nat|mangle|raw|security)\\s*$", Pattern.MULTILINE);
    private static final Pattern IPT_COMMIT = Pattern.compile("^COMMIT\\s*$", Pattern.MULTILINE);
    private static final Pattern NFT_TABLE = Pattern.compile("^table (ip|ip6|inet|arp|bridge|netdev) \\S+ \\{", Pattern.MULTILINE);
    private static final Pattern IPSET = Pattern.compile(
            "^(create \\S+ (hash|bitmap|list):\\S+|Name: \\S+\nType: (hash|bitmap|list):\\S+)", Pattern.MULTILINE);
    private static final Pattern ROUTE_N = Pattern.compile("^(Kernel IP routing table|Destination\\s+Gateway\\s+Genmask\\s+Flags)", Pattern.MULTILINE);
    private static final Pattern IP_ADDR = Pattern.compile("^\\d+: \\S+: <[A-Z0-9_,-]*>", Pattern.MULTILINE);
    private static final Pattern IPCONFIG = Pattern.compile("^(Windows(?: \\S+)? IP Configuration|\\S.* adapter .+:)\\s*$|\\. \\. :", Pattern.MULTILINE);
    private static final Pattern NETWORK_CONF = Pattern.compile("^\\s*#?\\s*firewall_backend\\s*=", Pattern.MULTILINE);
    private static final Pattern MANIFEST = Pattern.compile("\\A# vnetlab-collect ");

    private static final Pattern ROUTE_LINE = Pattern.compile(
            "^((unicast|local|broadcast|multicast|anycast|blackhole|unreachable|prohibit|throw) )?"
                    + "(default|\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?|[0-9a-fA-F:]*:[0-9a-fA-F:]*(/\\d{1,3})?)( .*)?$");
    private static final Pattern NEXTHOP_LINE = Pattern.compile("^\\s+(nexthop|nh_info) .*");
    private static final Pattern BRIEF_LINE = Pattern.compile(
            "^\\S+\\s+(UP|DOWN|UNKNOWN|LOWERLAYERDOWN|DORMANT|NOTPRESENT|TESTING)(\\s.*)?$");
    private static final Pattern SYSCTL_DUMP_LINE = Pattern.compile("^[A-Za-z0-9_-]+(\\.[A-Za-z0-9_/@:+-]+)+ = ?.*$");
    private static final Pattern SYSCTL_CONF_LINE = Pattern.compile("^\\s*-?[A-Za-z0-9_-]+([./][A-Za-z0-9_/@:*?+-]+)+\\s*(=.*)?$");
    private static final Pattern RESOLV_LINE = Pattern.compile("^(nameserver|search|domain|options|sortlist)[ \\t]+\\S.*$");

    private HostDumpFile() {}

    public static Detection detect(String content) {
        if (content.indexOf('\0') >= 0) return new Detection.Unknown("binary content (NUL bytes)");
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        text = text.replace("\r\n", "\n");
        if (text.isBlank()) return new Detection.Unknown("empty file");

        Map<DumpKind, String> signatures = new EnumMap<>(DumpKind.class);
        if (MANIFEST.matcher(text).find()) signatures.put(DumpKind.COLLECTOR_MANIFEST, "starts with '# vnetlab-collect'");
        if (XML_ROOT.matcher(text).find()) signatures.put(DumpKind.NETWORK_XML, "XML with a <network> root element");
        if (IPT_TABLE.matcher(text).find() && IPT_COMMIT.matcher(text).find()) {
            signatures.put(DumpKind.IPTABLES_SAVE, "'*table' sections ended by COMMIT");
        }
        if (NFT_TABLE.matcher(text).find()) signatures.put(DumpKind.NFT_RULESET, "'table FAMILY NAME {' blocks");
        if (IPSET.matcher(text).find()) signatures.put(DumpKind.IPSET_SAVE, "ipset's 'create NAME TYPE' lines or 'Name:/Type:' blocks");
        if (ROUTE_N.matcher(text).find()) signatures.put(DumpKind.ROUTE_N, "route's 'Destination Gateway Genmask Flags' header");
        if (IP_ADDR.matcher(text).find()) signatures.put(DumpKind.IP_ADDR, "'INDEX: NAME: <FLAGS>' interface headers");
        if (IPCONFIG.matcher(text).find()) signatures.put(DumpKind.IPCONFIG, "ipconfig's adapter headers and dotted leaders");
        if (NETWORK_CONF.matcher(text).find() && !signatures.containsKey(DumpKind.NETWORK_XML)) {
            signatures.put(DumpKind.LIBVIRT_NETWORK_CONF, "libvirt's firewall_backend setting");
        }
        if (signatures.containsKey(DumpKind.COLLECTOR_MANIFEST)) {
            return new Detection.Recognised(DumpKind.COLLECTOR_MANIFEST, Detection.Confidence.HIGH, signatures.get(DumpKind.COLLECTOR_MANIFEST));
        }
        if (signatures.size() == 1) {
            Map.Entry<DumpKind, String> e = signatures.entrySet().iterator().next();
            return new Detection.Recognised(e.getKey(), Detection.Confidence.HIGH, e.getValue());
        }
        if (signatures.size() > 1) {
            return new Detection.Ambiguous(new ArrayList<>(signatures.keySet()),
                    "signatures of several formats: " + String.join("; ", signatures.values()));
        }
        return byLines(text);
    }

    /** Share of content lines each line format accepts; comments count only where the format has them. */
    private static Detection byLines(String text) {
        String[] lines = text.split("\n");
        int content = 0, comments = 0;
        Map<DumpKind, Integer> fits = new EnumMap<>(DumpKind.class);
        for (DumpKind k : List.of(DumpKind.IP_ROUTE, DumpKind.IP_ADDR_BRIEF, DumpKind.SYSCTL_DUMP, DumpKind.SYSCTL_CONF,
                DumpKind.RESOLV_CONF)) fits.put(k, 0);
        boolean confStyle = false;
        for (String line : lines) {
            if (line.isBlank()) continue;
            String s = line.stripTrailing();
            if (s.startsWith("#") || s.startsWith(";")) {
                comments++;
                confStyle = true;
                continue;
            }
            content++;
            if (ROUTE_LINE.matcher(s).matches() || NEXTHOP_LINE.matcher(s).matches()) fits.merge(DumpKind.IP_ROUTE, 1, Integer::sum);
            if (BRIEF_LINE.matcher(s).matches()) fits.merge(DumpKind.IP_ADDR_BRIEF, 1, Integer::sum);
            if (SYSCTL_DUMP_LINE.matcher(s).matches()) fits.merge(DumpKind.SYSCTL_DUMP, 1, Integer::sum);
            if (SYSCTL_CONF_LINE.matcher(s).matches()) {
                fits.merge(DumpKind.SYSCTL_CONF, 1, Integer::sum);
                boolean dumpStyle = s.contains(" = ") || s.endsWith(" ="); // sysctl -a: "key = value", "key = " when empty
                if (!dumpStyle || s.stripLeading().startsWith("-")) confStyle = true;
            }
            if (RESOLV_LINE.matcher(s).matches()) fits.merge(DumpKind.RESOLV_CONF, 1, Integer::sum);
        }
        if (content == 0) {
            return new Detection.Ambiguous(List.of(DumpKind.SYSCTL_CONF, DumpKind.RESOLV_CONF, DumpKind.LIBVIRT_NETWORK_CONF),
                    comments + " comment lines and nothing else");
        }
        // comments never appear in ip route / ip -br / sysctl -a output; a sysctl file is a conf once it has any
        if (comments > 0) {
            fits.put(DumpKind.IP_ROUTE, 0);
            fits.put(DumpKind.IP_ADDR_BRIEF, 0);
        }
        if (confStyle) fits.put(DumpKind.SYSCTL_DUMP, 0);
        else if (fits.get(DumpKind.SYSCTL_DUMP) > 0) fits.put(DumpKind.SYSCTL_CONF, 0);
        int best = 0;
        List<DumpKind> top = new ArrayList<>();
        for (Map.Entry<DumpKind, Integer> e : fits.entrySet()) {
            if (e.getValue() > best) {
                best = e.getValue();
                top.clear();
                top.add(e.getKey());
            } else if (e.getValue() == best && best > 0) {
                top.add(e.getKey());
            }
        }
        if (best * 2 < content || top.isEmpty()) {
            return new Detection.Unknown("no known format: at most " + best + " of " + content + " lines fit one");
        }
        if (top.size() > 1) {
            return new Detection.Ambiguous(top, best + " of " + content + " lines fit each of these formats");
        }
        DumpKind kind = top.get(0);
        String why = best + " of " + content + " lines read as " + kind.source();
        return new Detection.Recognised(kind, best == content ? Detection.Confidence.HIGH : Detection.Confidence.MEDIUM,
                best == content ? why : why + "; the parser will say what the other " + (content - best) + " are");
    }
}
