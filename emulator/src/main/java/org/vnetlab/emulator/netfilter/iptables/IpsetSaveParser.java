package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.IpProtocols;
import org.vnetlab.emulator.netfilter.Ipset;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Reads {@code ipset save} output ({@code create NAME TYPE OPTIONS} then {@code add NAME ELEMENT [OPTIONS]}
 * lines, as {@code ipset restore} takes them) and {@code ipset list} output ({@code Name:}/{@code Type:}/
 * {@code Header:}/{@code Members:} blocks). All or nothing: the first mistake is an {@link InputException} with
 * its file:line:column and token.
 *
 * <p>Modelled: IPv4 hash:ip, hash:net (with {@code nomatch}) and hash:ip,port sets. IPv6 sets are kept by name
 * (iptables cannot use them). Other types (bitmap:*, list:set, hash:net,iface, ...) are refused: they are not
 * emulated. Timeouts, counters, comments and skbinfo are read and not modelled: members stay for the whole run
 * (the assumptions say so). Elements may be written as ipset takes them on its command line: hash:ip takes
 * CIDR blocks and ranges (expanded, as the kernel stores them), hash:net ranges (split into CIDR blocks),
 * hash:ip,port port ranges.
 */
public final class IpsetSaveParser {
    /** Larger expansions are refused: a hash:ip of that many members is the sign of a typo (a /8 meant for hash:net). */
    static final int MAX_EXPANSION = 65536;

    private static final Set<String> OTHER_TYPES = Set.of("bitmap:ip", "bitmap:ip,mac", "bitmap:port", "hash:mac",
            "hash:ip,mac", "hash:ip,mark", "hash:ip,port,ip", "hash:ip,port,net", "hash:net,net", "hash:net,port",
            "hash:net,port,net", "hash:net,iface", "list:set");
    private static final String NOT_EMULATED_HINT = "vnetlab emulates hash:ip, hash:net and hash:ip,port sets only;"
            + " remove this set (and the rules using it) from the dump";

    private final String file;
    private final Map<String, Building> sets = new LinkedHashMap<>();
    private final Map<String, List<String>> ipv6 = new LinkedHashMap<>();
    private final Set<String> timedOut = new LinkedHashSet<>();
    private final Set<String> counted = new LinkedHashSet<>();

    private static final class Building {
        final Ipset.Type type;
        final String header;
        final List<Ipset.Member> members = new ArrayList<>();

        Building(Ipset.Type type, String header) {
            this.type = type;
            this.header = header;
        }
    }

    /** One word of a line and its 1-based column. */
    record Word(String text, int column) {}

    private IpsetSaveParser(String file) { this.file = file; }

    public static IpsetSave parse(String text, String file) throws InputException {
        IpsetSaveParser p = new IpsetSaveParser(file);
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        boolean listing = false;
        for (String l : lines) {
            if (l.isBlank() || l.startsWith("#")) continue;
            listing = l.startsWith("Name: ");
            break;
        }
        if (listing) p.listing(lines);
        else p.save(lines);
        return p.result();
    }

    private IpsetSave result() {
        List<Ipset> out = new ArrayList<>();
        for (Map.Entry<String, Building> e : sets.entrySet()) {
            out.add(new Ipset(e.getKey(), e.getValue().type, e.getValue().members, e.getValue().header));
        }
        List<String> assumptions = new ArrayList<>();
        if (!timedOut.isEmpty()) {
            assumptions.add("ipset timeouts are not modelled: the members of " + String.join(", ", timedOut)
                    + " stay for the whole run (no member expires; a member added later gets no timeout)");
        }
        if (!counted.isEmpty()) {
            assumptions.add("ipset counters and comments of " + String.join(", ", counted) + " are read and not kept");
        }
        return new IpsetSave(out, ipv6, assumptions);
    }

    private void save(String[] lines) throws InputException {
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            if (l.isBlank() || l.stripLeading().startsWith("#")) continue;
            List<Word> w = words(l, i + 1);
            String cmd = w.get(0).text();
            if (cmd.equals("COMMIT")) continue; // ipset restore's optional end of a transaction
            if (cmd.equals("create") || cmd.equals("-N") || cmd.equals("n")) create(w, i + 1, l);
            else if (cmd.equals("add") || cmd.equals("-A") || cmd.equals("a")) add(w, i + 1, l);
            else throw error(i + 1, w.get(0), "not an ipset save line (create or add expected)",
                    "give the output of 'ipset save' or 'ipset list'");
        }
    }

    private void create(List<Word> w, int line, String raw) throws InputException {
        if (w.size() < 3) throw error(line, w.get(w.size() - 1), "create needs a set name and a type", "create NAME TYPE [OPTIONS]");
        Word name = w.get(1), type = w.get(2);
        checkName(line, name);
        if (sets.containsKey(name.text()) || ipv6.containsKey(name.text())) {
            throw error(line, name, "Set cannot be created: set with the same name already exists", null);
        }
        boolean inet6 = false;
        for (int i = 3; i < w.size(); i++) {
            Word o = w.get(i);
            switch (o.text()) {
                case "family" -> {
                    Word v = value(w, i++, line);
                    if (v.text().equals("inet6")) inet6 = true;
                    else if (!v.text().equals("inet")) throw error(line, v, "unknown family (inet or inet6)", null);
                }
                case "hashsize", "maxelem", "bucketsize", "initval", "size", "range", "markmask" -> value(w, i++, line);
                case "timeout" -> {
                    number(line, value(w, i++, line), 0, Integer.MAX_VALUE / 1000);
                    timedOut.add(name.text());
                }
                case "counters", "comment", "skbinfo", "forceadd" -> {
                    if (!o.text().equals("forceadd")) counted.add(name.text());
                }
                case "netmask", "bitmask" -> {
                    Word v = value(w, i++, line);
                    if (!v.text().equals("32") && !v.text().equals("255.255.255.255")) {
                        throw error(line, o, "a netmask on a set is not emulated (members would stand for whole networks)",
                                "use a hash:net set, or remove the netmask");
                    }
                }
                default -> throw error(line, o, "unknown create option", "ipset save prints family, hashsize, maxelem, timeout, "
                        + "counters, comment, skbinfo, bucketsize, initval");
            }
        }
        Optional<Ipset.Type> t = Ipset.Type.of(type.text());
        if (t.isEmpty()) {
            String problem = OTHER_TYPES.contains(type.text()) ? "set type " + type.text() + " is not emulated"
                    : "unknown set type";
            throw error(line, type, problem, NOT_EMULATED_HINT);
        }
        if (inet6) {
            ipv6.put(name.text(), new ArrayList<>(List.of(raw.strip())));
            return;
        }
        String header = raw.strip().substring(raw.strip().indexOf(type.text()) + type.text().length()).strip();
        sets.put(name.text(), new Building(t.get(), header.isEmpty() ? Ipset.DEFAULT_HEADER : header));
    }

    private void add(List<Word> w, int line, String raw) throws InputException {
        if (w.size() < 3) throw error(line, w.get(w.size() - 1), "add needs a set name and an element", "add NAME ELEMENT");
        Word name = w.get(1);
        if (ipv6.containsKey(name.text())) {
            ipv6.get(name.text()).add(raw.strip());
            return;
        }
        Building b = sets.get(name.text());
        if (b == null) throw error(line, name, "The set with the given name does not exist", "a create line must come first");
        addTo(b, name.text(), w.subList(2, w.size()), line);
    }

    private void addTo(Building b, String name, List<Word> w, int line) throws InputException {
        boolean nomatch = false;
        for (int i = 1; i < w.size(); i++) {
            Word o = w.get(i);
            switch (o.text()) {
                case "timeout" -> {
                    number(line, value(w, i++, line), 0, Integer.MAX_VALUE / 1000);
                    timedOut.add(name);
                }
                case "packets", "bytes", "skbmark", "skbprio", "skbqueue" -> value(w, i++, line);
                case "comment" -> value(w, i++, line);
                case "nomatch" -> {
                    if (b.type != Ipset.Type.HASH_NET) throw error(line, o, "Unknown argument: `nomatch'", "only hash:net sets take nomatch here");
                    nomatch = true;
                }
                default -> throw error(line, o, "Unknown argument: `" + o.text() + "'", null);
            }
        }
        List<Ipset.Member> ms;
        try {
            ms = members(b.type, w.get(0).text(), nomatch);
        } catch (IllegalArgumentException e) {
            throw error(line, w.get(0), e.getMessage(), null);
        }
        for (Ipset.Member m : ms) {
            if (contains(b.members, m)) throw error(line, w.get(0), "Element cannot be added to the set: it's already added", null);
            b.members.add(m);
        }
    }

    /** Whether {@code m}'s element is in the set already (hash:net: the same net, whatever its nomatch flag). */
    public static boolean contains(List<Ipset.Member> members, Ipset.Member m) {
        return members.stream().anyMatch(x -> x.address().equals(m.address()) && x.prefixLength() == m.prefixLength()
                && x.protocol() == m.protocol() && x.port() == m.port());
    }

    private void listing(String[] lines) throws InputException {
        int i = 0;
        while (i < lines.length) {
            String l = lines[i];
            if (l.isBlank()) {
                i++;
                continue;
            }
            if (!l.startsWith("Name: ")) throw error(i + 1, words(l, i + 1).get(0), "an ipset list block starts with 'Name: SET'", null);
            String name = l.substring(6).strip();
            int nameLine = i + 1;
            String type = null, header = "";
            int typeLine = 0;
            i++;
            while (i < lines.length && !lines[i].startsWith("Members:")) {
                String h = lines[i];
                if (h.isBlank()) break;
                if (h.startsWith("Type: ")) {
                    type = h.substring(6).strip();
                    typeLine = i + 1;
                } else if (h.startsWith("Header: ")) {
                    header = h.substring(8).strip();
                }
                i++;
            }
            if (type == null) throw error(nameLine, new Word(name, 7), "the block has no 'Type:' line", null);
            String createLine = "create " + name + " " + type + (header.isEmpty() ? "" : " " + header);
            // errors in the header name the Type: line, where the type and the options come from
            try {
                create(words(createLine, typeLine), typeLine, createLine);
            } catch (InputException e) {
                throw new InputException(file, typeLine, 1, e.token(), e.problem(), e.hint().orElse(null));
            }
            if (i < lines.length && lines[i].startsWith("Members:")) {
                i++;
                while (i < lines.length && !lines[i].isBlank() && !lines[i].startsWith("Name: ")) {
                    String m = lines[i];
                    List<Word> w = words(m, i + 1);
                    if (ipv6.containsKey(name)) ipv6.get(name).add("add " + name + " " + m.strip());
                    else addTo(sets.get(name), name, w, i + 1);
                    i++;
                }
            }
        }
    }

    /**
     * The members one element stands for in a set of {@code type}, as {@code ipset add} reads it; the message of
     * the {@link IllegalArgumentException} is ipset's.
     */
    public static List<Ipset.Member> members(Ipset.Type type, String element, boolean nomatch) {
        String addr = element, second = null;
        if (type == Ipset.Type.HASH_IP_PORT) {
            int comma = element.indexOf(',');
            if (comma < 0) throw new IllegalArgumentException("Syntax error: Second element is missing from " + element + ".");
            addr = element.substring(0, comma);
            second = element.substring(comma + 1);
        } else if (element.indexOf(',') >= 0) {
            throw new IllegalArgumentException("Syntax error: Elem separator in " + element + ", but settype " + type.text() + " supports none.");
        }
        List<Ipset.Member> nets = new ArrayList<>();
        if (type == Ipset.Type.HASH_NET) {
            for (long[] r : cidrs(addr)) nets.add(new Ipset.Member(new Ipv4Address((int) r[0]), (int) r[1], 0, 0, nomatch));
        } else {
            for (long[] r : cidrs(addr)) {
                long size = 1L << (32 - r[1]);
                if (nets.size() + size > MAX_EXPANSION) throw new IllegalArgumentException("Syntax error: " + addr + " stands for more than "
                        + MAX_EXPANSION + " addresses (a hash:net set holds networks)");
                for (long a = r[0]; a < r[0] + size; a++) nets.add(new Ipset.Member(new Ipv4Address((int) a), 32, 0, 0, false));
            }
        }
        if (second == null) return nets;
        int[] proto = new int[1];
        List<Integer> ports = ports(second, proto);
        List<Ipset.Member> out = new ArrayList<>();
        for (Ipset.Member n : nets) {
            for (int p : ports) out.add(new Ipset.Member(n.address(), 32, proto[0], p, false));
        }
        if (out.size() > MAX_EXPANSION) throw new IllegalArgumentException("Syntax error: " + element + " stands for more than " + MAX_EXPANSION + " elements");
        return out;
    }

    /** {@code A}, {@code A/P} or {@code A-B} as CIDR blocks {network, length}; hash:ip's /0 and hash:net's /0 are refused. */
    private static List<long[]> cidrs(String text) {
        List<long[]> out = new ArrayList<>();
        int dash = text.indexOf('-'), slash = text.indexOf('/');
        if (dash >= 0) {
            long from = address(text.substring(0, dash)).unsigned(), to = address(text.substring(dash + 1)).unsigned();
            if (from > to) throw new IllegalArgumentException("Syntax error: " + text + " is not a valid IP range: the first address is the higher");
            // the largest aligned blocks that tile the range, as ipset's range-to-cidr walk
            while (from <= to) {
                int len = 32;
                while (len > 0) {
                    long size = 1L << (33 - len);
                    if ((from & (size - 1)) != 0 || from + size - 1 > to) break;
                    len--;
                }
                out.add(new long[] {from, len});
                from += 1L << (32 - len);
            }
            return out;
        }
        if (slash >= 0) {
            Ipv4Address a = address(text.substring(0, slash));
            String p = text.substring(slash + 1);
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("Syntax error: cannot parse " + p + " as a CIDR prefix length");
            }
            int len = Integer.parseInt(p);
            if (len > 32) throw new IllegalArgumentException("Syntax error: '" + p + "' is out of range 0-32");
            if (len == 0) throw new IllegalArgumentException("The value of the CIDR parameter of the IP address is invalid");
            long mask = len == 0 ? 0 : (0xffff_ffffL << (32 - len)) & 0xffff_ffffL;
            out.add(new long[] {a.unsigned() & mask, len});
            return out;
        }
        out.add(new long[] {address(text).unsigned(), 32});
        return out;
    }

    private static Ipv4Address address(String text) {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Syntax error: cannot parse " + text + ": resolving to IPv4 address failed");
        }
    }

    /** {@code [PROTO:]PORT[-PORT]}, ICMP {@code icmp:NAME} or {@code icmp:TYPE/CODE}; {@code proto[0]} gets the protocol. */
    private static List<Integer> ports(String text, int[] proto) {
        int colon = text.indexOf(':');
        String protoName = colon < 0 ? "tcp" : text.substring(0, colon);
        String port = colon < 0 ? text : text.substring(colon + 1);
        Optional<Integer> number = protoName.chars().allMatch(Character::isDigit) && !protoName.isEmpty()
                ? Optional.of(Integer.parseInt(protoName)) : IpProtocols.number(protoName);
        if (number.isEmpty() || number.get() > 255) throw new IllegalArgumentException("Syntax error: cannot parse " + protoName + " as a protocol");
        proto[0] = number.get();
        if (proto[0] == 1) {
            Integer named = Ipset.ICMP_NAMES.get(port);
            if (named != null) return List.of(named);
            int s = port.indexOf('/');
            if (s < 0) throw new IllegalArgumentException("Syntax error: cannot parse " + port + " as an ICMP name or TYPE/CODE");
            return List.of((range(port.substring(0, s), 255) << 8) | range(port.substring(s + 1), 255));
        }
        if (proto[0] != 6 && proto[0] != 17 && proto[0] != 132 && proto[0] != 136) {
            if (!port.equals("0")) {
                throw new IllegalArgumentException("Syntax error: Protocol " + protoName + " can be used with pseudo port value 0 only.");
            }
            return List.of(0);
        }
        int dash = port.indexOf('-');
        int from = servicePort(dash < 0 ? port : port.substring(0, dash), protoName);
        int to = dash < 0 ? from : servicePort(port.substring(dash + 1), protoName);
        List<Integer> out = new ArrayList<>();
        for (int p = Math.min(from, to); p <= Math.max(from, to); p++) out.add(p);
        return out;
    }

    private static int servicePort(String text, String proto) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) return range(text, 65535);
        return Services.port(text, proto).orElseThrow(() -> new IllegalArgumentException(
                "Syntax error: cannot parse '" + text + "' as a " + proto + " port"));
    }

    private static int range(String text, int max) {
        if (text.isEmpty() || text.length() > 6 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("Syntax error: '" + text + "' is invalid as number");
        }
        int v = Integer.parseInt(text);
        if (v > max) throw new IllegalArgumentException("Syntax error: '" + text + "' is out of range 0-" + max);
        return v;
    }

    private void checkName(int line, Word name) throws InputException {
        // IPSET_MAXNAMELEN is 32 with the terminating NUL
        if (name.text().length() > 31) throw error(line, name, "Syntax error: setname '" + name.text() + "' is longer than 31 characters", null);
    }

    private Word value(List<Word> w, int i, int line) throws InputException {
        if (i + 1 >= w.size()) throw error(line, w.get(i), "the option needs a value", null);
        return w.get(i + 1);
    }

    private void number(int line, Word v, long min, long max) throws InputException {
        try {
            long n = Long.parseLong(v.text());
            if (n < min || n > max) throw error(line, v, "Syntax error: '" + v.text() + "' is out of range " + min + "-" + max, null);
        } catch (NumberFormatException e) {
            throw error(line, v, "Syntax error: '" + v.text() + "' is invalid as number", null);
        }
    }

    /** Blank-separated words; a double-quoted word (a comment) may hold blanks. */
    static List<Word> words(String line, int lineNo) {
        List<Word> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            if (c == '"') {
                int end = line.indexOf('"', i + 1);
                i = end < 0 ? line.length() : end + 1;
            } else {
                while (i < line.length() && line.charAt(i) != ' ' && line.charAt(i) != '\t') i++;
            }
            out.add(new Word(line.substring(start, i), start + 1));
        }
        return out;
    }

    private InputException error(int line, Word w, String problem, String hint) {
        return new InputException(file, line, w.column(), w.text(), problem, hint);
    }
}
