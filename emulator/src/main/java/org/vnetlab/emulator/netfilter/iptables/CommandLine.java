package org.vnetlab.emulator.netfilter.iptables;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.AddressFilter;
import org.vnetlab.emulator.netfilter.Counter;
import org.vnetlab.emulator.netfilter.Fragment;
import org.vnetlab.emulator.netfilter.InterfaceFilter;
import org.vnetlab.emulator.netfilter.IpProtocols;
import org.vnetlab.emulator.netfilter.Match;
import org.vnetlab.emulator.netfilter.ProtocolFilter;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleOrigin;
import org.vnetlab.emulator.netfilter.Target;

/**
 * The iptables argument grammar (xshared.c do_parse, iptables 1.8.9): commands, the rule specification and
 * the options of loaded extensions, with getopt's rules (bundled short options, {@code --opt=value},
 * unambiguous long-option prefixes such as {@code --to} for {@code --to-destination}), {@code !} before the
 * option it inverts, options going to the most recently loaded extension that knows them, and the
 * protocol match ({@code -p tcp --dport 22}) loaded on demand.
 */
final class CommandLine {

    enum Cmd {
        APPEND('A'), CHECK('C'), DELETE('D'), DELETE_NUM('D'), REPLACE('R'), INSERT('I'), LIST('L'),
        LIST_RULES('S'), FLUSH('F'), ZERO('Z'), ZERO_NUM('Z'), NEW_CHAIN('N'), DELETE_CHAIN('X'),
        RENAME_CHAIN('E'), SET_POLICY('P');

        final char letter;

        Cmd(char letter) { this.letter = letter; }

        boolean takesRule() { return this == APPEND || this == CHECK || this == DELETE || this == REPLACE || this == INSERT; }
    }

    /** The parsed command line: what to do, to which chain, with which rule(s). */
    static final class Parsed {
        Cmd cmd;
        Token cmdTok;
        String chain;
        Token chainTok;
        int ruleNumber;
        Token numberTok;
        String newName;
        Token newNameTok;
        String policy;
        Token policyTok;
        String table = "filter";
        Token tableTok;
        boolean numeric, verbose, exact, lineNumbers;
        /** One rule per -s/-d address combination, as iptables expands comma lists. */
        List<Rule> rules = List.of();
        Optional<Counter> counters = Optional.empty();
        /** Chains the rule jumps/goes to, with the token that named them (checked against the table later). */
        Token jumpTok;
    }

    private enum Arg { NONE, REQUIRED, OPTIONAL }

    private record BaseOpt(String longName, char shortName, Arg arg) {}

    private static final List<BaseOpt> BASE = List.of(
            new BaseOpt("append", 'A', Arg.REQUIRED), new BaseOpt("check", 'C', Arg.REQUIRED),
            new BaseOpt("delete", 'D', Arg.REQUIRED), new BaseOpt("replace", 'R', Arg.REQUIRED),
            new BaseOpt("insert", 'I', Arg.REQUIRED), new BaseOpt("list", 'L', Arg.OPTIONAL),
            new BaseOpt("list-rules", 'S', Arg.OPTIONAL), new BaseOpt("flush", 'F', Arg.OPTIONAL),
            new BaseOpt("zero", 'Z', Arg.OPTIONAL), new BaseOpt("new-chain", 'N', Arg.REQUIRED),
            new BaseOpt("delete-chain", 'X', Arg.OPTIONAL), new BaseOpt("rename-chain", 'E', Arg.REQUIRED),
            new BaseOpt("policy", 'P', Arg.REQUIRED), new BaseOpt("source", 's', Arg.REQUIRED),
            new BaseOpt("src", 's', Arg.REQUIRED), new BaseOpt("destination", 'd', Arg.REQUIRED),
            new BaseOpt("dst", 'd', Arg.REQUIRED), new BaseOpt("protocol", 'p', Arg.REQUIRED),
            new BaseOpt("in-interface", 'i', Arg.REQUIRED), new BaseOpt("jump", 'j', Arg.REQUIRED),
            new BaseOpt("table", 't', Arg.REQUIRED), new BaseOpt("match", 'm', Arg.REQUIRED),
            new BaseOpt("numeric", 'n', Arg.NONE), new BaseOpt("out-interface", 'o', Arg.REQUIRED),
            new BaseOpt("verbose", 'v', Arg.NONE), new BaseOpt("wait", 'w', Arg.OPTIONAL),
            new BaseOpt("wait-interval", 'W', Arg.OPTIONAL), new BaseOpt("exact", 'x', Arg.NONE),
            new BaseOpt("fragment", 'f', Arg.NONE), new BaseOpt("version", 'V', Arg.NONE),
            new BaseOpt("help", 'h', Arg.NONE), new BaseOpt("line-numbers", '0', Arg.NONE),
            new BaseOpt("modprobe", 'M', Arg.REQUIRED), new BaseOpt("set-counters", 'c', Arg.REQUIRED),
            new BaseOpt("goto", 'g', Arg.REQUIRED), new BaseOpt("ipv4", '4', Arg.NONE),
            new BaseOpt("ipv6", '6', Arg.NONE));

    private final Source src;
    private final List<Token> args;
    private final boolean restore;
    private int pos;

    private final Parsed out = new Parsed();
    private final List<Extensions.Ext> loaded = new ArrayList<>();
    private final List<Extensions.Ext> matchExts = new ArrayList<>();
    private Extensions.Ext targetExt;
    private Target standardTarget;
    private String jumpName;
    private boolean gotoSet;
    private boolean protoUsed;

    private Token srcTok, dstTok, inTok, outTok, protoTok, fragTok, jumpOptTok, countersTok;
    private boolean srcInv, dstInv;
    private InterfaceFilter in = InterfaceFilter.ANY, outIf = InterfaceFilter.ANY;
    private ProtocolFilter proto = ProtocolFilter.ALL;
    private Fragment fragment = Fragment.ANY;

    private CommandLine(List<Token> args, Source src, boolean restore) {
        this.args = args;
        this.src = src;
        this.restore = restore;
    }

    /**
     * Parses iptables arguments (without the program name). In restore mode (a line of an
     * iptables-restore file) {@code -t}, {@code -w} and listing commands are refused.
     */
    static Parsed parse(List<Token> args, Source src, boolean restore) throws InputException {
        CommandLine c = new CommandLine(args, src, restore);
        c.run();
        return c.out;
    }

    private boolean hasArg() {
        return pos < args.size() && !args.get(pos).text().startsWith("-") && !args.get(pos).text().equals("!");
    }

    private void run() throws InputException {
        boolean invert = false;
        Token invertTok = null;
        while (pos < args.size()) {
            Token t = args.get(pos++);
            String s = t.text();
            if (s.equals("!")) {
                if (invert) throw src.error(t, "multiple consecutive ! not allowed");
                invert = true;
                invertTok = t;
                continue;
            }
            if (s.startsWith("--") && s.length() > 2) {
                String name = s.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    inline = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                longOption(t, name, inline, invert);
            } else if (s.startsWith("-") && s.length() > 1) {
                shortOptions(t, invert);
            } else {
                throw src.error(t, "Bad argument `" + s + "'",
                        s.matches("\\d+") ? "a bare number here is not an option value; did you forget the option before it?" : null);
            }
            invert = false;
        }
        finish(invert, invertTok);
    }

    // ---------------------------------------------------------------- option dispatch

    private void longOption(Token t, String name, String inline, boolean invert) throws InputException {
        // base options win over extension options (getopt sees iptables' own table first)
        for (BaseOpt b : BASE) {
            if (b.longName.equals(name)) {
                base(t, b, "--" + name, inline, invert);
                return;
            }
        }
        for (int i = loaded.size() - 1; i >= 0; i--) {
            Extensions.Ext e = loaded.get(i);
            if (e.options().containsKey(name)) {
                extension(t, e, name, inline, invert);
                return;
            }
        }
        // getopt_long: an unambiguous prefix of a known long option is that option
        List<String> hits = new ArrayList<>();
        BaseOpt baseHit = null;
        Extensions.Ext extHit = null;
        String extName = null;
        for (BaseOpt b : BASE) {
            if (b.longName.startsWith(name) && !hits.contains(b.longName)) {
                hits.add(b.longName);
                baseHit = b;
            }
        }
        for (int i = loaded.size() - 1; i >= 0; i--) {
            for (String o : loaded.get(i).options().keySet()) {
                if (o.startsWith(name) && !hits.contains(o)) {
                    hits.add(o);
                    if (extHit == null) {
                        extHit = loaded.get(i);
                        extName = o;
                    }
                }
            }
        }
        if (hits.size() == 1) {
            if (baseHit != null) base(t, baseHit, "--" + baseHit.longName, inline, invert);
            else extension(t, extHit, extName, inline, invert);
            return;
        }
        if (hits.size() > 1) {
            throw src.error(t, "option `--" + name + "' is ambiguous", "possibilities: --" + String.join(" --", hits));
        }
        if (loadProtocolMatch(t)) {
            longOption(t, name, inline, invert);
            return;
        }
        throw unknownOption(t, "--" + name);
    }

    private InputException unknownOption(Token t, String opt) {
        String hint = null;
        if ((opt.equals("--dport") || opt.equals("--sport") || opt.equals("--destination-port")
                || opt.equals("--source-port")) && proto.number() == 0) {
            hint = "ports need a protocol: write -p tcp or -p udp before " + opt;
        } else if (opt.startsWith("--ct") || opt.equals("--state")) {
            hint = "load the match first: -m conntrack --ctstate ... or -m state --state ...";
        } else if (opt.equals("--to-ports") || opt.equals("--to-source") || opt.equals("--to-destination")
                || opt.equals("--reject-with") || opt.equals("--log-prefix")) {
            hint = "target options go after the -j TARGET that owns them";
        }
        return src.error(t, "unknown option \"" + opt + "\"", hint);
    }

    /** iptables loads the match named after -p (tcp, udp, icmp) the first time an option is unknown. */
    private boolean loadProtocolMatch(Token at) {
        if (protoUsed || proto.number() == 0) return false;
        protoUsed = true;
        Optional<String> name = IpProtocols.name(proto.number());
        if (name.isEmpty() || !Extensions.MATCHES.contains(name.get())) return false;
        Extensions.Ext e = Extensions.match(name.get(), at);
        loaded.add(e);
        matchExts.add(e);
        return true;
    }

    private void shortOptions(Token t, boolean invert) throws InputException {
        String s = t.text();
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            BaseOpt b = null;
            for (BaseOpt x : BASE) if (x.shortName == c && c != '0') { b = x; break; }
            if (b == null) throw src.error(t, "unknown option \"-" + c + "\"");
            String rest = s.substring(i + 1);
            if (b.arg == Arg.REQUIRED) {
                base(t, b, "-" + c, rest.isEmpty() ? null : rest, invert);
                return;
            }
            if (b.arg == Arg.OPTIONAL && !rest.isEmpty()) {
                base(t, b, "-" + c, rest, invert);
                return;
            }
            base(t, b, "-" + c, null, invert);
            invert = false;
        }
    }

    private Token required(Token t, String opt, String inline) throws InputException {
        if (inline != null) return new Token(inline, t.column() + t.text().length() - inline.length());
        if (pos >= args.size()) throw src.error(t, "option \"" + opt + "\" requires an argument");
        return args.get(pos++);
    }

    private void command(Token t, Cmd c, boolean invert) throws InputException {
        if (invert) throw src.error(t, "unexpected '!' flag");
        if (out.cmd != null) {
            throw src.error(t, "Cannot use -" + c.letter + " with -" + out.cmd.letter);
        }
        out.cmd = c;
        out.cmdTok = t;
    }

    private void base(Token t, BaseOpt b, String spelled, String inline, boolean invert) throws InputException {
        switch (b.shortName) {
            case 'A', 'C' -> {
                command(t, b.shortName == 'A' ? Cmd.APPEND : Cmd.CHECK, invert);
                chain(required(t, spelled, inline));
            }
            case 'D' -> {
                command(t, Cmd.DELETE, invert);
                chain(required(t, spelled, inline));
                if (hasArg()) {
                    out.numberTok = args.get(pos++);
                    out.ruleNumber = ruleNumber(out.numberTok);
                    out.cmd = Cmd.DELETE_NUM;
                }
            }
            case 'R' -> {
                command(t, Cmd.REPLACE, invert);
                chain(required(t, spelled, inline));
                if (!hasArg()) throw src.error(t, "-R requires a rule number");
                out.numberTok = args.get(pos++);
                out.ruleNumber = ruleNumber(out.numberTok);
            }
            case 'I' -> {
                command(t, Cmd.INSERT, invert);
                chain(required(t, spelled, inline));
                if (hasArg()) {
                    out.numberTok = args.get(pos++);
                    out.ruleNumber = ruleNumber(out.numberTok);
                } else {
                    out.ruleNumber = 1;
                }
            }
            case 'L', 'S', 'F', 'Z', 'X' -> {
                Cmd c = switch (b.shortName) {
                    case 'L' -> Cmd.LIST;
                    case 'S' -> Cmd.LIST_RULES;
                    case 'F' -> Cmd.FLUSH;
                    case 'Z' -> Cmd.ZERO;
                    default -> Cmd.DELETE_CHAIN;
                };
                if (restore && (c == Cmd.LIST || c == Cmd.LIST_RULES)) {
                    throw src.error(t, "listing commands are not accepted in an iptables-restore file");
                }
                command(t, c, invert);
                if (inline != null) chain(new Token(inline, t.column() + 2));
                else if (hasArg()) chain(args.get(pos++));
                if ((c == Cmd.LIST || c == Cmd.LIST_RULES || c == Cmd.ZERO) && hasArg()) {
                    out.numberTok = args.get(pos++);
                    out.ruleNumber = ruleNumber(out.numberTok);
                    if (c == Cmd.ZERO) out.cmd = Cmd.ZERO_NUM;
                }
            }
            case 'N' -> {
                command(t, Cmd.NEW_CHAIN, invert);
                Token n = required(t, spelled, inline);
                validChainName(n);
                chain(n);
            }
            case 'E' -> {
                command(t, Cmd.RENAME_CHAIN, invert);
                chain(required(t, spelled, inline));
                if (!hasArg()) throw src.error(t, "-E requires old-chain-name and new-chain-name");
                out.newNameTok = args.get(pos++);
                validChainName(out.newNameTok);
                out.newName = out.newNameTok.text();
            }
            case 'P' -> {
                command(t, Cmd.SET_POLICY, invert);
                chain(required(t, spelled, inline));
                if (!hasArg()) throw src.error(t, "-P requires a chain and a policy");
                out.policyTok = args.get(pos++);
                out.policy = out.policyTok.text();
            }
            case 'p' -> {
                once(t, protoTok, "-p", invert, true);
                protoTok = required(t, spelled, inline);
                String name = protoTok.text().toLowerCase(Locale.ROOT);
                int n = protocolNumber(protoTok, name, src);
                if (n == 0 && invert) throw src.error(protoTok, "rule would never match protocol", "! -p all matches nothing");
                proto = new ProtocolFilter(n, invert);
            }
            case 's' -> {
                once(t, srcTok, "-s", invert, true);
                srcTok = required(t, spelled, inline);
                srcInv = invert;
            }
            case 'd' -> {
                once(t, dstTok, "-d", invert, true);
                dstTok = required(t, spelled, inline);
                dstInv = invert;
            }
            case 'i' -> {
                Token v = required(t, spelled, inline);
                once(t, inTok, "-i", invert, true);
                inTok = v;
                in = iface(v, invert, src);
            }
            case 'o' -> {
                Token v = required(t, spelled, inline);
                once(t, outTok, "-o", invert, true);
                outTok = v;
                outIf = iface(v, invert, src);
            }
            case 'f' -> {
                once(t, fragTok, "-f", invert, true);
                fragTok = t;
                fragment = invert ? Fragment.NOT_LATER_FRAGMENTS : Fragment.LATER_FRAGMENTS;
            }
            case 'j', 'g' -> {
                if (invert) throw src.error(t, "cannot have ! before -" + b.shortName);
                if (jumpOptTok != null) throw src.error(t, "multiple -j flags not allowed");
                jumpOptTok = t;
                Token name = required(t, spelled, inline);
                out.jumpTok = name;
                jump(name, b.shortName == 'g');
            }
            case 'm' -> {
                if (invert) throw src.error(t, "unexpected ! flag before --match");
                Token name = required(t, spelled, inline);
                String m = name.text();
                Extensions.Ext e = Extensions.match(m, name);
                if (e == null) {
                    if (Extensions.KNOWN_UNSUPPORTED_MATCHES.contains(m)) {
                        throw src.error(name, "match module '" + m + "' is not supported by vnetlab",
                                "iptables has it, but vnetlab models only: " + String.join(", ", sorted(Extensions.MATCHES)));
                    }
                    throw src.error(name, "Couldn't load match `" + m + "':No such file or directory",
                            "no iptables match module has that name");
                }
                loaded.add(e);
                matchExts.add(e);
                if (m.equals(IpProtocols.name(proto.number()).orElse(""))) protoUsed = true;
            }
            case 't' -> {
                if (invert) throw src.error(t, "unexpected ! flag before --table");
                Token v = required(t, spelled, inline);
                if (restore) throw src.error(t, "The -t option cannot be used in iptables-restore.");
                out.table = v.text();
                out.tableTok = v;
            }
            case 'n' -> { noInvert(t, invert, "--numeric"); out.numeric = true; }
            case 'v' -> out.verbose = true;
            case 'x' -> { noInvert(t, invert, "--exact"); out.exact = true; }
            case '0' -> { noInvert(t, invert, "--line-numbers"); out.lineNumbers = true; }
            case 'w', 'W' -> {
                if (restore) throw src.error(t, "You cannot use `-" + b.shortName + "' from iptables-restore");
                // the xtables lock wait: meaningless in an emulator, accepted like iptables does
                if (inline == null && pos < args.size() && args.get(pos).text().matches("\\d+(\\.\\d+)?")) pos++;
            }
            case 'c' -> {
                countersTok = t;
                Token p = required(t, spelled, inline);
                String pc = p.text(), bc;
                int comma = pc.indexOf(',');
                if (comma >= 0) {
                    bc = pc.substring(comma + 1);
                    pc = pc.substring(0, comma);
                } else if (hasArg()) {
                    bc = args.get(pos++).text();
                } else {
                    throw src.error(t, "--set-counters requires packet and byte counter");
                }
                out.counters = Optional.of(new Counter(counter(p, pc), counter(p, bc)));
            }
            case '4' -> { }
            case '6' -> throw src.error(t, "-6 given to iptables", "vnetlab models IPv4 only (ip6tables is not supported)");
            case 'M' -> required(t, spelled, inline);
            case 'V', 'h' -> throw src.error(t, "-" + b.shortName + " does not change a ruleset and is not supported here");
            default -> throw new IllegalStateException("option " + b);
        }
    }

    private static List<String> sorted(java.util.Set<String> s) {
        List<String> l = new ArrayList<>(s);
        java.util.Collections.sort(l);
        return l;
    }

    private long counter(Token t, String s) throws InputException {
        try {
            long v = Long.parseUnsignedLong(s);
            if (v < 0) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw src.error(t, "--set-counters counter not numeric: \"" + s + "\"");
        }
    }

    private void noInvert(Token t, boolean invert, String name) throws InputException {
        if (invert) throw src.error(t, "cannot have ! before " + name);
    }

    private void once(Token t, Token previous, String name, boolean invert, boolean invertible) throws InputException {
        if (previous != null) throw src.error(t, "multiple " + name + " flags not allowed");
        if (invert && !invertible) throw src.error(t, "cannot have ! before " + name);
    }

    private void chain(Token t) {
        out.chain = t.text();
        out.chainTok = t;
    }

    private int ruleNumber(Token t) throws InputException {
        OptionalLong n = Numbers.strtoul(t.text(), 1, Integer.MAX_VALUE);
        if (n.isEmpty()) throw src.error(t, "Invalid rule number `" + t.text() + "'");
        return (int) n.getAsLong();
    }

    /** assert_valid_chain_name. */
    void validChainName(Token t) throws InputException {
        String n = t.text();
        if (n.length() >= 29) throw src.error(t, "chain name `" + n + "' too long (must be under 29 chars)");
        if (n.startsWith("-") || n.startsWith("!")) throw src.error(t, "chain name not allowed to start with `" + n.charAt(0) + "'");
        if (isTargetName(n)) throw src.error(t, "chain name may not clash with target name");
        for (char c : n.toCharArray()) if (Character.isWhitespace(c)) throw src.error(t, "Invalid chain name `" + n + "'");
    }

    static boolean isTargetName(String n) {
        return n.equals("ACCEPT") || n.equals("DROP") || n.equals("RETURN") || n.equals("QUEUE")
                || Extensions.TARGETS.contains(n) || Extensions.KNOWN_UNSUPPORTED_TARGETS.contains(n)
                || n.equals("standard");
    }

    private void jump(Token name, boolean isGoto) throws InputException {
        String n = name.text();
        gotoSet = isGoto;
        if (n.length() >= 29) throw src.error(name, "Invalid target name `" + n + "' (28 chars max)");
        if (n.equals("ACCEPT") || n.equals("DROP") || n.equals("RETURN")) {
            if (isGoto) throw src.error(name, "-g needs a user-defined chain, not " + n);
            standardTarget = switch (n) {
                case "ACCEPT" -> new Target.Accept();
                case "DROP" -> new Target.Drop();
                default -> new Target.Return();
            };
            return;
        }
        Extensions.Ext e = Extensions.target(n, name);
        if (e != null) {
            if (isGoto) throw src.error(name, "-g needs a user-defined chain, not the target " + n);
            targetExt = e;
            loaded.add(e);
            return;
        }
        if (n.equals("QUEUE") || Extensions.KNOWN_UNSUPPORTED_TARGETS.contains(n)) {
            throw src.error(name, "target '" + n + "' is not supported by vnetlab",
                    "iptables has it, but vnetlab models only ACCEPT, DROP, RETURN, user chains and "
                            + String.join(", ", sorted(Extensions.TARGETS)));
        }
        jumpName = n; // a user chain; whether it exists is checked against the table
    }

    private void extension(Token t, Extensions.Ext e, String option, String inline, boolean invert) throws InputException {
        String canon = e.canonical(option);
        if (invert && !e.invertible(canon)) {
            throw src.error(t, e.name() + ": option \"--" + option + "\" cannot be inverted.");
        }
        if (!e.seen.add(canon)) throw src.error(t, e.duplicateMessage(canon));
        int n = e.options().get(option);
        List<Token> a = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i == 0 && inline != null) {
                a.add(new Token(inline, t.column() + t.text().length() - inline.length()));
                continue;
            }
            if (pos >= args.size()) throw src.error(t, "option \"--" + option + "\" requires an argument");
            a.add(args.get(pos++));
        }
        if (n == 0 && inline != null) throw src.error(t, "option '--" + option + "' doesn't allow an argument");
        e.parse(option, invert, a, t, src);
    }

    // ---------------------------------------------------------------- shared small parsers

    /** {@code -p}: a C number 0..255, {@code all}, or a protocol name (already lower-cased). */
    static int protocolNumber(Token t, String name, Source src) throws InputException {
        OptionalLong n = Numbers.strtoul(name, 0, 255);
        if (n.isPresent()) return (int) n.getAsLong();
        Optional<Integer> byName = IpProtocols.number(name);
        if (byName.isPresent()) return byName.get();
        throw src.error(t, "unknown protocol `" + name + "' specified", "a number 0-255 or a name from /etc/protocols such as tcp, udp, icmp");
    }

    /** {@code -i}/{@code -o} and physdev names: not empty, shorter than IFNAMSIZ (16). */
    static InterfaceFilter iface(Token t, boolean inverted, Source src) throws InputException {
        String n = t.text();
        if (n.isEmpty()) throw src.error(t, "Empty interface is likely to be undesired");
        if (n.length() >= 16) throw src.error(t, "interface name `" + n + "' must be shorter than IFNAMSIZ (15)");
        // "+" matches every interface; iptables-nft stores nothing for it
        if (n.equals("+") && !inverted) return InterfaceFilter.ANY;
        return new InterfaceFilter(n, inverted);
    }

    // ---------------------------------------------------------------- end of line checks

    private void finish(boolean invert, Token invertTok) throws InputException {
        if (out.cmd == null) throw src.lineError("no command specified", "start with -A, -I, -D, -N, -P, -F, -X, -L or -S");
        if (invert) throw src.error(invertTok, "nothing appropriate following !");
        boolean ruleCmd = out.cmd.takesRule();
        // -c also goes with -P (it sets the policy counters)
        Token ruleOpt = firstNonNull(srcTok, dstTok, inTok, outTok, protoTok, fragTok, jumpOptTok,
                out.cmd == Cmd.SET_POLICY ? null : countersTok);
        if (!ruleCmd) {
            if (ruleOpt != null) throw src.error(ruleOpt, "Illegal option `" + ruleOptName(ruleOpt) + "' with this command");
            if (!matchExts.isEmpty()) throw src.error(matchExts.get(0).at, "Illegal option `--match' with this command");
        }
        if (out.numeric && out.cmd != Cmd.LIST) throw src.error(out.cmdTok, "Illegal option `--numeric' with this command");
        if (out.lineNumbers && out.cmd != Cmd.LIST) throw src.error(out.cmdTok, "Illegal option `--line-numbers' with this command");
        if (out.exact && out.cmd != Cmd.LIST) throw src.error(out.cmdTok, "Illegal option `--exact' with this command");
        if (out.chain != null && out.chain.length() >= 29) {
            throw src.error(out.chainTok, "chain name `" + out.chain + "' too long (must be under 29 chars)");
        }
        if (!ruleCmd) return;

        if (out.table.equals("nat") && standardTarget instanceof Target.Drop) {
            throw src.error(out.jumpTok, "The \"nat\" table is not intended for filtering, the use of DROP is therefore inhibited.");
        }
        List<Match> matches = new ArrayList<>();
        for (Extensions.Ext e : matchExts) matches.add((Match) e.finish(proto, src));
        Target target;
        if (targetExt != null) target = (Target) targetExt.finish(proto, src);
        else if (standardTarget != null) target = standardTarget;
        else if (jumpName != null) target = gotoSet ? new Target.Goto(jumpName) : new Target.Jump(jumpName);
        else target = new Target.None();

        if (out.chain.equals("PREROUTING") || out.chain.equals("INPUT")) {
            if (outTok != null) throw src.error(outTok, "Can't use -o with " + out.chain, "packets in " + out.chain + " have no output interface yet");
        }
        if (out.chain.equals("POSTROUTING") || out.chain.equals("OUTPUT")) {
            if (inTok != null) throw src.error(inTok, "Can't use -i with " + out.chain, "packets in " + out.chain + " have no input interface");
        }

        List<AddressFilter> sources = srcTok == null ? List.of(AddressFilter.ANY) : Addresses.parseList(srcTok.text(), srcInv, src, srcTok);
        List<AddressFilter> dests = dstTok == null ? List.of(AddressFilter.ANY) : Addresses.parseList(dstTok.text(), dstInv, src, dstTok);
        if ((sources.size() > 1 || dests.size() > 1) && (srcInv || dstInv)) {
            throw src.error(srcInv ? srcTok : dstTok, "! not allowed with multiple source or destination IP addresses");
        }
        RuleOrigin origin = new RuleOrigin(src.file() == null ? "" : src.file(), Math.max(src.line(), 0), src.text());
        List<Rule> rules = new ArrayList<>();
        for (AddressFilter s : sources) {
            for (AddressFilter d : dests) {
                rules.add(new Rule(s, d, in, outIf, proto, fragment, matches, target, origin));
            }
        }
        out.rules = List.copyOf(rules);
    }

    private static Token firstNonNull(Token... ts) {
        for (Token t : ts) if (t != null) return t;
        return null;
    }

    private String ruleOptName(Token t) {
        if (t == srcTok) return "--source";
        if (t == dstTok) return "--destination";
        if (t == inTok) return "--in-interface";
        if (t == outTok) return "--out-interface";
        if (t == protoTok) return "--protocol";
        if (t == fragTok) return "--fragments";
        if (t == countersTok) return "--set-counters";
        return "--jump";
    }

    /** For tests and the lint: the options an extension declares, by name. */
    static Map<String, Integer> extensionOptions(String module) {
        Extensions.Ext e = Extensions.match(module, new Token(module, 0));
        return e == null ? Map.of() : e.options();
    }
}
