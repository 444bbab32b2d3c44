package org.vnetlab.emulator.hostconf.resolv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.emulator.hostconf.text.SourceText;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Reads resolv.conf with glibc's rules (resolv/res_init.c): a comment starts with '#' or ';' in the first
 * column; a keyword must start the line and be followed by a blank; later {@code search}/{@code domain}
 * lines replace earlier ones; a nameserver that is not an address is skipped; options glibc does not know
 * are skipped. glibc never rejects a file, so neither does this parser (except for binary content): every
 * line glibc would skip is returned in {@link ResolvConf#ignored()} with the reason, never dropped silently.
 */
public final class ResolvConfParser {
    private static final List<String> FLAGS = List.of("rotate", "edns0", "single-request", "single-request-reopen",
            "use-vc", "no-tld-query", "trust-ad", "no-aaaa", "inet6", "debug", "no-check-names", "no-reload");

    private ResolvConfParser() {}

    public static ResolvConf parse(String file, String content) throws InputException {
        SourceText src = SourceText.of(file, content);
        List<Nameserver> nameservers = new ArrayList<>();
        List<String> search = List.of();
        Optional<String> domain = Optional.empty();
        int ndots = 1, timeout = 5, attempts = 2;
        List<String> flags = new ArrayList<>();
        List<String> written = new ArrayList<>();
        List<String> sortlist = new ArrayList<>();
        List<NotedLine> ignored = new ArrayList<>();
        int usedCount = 0;
        for (int n = 1; n <= src.lineCount(); n++) {
            String line = src.line(n);
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue; // comments, blank lines
            if (SourceText.isBlank(line)) continue;
            if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                ignored.add(new NotedLine(n, line, "starts with a blank: glibc only reads keywords in the first column"));
                continue;
            }
            String[] words = line.strip().split("[ \t]+");
            String keyword = words[0];
            List<String> args = List.of(words).subList(1, words.length);
            switch (keyword) {
                case "nameserver": {
                    if (args.isEmpty()) {
                        ignored.add(new NotedLine(n, line, "nameserver without an address"));
                        break;
                    }
                    String addr = args.get(0);
                    Optional<String> unused = Optional.empty();
                    if (!isAddress(addr)) unused = Optional.of("not an IP address; glibc skips it");
                    else if (usedCount >= ResolvConf.MAXNS) unused = Optional.of("glibc uses only the first " + ResolvConf.MAXNS + " nameservers");
                    else usedCount++;
                    nameservers.add(new Nameserver(addr, n, unused));
                    break;
                }
                case "search":
                    if (args.isEmpty()) {
                        ignored.add(new NotedLine(n, line, "search without domains"));
                        break;
                    }
                    search = args;
                    domain = Optional.empty();
                    break;
                case "domain":
                    if (args.isEmpty()) {
                        ignored.add(new NotedLine(n, line, "domain without a name"));
                        break;
                    }
                    domain = Optional.of(args.get(0));
                    search = List.of(args.get(0));
                    break;
                case "options":
                    for (String o : args) {
                        written.add(o);
                        int colon = o.indexOf(':');
                        String name = colon < 0 ? o : o.substring(0, colon);
                        if (colon >= 0 && (name.equals("ndots") || name.equals("timeout") || name.equals("attempts"))) {
                            String arg = o.substring(colon + 1);
                            int v = atoi(arg);
                            if (!arg.matches("[0-9]+")) {
                                ignored.add(new NotedLine(n, line, "option '" + o + "': glibc reads the number with atoi, so " + v));
                            }
                            // glibc caps each at RES_MAXNDOTS 15, RES_MAXRETRANS 30, RES_MAXRETRY 5
                            if (name.equals("ndots")) ndots = Math.min(v, 15);
                            else if (name.equals("timeout")) timeout = Math.min(v, 30);
                            else attempts = Math.min(v, 5);
                        } else if (FLAGS.contains(o)) {
                            if (!flags.contains(o)) flags.add(o);
                        } else {
                            ignored.add(new NotedLine(n, line, "unknown option '" + o + "': glibc ignores it"));
                        }
                    }
                    break;
                case "sortlist":
                    sortlist.addAll(args);
                    break;
                default:
                    ignored.add(new NotedLine(n, line, "unknown keyword '" + keyword + "': glibc ignores the line"));
            }
        }
        return new ResolvConf(nameservers, search, domain, new ResolverOptions(ndots, timeout, attempts, flags, written),
                sortlist, manager(src), ignored);
    }

    /** C's atoi for the small non-negative numbers resolv.conf options take: leading digits, else 0. */
    private static int atoi(String s) {
        int v = 0;
        for (int i = 0; i < s.length() && i < 9 && Character.isDigit(s.charAt(i)); i++) v = v * 10 + (s.charAt(i) - '0');
        return v;
    }

    private static boolean isAddress(String s) {
        if (s.contains(":")) {
            String a = s.contains("%") ? s.substring(0, s.indexOf('%')) : s;
            return a.matches("[0-9A-Fa-f:.]+") && a.chars().filter(c -> c == ':').count() >= 2;
        }
        try {
            Ipv4Address.parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ResolvManager manager(SourceText src) {
        for (String line : src.lines()) {
            if (!line.startsWith("#")) continue;
            if (line.contains("/run/systemd/resolve/stub-resolv.conf") && line.contains("managed by")) return ResolvManager.SYSTEMD_RESOLVED_STUB;
            if (line.contains("/usr/lib/systemd/resolv.conf") && line.contains("managed by")) return ResolvManager.SYSTEMD_RESOLVED_STATIC;
            if (line.contains("/run/systemd/resolve/resolv.conf") && line.contains("managed by")) return ResolvManager.SYSTEMD_RESOLVED_UPLINK;
            if (line.startsWith("# Generated by NetworkManager")) return ResolvManager.NETWORK_MANAGER;
            if (line.contains("generated by resolvconf(8)")) return ResolvManager.RESOLVCONF;
            if (line.contains("dhclient-script")) return ResolvManager.DHCLIENT;
        }
        return ResolvManager.UNKNOWN;
    }
}
