package org.vnetlab.scenarios.script;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.scenarios.expect.Expectation;
import org.vnetlab.scenarios.expect.ExpectationParser;
import org.vnetlab.scenarios.expect.ExpectationSyntaxException;

/**
 * Reads a scenario script (docs/scenario-format.md). The whole file, and every file it includes, is read
 * before anything runs: the first mistake is reported as {@code FILE:LINE:COL: problem near 'token' (hint)}
 * and nothing is returned.
 */
public final class ScriptParser {

    /** The script's file name inside a scenario folder. */
    public static final String SCRIPT_FILE = "scenario.vnl";

    private static final int MAX_INCLUDE_DEPTH = 8;
    private static final String STATEMENTS = "topology, on NODE: COMMAND [=> EXPECTATION], note, wait, include, set seed, title";

    private final Path folder;
    private Optional<String> title = Optional.empty();
    private OptionalLong seed = OptionalLong.empty();
    private Topology topology;
    private final List<Statement> statements = new ArrayList<>();
    private final Set<Path> including = new LinkedHashSet<>();

    private ScriptParser(Path folder) {
        this.folder = folder;
    }

    /** Parses a scenario folder's {@value #SCRIPT_FILE}, or a script file given directly. */
    public static Script parse(Path scenario, String displayName) throws InputException {
        Path file = Files.isDirectory(scenario) ? scenario.resolve(SCRIPT_FILE) : scenario;
        String display = Files.isDirectory(scenario) ? join(displayName, SCRIPT_FILE) : displayName;
        Path folder = file.toAbsolutePath().getParent();
        ScriptParser p = new ScriptParser(folder);
        p.file(file, display, 0, null);
        if (p.topology == null) {
            throw new InputException(display, 1, 1, null, "the scenario has no topology line",
                    "start it with: topology libvirt-default dump=host/ guest=vm:linux");
        }
        return new Script(display, folder, p.title, p.seed, p.topology, p.statements);
    }

    /** Parses script text that is not in a file (tests, the command line); relative paths resolve in {@code folder}. */
    public static Script parseText(String text, String displayName, Path folder) throws InputException {
        ScriptParser p = new ScriptParser(folder);
        p.lines(physicalLines(text), displayName, 0);
        if (p.topology == null) {
            throw new InputException(displayName, 1, 1, null, "the scenario has no topology line",
                    "start it with: topology libvirt-default dump=host/ guest=vm:linux");
        }
        return new Script(displayName, folder, p.title, p.seed, p.topology, p.statements);
    }

    private void file(Path file, String display, int depth, SourcePos includedAt) throws InputException {
        if (!Files.isRegularFile(file)) {
            if (includedAt != null) throw includedAt.error(display, "no such file to include", "include paths are relative to the scenario folder");
            throw new InputException(display, 0, 0, null, "no scenario script here",
                    "a scenario is a folder holding " + SCRIPT_FILE + " (or give the script file itself)");
        }
        Path key = file.toAbsolutePath().normalize();
        if (!including.add(key)) throw includedAt.error(display, "include cycle", "a file includes itself, directly or through others");
        List<String> lines;
        try {
            lines = physicalLines(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString());
        } catch (CharacterCodingException e) {
            throw new InputException(display, 0, 0, null, "not UTF-8 text", null);
        } catch (IOException e) {
            throw new InputException(display, 0, 0, null, "cannot read: " + e.getMessage(), null);
        }
        lines(lines, display, depth);
        including.remove(key);
    }

    private void lines(List<String> lines, String file, int depth) throws InputException {
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            int lineNo = i + 1;
            i++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
            int indent = indexOfNonBlank(line);
            // join backslash continuations; each physical line keeps its own position
            StringBuilder text = new StringBuilder();
            List<LogicalLine.Segment> segments = new ArrayList<>();
            String part = line.substring(indent);
            SourcePos start = new SourcePos(file, lineNo, indent + 1);
            while (true) {
                segments.add(new LogicalLine.Segment(text.length(), start));
                String stripped = stripTrailingBlanks(part);
                if (stripped.endsWith("\\") && !stripped.endsWith("\\\\")) {
                    text.append(stripped, 0, stripped.length() - 1);
                    if (i >= lines.size()) {
                        throw start.plus(stripped.length() - 1).error("\\", "the last line ends with a continuation backslash", "remove the \\ or add the line it continues to");
                    }
                    String next = lines.get(i);
                    int nIndent = indexOfNonBlank(next);
                    start = new SourcePos(file, i + 1, Math.max(nIndent, 0) + 1);
                    part = nIndent < 0 ? "" : next.substring(nIndent);
                    if (!text.isEmpty() && text.charAt(text.length() - 1) != ' ') text.append(' ');
                    i++;
                } else {
                    text.append(stripped);
                    break;
                }
            }
            LogicalLine ll = new LogicalLine(text.toString(), segments);
            i = statement(ll, lines, i, file, depth);
        }
    }

    /** Parses one statement; returns the index of the next physical line to read (after a here-document). */
    private int statement(LogicalLine ll, List<String> lines, int next, String file, int depth) throws InputException {
        String text = ll.text();
        int kwEnd = 0;
        while (kwEnd < text.length() && !Words.isBlank(text.charAt(kwEnd))) kwEnd++;
        String keyword = text.substring(0, kwEnd);
        int argStart = kwEnd;
        while (argStart < text.length() && Words.isBlank(text.charAt(argStart))) argStart++;
        LogicalLine args = ll.slice(argStart, text.length());
        SourcePos pos = ll.at(0);
        boolean main = depth == 0;
        switch (keyword) {
            case "on":
                return step(ll, args, lines, next, pos);
            case "note":
                if (args.text().isEmpty()) throw pos.error(keyword, "'note' needs text", null);
                statements.add(new Statement.Note(pos, args.text()));
                return next;
            case "wait":
                statements.add(waitStatement(args, pos));
                return next;
            case "include":
                include(args, pos, depth);
                return next;
            case "title":
                if (!main) throw pos.error(keyword, "'title' belongs in the scenario's own script, not an included file");
                if (title.isPresent()) throw pos.error(keyword, "the scenario already has a title");
                if (args.text().isEmpty()) throw pos.error(keyword, "'title' needs text", null);
                title = Optional.of(args.text());
                return next;
            case "set":
                set(args, pos, main);
                return next;
            case "topology":
                if (!main) throw pos.error(keyword, "'topology' belongs in the scenario's own script, not an included file");
                if (topology != null) throw pos.error(keyword, "a scenario has one topology line", "the first is at line " + topology.pos().line());
                if (!statements.isEmpty()) throw pos.error(keyword, "the topology must come before the steps", null);
                topology = TopologyParser.parse(args, pos);
                return next;
            default:
                String hint = "statements are: " + STATEMENTS;
                if (keyword.endsWith(":")) hint = "a step is written: on " + keyword + " COMMAND";
                throw pos.error(keyword, "unknown statement", hint);
        }
    }

    private int step(LogicalLine ll, LogicalLine args, List<String> lines, int next, SourcePos pos) throws InputException {
        if (topology == null) throw pos.error("on", "a step before the topology line", "start the scenario with: topology libvirt-default ...");
        String a = args.text();
        int colon = a.indexOf(':');
        if (colon < 0) throw pos.error("on", "missing ':' after the node name", "write: on NODE: COMMAND");
        String node = a.substring(0, colon).strip();
        SourcePos nodePos = args.at(0);
        if (node.isEmpty()) throw nodePos.error(":", "missing node name", "write: on NODE: COMMAND, NODE one of " + String.join(", ", topology.nodes()));
        if (!topology.nodes().contains(node)) {
            throw nodePos.error(node, "unknown node", "nodes of this topology: " + String.join(", ", topology.nodes()));
        }
        int cmdStart = colon + 1;
        while (cmdStart < a.length() && Words.isBlank(a.charAt(cmdStart))) cmdStart++;
        if (cmdStart >= a.length()) throw args.at(colon).error(node + ":", "missing command after '" + node + ":'");
        LogicalLine rest = args.slice(cmdStart, a.length());
        List<Word> words;
        try {
            words = Words.split(rest.text());
        } catch (Words.UnclosedQuote q) {
            throw rest.at(q.offset).error(String.valueOf(q.quote), "unclosed quote", "close it on the same line, or end the line with \\ to continue it");
        }
        int arrow = -1;
        for (Word w : words) {
            if (!w.quoted() && w.raw().equals("=>")) {
                arrow = w.offset();
                break;
            }
            if (!w.quoted() && w.raw().startsWith("=>")) {
                throw rest.at(w.offset()).error(w.raw(), "put a blank after '=>'", null);
            }
        }
        int end = arrow < 0 ? rest.text().length() : arrow;
        while (end > 0 && Words.isBlank(rest.text().charAt(end - 1))) end--;
        final int cmdEnd = end;
        if (cmdEnd == 0) throw rest.at(0).error("=>", "missing command before '=>'");
        LogicalLine command = rest.slice(0, cmdEnd);
        Optional<Expectation> expectation = Optional.empty();
        if (arrow >= 0) {
            int eStart = arrow + 2;
            while (eStart < rest.text().length() && Words.isBlank(rest.text().charAt(eStart))) eStart++;
            LogicalLine exp = rest.slice(eStart, rest.text().length());
            if (exp.text().isEmpty()) throw rest.at(arrow).error("=>", "nothing expected after '=>'", "for example: => reply");
            try {
                expectation = Optional.of(ExpectationParser.parse(exp.text()));
            } catch (ExpectationSyntaxException e) {
                throw exp.at(e.offset()).error(e.token(), e.problem(), e.hint());
            }
        }
        List<Word> cmdWords = words.stream().filter(w -> w.offset() < cmdEnd).toList();
        Optional<Word> marker = ShellSyntax.hereDocMarker(cmdWords);
        Optional<String> body = Optional.empty();
        if (marker.isPresent()) {
            String term = ShellSyntax.terminator(marker.get());
            if (term.isEmpty()) throw command.at(marker.get().offset()).error(marker.get().raw(), "missing here-document marker", "write <<EOF and end the text with a line EOF");
            List<String> bodyLines = new ArrayList<>();
            int j = next;
            while (j < lines.size() && !lines.get(j).strip().equals(term)) bodyLines.add(lines.get(j++));
            if (j >= lines.size()) {
                throw command.at(marker.get().offset()).error(marker.get().raw(), "here-document not closed",
                        "end its text with a line holding only " + term);
            }
            body = Optional.of(hereDocBody(bodyLines, indexOfNonBlank(lines.get(j)), marker.get().raw().startsWith("<<-")));
            next = j + 1;
        }
        CommandLine cl = ShellSyntax.parse(command, body);
        statements.add(new Statement.Step(pos, node, cl, expectation));
        return next;
    }

    /** Body lines lose the indentation of the closing marker line (so scripts may indent them), and tabs for {@code <<-}. */
    private static String hereDocBody(List<String> lines, int indent, boolean stripTabs) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            int k = 0;
            while (k < indent && k < l.length() && Words.isBlank(l.charAt(k))) k++;
            String s = l.substring(k);
            if (stripTabs) s = s.replaceFirst("^\t+", "");
            sb.append(s).append('\n');
        }
        return sb.toString();
    }

    private Statement.Wait waitStatement(LogicalLine args, SourcePos pos) throws InputException {
        String t = args.text().strip();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6})(ms|s|m|h)").matcher(t);
        if (t.isEmpty()) throw pos.error("wait", "'wait' needs a duration", "for example: wait 5s (ms, s, m or h)");
        if (!m.matches()) throw args.at(0).error(t, "not a duration", "for example: wait 5s (ms, s, m or h)");
        long n = Long.parseLong(m.group(1));
        long nanos = switch (m.group(2)) {
            case "ms" -> n * 1_000_000L;
            case "s" -> n * 1_000_000_000L;
            case "m" -> n * 60_000_000_000L;
            default -> n * 3_600_000_000_000L;
        };
        return new Statement.Wait(pos, nanos, t);
    }

    private void include(LogicalLine args, SourcePos pos, int depth) throws InputException {
        List<Word> ws;
        try {
            ws = Words.split(args.text());
        } catch (Words.UnclosedQuote q) {
            throw args.at(q.offset).error(String.valueOf(q.quote), "unclosed quote");
        }
        if (ws.size() != 1) throw pos.error("include", "'include' takes one file", "include fixes/restore-rules.vnl");
        if (depth + 1 > MAX_INCLUDE_DEPTH) throw pos.error("include", "includes nested too deeply (more than " + MAX_INCLUDE_DEPTH + ")");
        String rel = ws.get(0).value();
        Path target = folder.resolve(rel).normalize();
        file(target, rel, depth + 1, args.at(0));
    }

    private void set(LogicalLine args, SourcePos pos, boolean main) throws InputException {
        List<Word> ws;
        try {
            ws = Words.split(args.text());
        } catch (Words.UnclosedQuote q) {
            throw args.at(q.offset).error(String.valueOf(q.quote), "unclosed quote");
        }
        if (ws.isEmpty()) throw pos.error("set", "'set' needs a setting", "set seed 42");
        Word key = ws.get(0);
        if (!key.value().equals("seed")) throw args.at(key.offset()).error(key.raw(), "unknown setting", "the only setting is: set seed N");
        if (!main) throw pos.error("set", "'set seed' belongs in the scenario's own script");
        if (ws.size() != 2) throw args.at(key.offset()).error(key.raw(), "'set seed' takes one number", "set seed 42");
        Word v = ws.get(1);
        if (seed.isPresent()) throw pos.error("set", "the seed is already set");
        if (!v.value().matches("[0-9]{1,18}")) throw args.at(v.offset()).error(v.raw(), "the seed must be a decimal number");
        seed = OptionalLong.of(Long.parseLong(v.value()));
    }

    /** The file's lines; a final newline ends the last line rather than starting an empty one. */
    private static List<String> physicalLines(String text) {
        List<String> lines = new ArrayList<>(List.of(text.split("\r?\n", -1)));
        if (lines.size() > 1 && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        return lines;
    }

    private static int indexOfNonBlank(String s) {
        for (int k = 0; k < s.length(); k++) if (!Words.isBlank(s.charAt(k))) return k;
        return -1;
    }

    private static String stripTrailingBlanks(String s) {
        int e = s.length();
        while (e > 0 && Words.isBlank(s.charAt(e - 1))) e--;
        return s.substring(0, e);
    }

    private static String join(String dir, String name) {
        if (dir.isEmpty() || dir.equals(".")) return name;
        return dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    /** Parses the words after {@code topology}. */
    static final class TopologyParser {
        private TopologyParser() {}

        static Topology parse(LogicalLine args, SourcePos pos) throws InputException {
            List<Word> ws;
            try {
                ws = Words.split(args.text());
            } catch (Words.UnclosedQuote q) {
                throw args.at(q.offset).error(String.valueOf(q.quote), "unclosed quote");
            }
            if (ws.isEmpty()) throw pos.error("topology", "'topology' needs a kind", "topology libvirt-default dump=host/ guest=vm:linux");
            Word kind = ws.get(0);
            if (!kind.value().equals(Topology.LIBVIRT_DEFAULT)) {
                throw args.at(kind.offset()).error(kind.raw(), "unknown topology",
                        "the one topology is libvirt-default: the host's libvirt NAT network with its guests, the LAN, a router and the internet");
            }
            Optional<String> dump = Optional.empty();
            Map<Topology.DumpPart, String> files = new EnumMap<>(Topology.DumpPart.class);
            List<Topology.Guest> guests = new ArrayList<>();
            List<Topology.LanHost> lan = new ArrayList<>();
            Set<String> names = new HashSet<>(Topology.FIXED_NODES);
            for (Word w : ws.subList(1, ws.size())) {
                SourcePos at = args.at(w.offset());
                int eq = w.value().indexOf('=');
                if (eq <= 0) throw at.error(w.raw(), "expected KEY=VALUE", "keys: dump, guest, lan, " + Topology.DumpPart.keys());
                String key = w.value().substring(0, eq);
                String value = w.value().substring(eq + 1);
                SourcePos valueAt = at.plus(eq + 1);
                if (value.isEmpty()) throw valueAt.error(w.raw(), "missing value after '" + key + "='");
                switch (key) {
                    case "dump" -> {
                        if (dump.isPresent()) throw at.error(w.raw(), "the dump folder is given twice");
                        dump = Optional.of(value);
                    }
                    case "guest" -> guests.add(guest(value, valueAt, names, guests.size()));
                    case "lan" -> lan.add(lanHost(value, valueAt, names));
                    default -> {
                        Optional<Topology.DumpPart> part = Topology.DumpPart.byKey(key);
                        if (part.isEmpty()) throw at.error(key, "unknown topology key", "keys: dump, guest, lan, " + Topology.DumpPart.keys());
                        if (files.containsKey(part.get())) throw at.error(w.raw(), "'" + key + "' is given twice");
                        files.put(part.get(), value);
                    }
                }
            }
            return new Topology(pos, kind.value(), dump, files, guests, lan);
        }

        private static Topology.Guest guest(String value, SourcePos at, Set<String> names, int index) throws InputException {
            String[] p = value.split(":", 3);
            String name = p[0];
            checkName(name, at, names);
            if (p.length < 2) throw at.error(value, "a guest is NAME:OS[:MAC]", "for example guest=win10:windows:52:54:00:3b:7d:11");
            Topology.GuestOs os;
            try {
                os = Topology.GuestOs.valueOf(p[1].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw at.plus(name.length() + 1).error(p[1], "unknown guest operating system", "windows or linux");
            }
            MacAddress mac;
            if (p.length == 3) {
                try {
                    mac = MacAddress.parse(p[2]);
                } catch (IllegalArgumentException e) {
                    throw at.plus(name.length() + p[1].length() + 2).error(p[2], "not a MAC address", "six hex pairs: 52:54:00:3b:7d:11");
                }
            } else {
                // the reference capture's guest MAC, then its neighbours
                mac = MacAddress.parse(String.format("52:54:00:aa:bb:%02x", index + 1));
            }
            return new Topology.Guest(name, os, mac, at);
        }

        private static Topology.LanHost lanHost(String value, SourcePos at, Set<String> names) throws InputException {
            String[] p = value.split(":", 2);
            checkName(p[0], at, names);
            Optional<Ipv4Address> addr = Optional.empty();
            if (p.length == 2) {
                try {
                    addr = Optional.of(Ipv4Address.parse(p[1]));
                } catch (IllegalArgumentException e) {
                    throw at.plus(p[0].length() + 1).error(p[1], "not an IPv4 address", "for example lan=laptop:192.168.0.50");
                }
            }
            return new Topology.LanHost(p[0], addr, at);
        }

        private static void checkName(String name, SourcePos at, Set<String> names) throws InputException {
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")) {
                throw at.error(name, "not a node name", "letters, digits, '.', '_' and '-', starting with a letter or digit");
            }
            if (Topology.FIXED_NODES.contains(name)) throw at.error(name, "'" + name + "' is a node every topology has", "choose another name");
            if (!names.add(name)) throw at.error(name, "node name used twice");
        }
    }
}
