package org.vnetlab.emulator.nftables.syntax;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.emulator.netfilter.Policy;
import org.vnetlab.emulator.nftables.BaseChainSpec;
import org.vnetlab.emulator.nftables.ChainType;
import org.vnetlab.emulator.nftables.DataType;
import org.vnetlab.emulator.nftables.ElementText;
import org.vnetlab.emulator.nftables.Family;
import org.vnetlab.emulator.nftables.Intervals;
import org.vnetlab.emulator.nftables.NftCommand;
import org.vnetlab.emulator.nftables.NftHook;
import org.vnetlab.emulator.nftables.NftScript;
import org.vnetlab.emulator.nftables.NftSet;
import org.vnetlab.emulator.nftables.Priorities;
import org.vnetlab.emulator.nftables.Rhs;
import org.vnetlab.emulator.nftables.RuleNormalizer;
import org.vnetlab.emulator.nftables.Selector;
import org.vnetlab.emulator.nftables.Source;
import org.vnetlab.emulator.nftables.Stmt;
import org.vnetlab.emulator.nftables.Value;
import org.vnetlab.emulator.nftables.Verdict;

/**
 * Reads nft's language — {@code nft list ruleset} output, {@code nft -f} files (the same grammar plus
 * {@code flush ruleset}, {@code add}/{@code insert}/{@code delete}/{@code replace} commands) and the words of an
 * {@code nft} command line — into {@link NftCommand}s. Table blocks become the add commands nft makes of them:
 * the table, its sets, its chains, then the rules. Rules come out canonical (as {@code nft list} prints them).
 * Anything outside the supported subset is an {@link InputException} naming file, line and column; nothing
 * is half-read.
 *
 * <p>Grammar follows nft 1.0.6, including its strictness: a rule, a {@code type ... priority} line and a
 * nested block each need a newline or {@code ;} after them, also before a closing {@code }}.
 */
public final class NftParser {
    private static final String SUPPORTED = "supported: ip saddr/daddr/protocol, ip6 saddr/daddr, tcp/udp/th sport/dport, "
            + "tcp flags, icmp type/code, meta iif/oif/iifname/oifname/l4proto/nfproto/mark/pkttype, ct state/status/direction/mark, "
            + "fib daddr type, counter, log, limit, comment, accept/drop/reject/jump/goto/return/continue, masquerade, snat, dnat, "
            + "redirect, notrack, meta/ct mark set";

    /** nft 1.0.6's stderr line for a table iptables-nft created (kept when stderr went into the file). */
    private static final java.util.regex.Pattern MANAGED =
            java.util.regex.Pattern.compile("(?m)^# Warning: table (\\S+) (\\S+) is managed by iptables-nft");

    private final String file;
    private final List<Token> tokens;
    private final String text;
    private final int[] lineStarts;
    private final Set<String> managed;
    private int pos;
    private final List<NftCommand> out = new ArrayList<>();

    private NftParser(String file, List<Token> tokens, String text, Set<String> managed) {
        this.file = file;
        this.tokens = tokens;
        this.text = text;
        this.managed = managed;
        List<Integer> starts = new ArrayList<>(List.of(0));
        for (int i = 0; i < text.length(); i++) if (text.charAt(i) == '\n') starts.add(i + 1);
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * An {@code nft -f} file or {@code nft list ruleset} output. Tables nft marked as managed by iptables-nft
     * (its {@code # Warning: table ip filter is managed by iptables-nft, do not touch!}) are read as such.
     */
    public static NftScript parse(String file, String text) throws InputException {
        return parse(file, text, Set.of());
    }

    /**
     * Like {@link #parse(String, String)}, with more tables ({@code "ip filter"}) known to be iptables-nft's, e.g.
     * those an iptables-save of the same host shows: their rules are kept as text, never interpreted.
     */
    public static NftScript parse(String file, String text, Set<String> iptablesNftTables) throws InputException {
        Set<String> managed = new java.util.HashSet<>(iptablesNftTables);
        java.util.regex.Matcher m = MANAGED.matcher(text);
        while (m.find()) managed.add(m.group(1) + " " + m.group(2));
        NftParser p = new NftParser(file, Lexer.tokens(file, text), text, managed);
        p.script();
        return new NftScript(file, p.out);
    }

    /**
     * One rule's text (as {@code nft list} shows it) read as statements, e.g. a rule of an iptables-nft table
     * that was kept as text; {@code source} locates it for errors.
     */
    public static NftCommand.AddRule rule(Source source, Family family, String table, String chain, String ruleText)
            throws InputException {
        String file = source.file();
        List<Token> toks = new ArrayList<>();
        for (Token t : Lexer.tokens(file, ruleText)) {
            toks.add(new Token(t.kind(), t.text(), source.line(), source.column() + t.column() - 1));
        }
        NftParser p = new NftParser(file, toks, ruleText, Set.of());
        NftCommand.AddRule r = p.ruleBody(source, family, table, chain, false, Optional.empty());
        if (p.peek().kind() != Token.Kind.EOF) throw p.error(p.peek(), "unexpected text after the rule");
        return r;
    }

    /** The command words of an {@code nft} command line (after its options), joined as nft joins them. */
    public static NftScript parseCommandLine(String file, List<String> words) throws InputException {
        return parse(file, String.join(" ", words));
    }

    // ---------------------------------------------------------------- token helpers

    private Token peek() { return tokens.get(pos); }

    private Token peek(int ahead) { return tokens.get(Math.min(pos + ahead, tokens.size() - 1)); }

    private Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.EOF) pos++;
        return t;
    }

    private boolean at(String word) { return peek().is(word); }

    private boolean accept(String word) {
        if (at(word)) {
            pos++;
            return true;
        }
        return false;
    }

    private InputException error(Token t, String problem) {
        return new InputException(file, t.line(), t.column(), t.shown(), problem);
    }

    private InputException error(Token t, String problem, String hint) {
        return new InputException(file, t.line(), t.column(), t.shown(), problem, hint);
    }

    private Source source(Token t) { return new Source(file, t.line(), t.column(), t.shown()); }

    private Token expect(String word) throws InputException {
        Token t = next();
        if (!t.is(word)) throw error(t, "expected '" + word + "'");
        return t;
    }

    private Token expect(Token.Kind kind, String what) throws InputException {
        Token t = next();
        if (t.kind() != kind) throw error(t, "expected " + what);
        return t;
    }

    private String word(String what) throws InputException {
        Token t = next();
        if (t.kind() != Token.Kind.WORD) throw error(t, "expected " + what);
        return t.text();
    }

    /** A name: a bare word or a quoted string. */
    private String name(String what) throws InputException {
        Token t = next();
        if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.STRING) throw error(t, "expected " + what);
        return t.text();
    }

    private String string(String what) throws InputException {
        Token t = next();
        if (t.kind() != Token.Kind.STRING && t.kind() != Token.Kind.WORD) throw error(t, "expected " + what + " (a quoted string)");
        if (t.text().length() > 128) throw error(t, "comments and prefixes are limited to 128 characters");
        return t.text();
    }

    private void skipSeparators() {
        while (peek().isSeparator()) pos++;
    }

    /** After a command or a block entry: a newline, ';', or the end. */
    private void endOfEntry(boolean allowClose) throws InputException {
        Token t = peek();
        if (t.isSeparator() || t.kind() == Token.Kind.EOF) return;
        if (t.kind() == Token.Kind.RBRACE) {
            if (allowClose) return;
            throw error(t, "expected a newline or ';' before '}'", "nft 1.0.6 wants each rule and declaration terminated");
        }
        throw error(t, "unexpected " + t.shown());
    }

    /** Inside a {@code { }} block, past separators: true at its closing brace (consumed); its end of input an error. */
    private boolean blockClosed(String block) throws InputException {
        skipSeparators();
        Token t = peek();
        if (t.kind() == Token.Kind.RBRACE) {
            next();
            return true;
        }
        if (t.kind() == Token.Kind.EOF) throw error(t, block + " block not closed with '}'");
        return false;
    }

    // ---------------------------------------------------------------- commands

    private void script() throws InputException {
        while (true) {
            skipSeparators();
            if (peek().kind() == Token.Kind.EOF) return;
            command();
            endOfEntry(false);
        }
    }

    private void command() throws InputException {
        Token t = peek();
        if (t.kind() != Token.Kind.WORD) throw error(t, "expected a command (table, add, insert, delete, flush, list, ...)");
        switch (t.text()) {
            case "add" -> { next(); add(false, next()); }
            case "create" -> { next(); add(true, next()); }
            case "table", "chain", "rule", "set", "map", "element" -> add(false, next());
            case "insert" -> {
                Token cmd = next();
                if (!peek().is("rule")) throw error(peek(), "only rules can be inserted");
                next();
                rule(cmd, true);
            }
            case "replace" -> {
                Token cmd = next();
                expect("rule");
                replaceRule(cmd);
            }
            case "delete", "destroy" -> { next(); delete(t); }
            case "flush" -> { next(); flush(t); }
            case "list" -> { next(); list(t); }
            case "define", "include", "redefine", "undefine" -> throw error(t, "'" + t.text() + "' is not supported",
                    "give vnetlab the file with variables and includes expanded, e.g. the output of nft list ruleset");
            default -> throw error(t, "unknown or unsupported command");
        }
    }

    private void add(boolean create, Token what) throws InputException {
        switch (what.text()) {
            case "table" -> tableCommand(what, create);
            case "chain" -> chainCommand(what, create);
            case "rule" -> rule(what, false);
            case "set" -> setCommand(what, false);
            case "map" -> setCommand(what, true);
            case "element" -> elements(what, false);
            default -> throw error(what, "cannot add this (supported: table, chain, rule, set, map, element)");
        }
    }

    /** {@code [family] name}; the family defaults to ip as in nft. */
    private Family family() throws InputException {
        Token t = peek();
        if (t.kind() == Token.Kind.WORD && Family.of(t.text()).isPresent()
                && (peek(1).kind() == Token.Kind.WORD || peek(1).kind() == Token.Kind.STRING)) {
            next();
            return Family.of(t.text()).get();
        }
        return Family.IP;
    }

    private void tableCommand(Token start, boolean create) throws InputException {
        Family family = family();
        Token nameToken = peek();
        String table = name("a table name");
        Source src = source(nameToken);
        if (peek().kind() != Token.Kind.LBRACE) {
            out.add(new NftCommand.AddTable(src, family, table, create, Optional.empty(), managedBy(family, table)));
            return;
        }
        next();
        tableBlock(src, family, table, create);
    }

    private record ChainDecl(Source source, String name, Optional<BaseChainSpec> base, Optional<String> comment,
                             List<NftCommand.AddRule> rules) {}

    private void tableBlock(Source src, Family family, String table, boolean create) throws InputException {
        Optional<String> comment = Optional.empty();
        List<NftCommand> sets = new ArrayList<>();
        List<ChainDecl> chains = new ArrayList<>();
        while (!blockClosed("table")) {
            Token kw = next();
            switch (kw.kind() == Token.Kind.WORD ? kw.text() : "") {
                case "chain" -> {
                    Token n = peek();
                    String chain = name("a chain name");
                    expect(Token.Kind.LBRACE, "'{'");
                    chains.add(chainBlock(source(n), family, table, chain));
                }
                case "set" -> sets.add(setDeclaration(family, table, false, "a set name"));
                case "map" -> sets.add(setDeclaration(family, table, true, "a map name"));
                case "comment" -> comment = Optional.of(string("a comment"));
                case "flags" -> throw error(kw, "table flags (dormant, owner) are not supported");
                default -> throw error(kw, "unsupported in a table block",
                        "vnetlab reads chains, sets and verdict maps (not flowtables, named counters, quotas, ct helpers)");
            }
            endOfEntry(false);
        }
        out.add(new NftCommand.AddTable(src, family, table, create, comment, managedBy(family, table)));
        out.addAll(sets);
        for (ChainDecl c : chains) {
            out.add(new NftCommand.AddChain(c.source, family, table, c.name, false, c.base, c.comment));
        }
        for (ChainDecl c : chains) out.addAll(c.rules);
    }

    private Optional<String> managedBy(Family family, String table) {
        return managed.contains(family + " " + table) ? Optional.of("iptables-nft") : Optional.empty();
    }

    private ChainDecl chainBlock(Source src, Family family, String table, String chain) throws InputException {
        ChainType type = null;
        NftHook hook = null;
        Integer priority = null;
        Optional<String> device = Optional.empty();
        Policy policy = null;
        Token policyToken = null;
        Optional<String> comment = Optional.empty();
        List<NftCommand.AddRule> rules = new ArrayList<>();
        while (!blockClosed("chain")) {
            Token t = peek();
            if (t.is("type") && peek(2).is("hook")) {
                next();
                Token tt = next();
                type = ChainType.of(tt.text()).orElseThrow(() -> error(tt, "unknown chain type (filter, nat, route)"));
                expect("hook");
                Token ht = next();
                hook = NftHook.of(ht.text()).orElseThrow(() -> error(ht, "unknown hook"));
                if (!hook.validIn(family)) throw error(ht, "the " + family + " family has no " + hook + " hook");
                if (!type.validFor(family, hook)) {
                    // the kernel refuses the chain: nft points at the chain's name
                    throw src.error("Operation not supported: a " + type + " chain cannot be on the " + hook + " hook of the "
                            + family + " family", "nat chains go on prerouting, input, output or postrouting; route chains on output");
                }
                if (accept("device")) device = Optional.of(name("a device name"));
                expect("priority");
                priority = priority(family, hook);
                if (type == ChainType.NAT && priority <= -200) {
                    throw src.error("Operation not supported: nat chains need a priority above -200 (conntrack)");
                }
                endOfEntry(false);
                continue;
            }
            if (t.is("policy")) {
                next();
                policyToken = next();
                policy = switch (policyToken.text()) {
                    case "accept" -> Policy.ACCEPT;
                    case "drop" -> Policy.DROP;
                    default -> throw error(policyToken, "a chain policy is accept or drop");
                };
                endOfEntry(false);
                continue;
            }
            if (t.is("comment") && (peek(1).kind() == Token.Kind.STRING) && (peek(2).isSeparator() || peek(2).kind() == Token.Kind.RBRACE)) {
                next();
                comment = Optional.of(string("a comment"));
                endOfEntry(false);
                continue;
            }
            if (managedBy(family, table).isPresent()) {
                rules.add(opaqueRule(source(t), family, table, chain));
            } else {
                rules.add(ruleBody(source(t), family, table, chain, false, Optional.empty()));
            }
            endOfEntry(false);
        }
        if (policy != null && type == null) {
            throw error(policyToken, "Operation not supported: only base chains (with type ... hook ...) have a policy");
        }
        Optional<BaseChainSpec> base = type == null ? Optional.empty()
                : Optional.of(new BaseChainSpec(type, hook, priority, device, policy == null ? Policy.ACCEPT : policy));
        return new ChainDecl(src, chain, base, comment, rules);
    }

    /** {@code N}, {@code NAME}, {@code NAME + N}, {@code NAME - N}. */
    private int priority(Family family, NftHook hook) throws InputException {
        Token t = next();
        if (t.kind() != Token.Kind.WORD) throw error(t, "expected a priority");
        Optional<Integer> n = integer(t.text());
        if (n.isPresent()) return n.get();
        OptionalInt named = Priorities.value(t.text(), family, hook);
        if (named.isEmpty()) {
            throw error(t, "'" + t.text() + "' is not a priority name usable here",
                    "raw, mangle, filter, security anywhere; dstnat on prerouting, srcnat on postrouting");
        }
        int value = named.getAsInt();
        if (peek().is("+") || peek().is("-")) {
            boolean plus = next().text().equals("+");
            Token off = next();
            Optional<Integer> o = integer(off.text());
            if (o.isEmpty()) throw error(off, "expected a number");
            value += plus ? o.get() : -o.get();
        }
        return value;
    }

    private static Optional<Integer> integer(String w) {
        try {
            return Optional.of(Integer.parseInt(w));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private void chainCommand(Token start, boolean create) throws InputException {
        Family family = family();
        String table = name("a table name");
        Token n = peek();
        String chain = name("a chain name");
        if (peek().kind() == Token.Kind.LBRACE) {
            next();
            ChainDecl d = chainBlock(source(n), family, table, chain);
            out.add(new NftCommand.AddChain(source(n), family, table, chain, create, d.base, d.comment));
            out.addAll(d.rules);
        } else {
            out.add(new NftCommand.AddChain(source(n), family, table, chain, create, Optional.empty(), Optional.empty()));
        }
    }

    private void rule(Token start, boolean insert) throws InputException {
        Family family = family();
        String table = name("a table name");
        String chain = name("a chain name");
        Optional<NftCommand.Position> position = Optional.empty();
        if (at("position") || at("handle")) {
            Token k = next();
            if (k.text().equals("handle")) throw error(k, "use 'position N' to place a rule after/before the rule with handle N");
            position = Optional.of(new NftCommand.Position.Handle(number(next(), "a rule handle")));
        } else if (at("index")) {
            next();
            position = Optional.of(new NftCommand.Position.Index((int) number(next(), "a rule index")));
        }
        Token first = peek();
        out.add(ruleBody(source(first), family, table, chain, insert, position));
    }

    private void replaceRule(Token start) throws InputException {
        Family family = family();
        String table = name("a table name");
        String chain = name("a chain name");
        expect("handle");
        long handle = number(next(), "a rule handle");
        Token first = peek();
        NftCommand.AddRule r = ruleBody(source(first), family, table, chain, false, Optional.empty());
        out.add(new NftCommand.ReplaceRule(r.source(), family, table, chain, handle, r.statements(), r.comment()));
    }

    private long number(Token t, String what) throws InputException {
        try {
            long v = Long.parseLong(t.text());
            if (v < 0) throw error(t, "expected " + what);
            return v;
        } catch (NumberFormatException e) {
            throw error(t, "expected " + what);
        }
    }

    private void delete(Token start) throws InputException {
        Token what = next();
        switch (what.text()) {
            case "table" -> {
                Family f = family();
                Token n = peek();
                out.add(new NftCommand.DeleteTable(source(n), f, name("a table name")));
            }
            case "chain" -> {
                Family f = family();
                String table = name("a table name");
                Token n = peek();
                out.add(new NftCommand.DeleteChain(source(n), f, table, name("a chain name")));
            }
            case "rule" -> {
                Family f = family();
                String table = name("a table name");
                String chain = name("a chain name");
                expect("handle");
                Token h = next();
                out.add(new NftCommand.DeleteRule(source(h), f, table, chain, number(h, "a rule handle")));
            }
            case "set", "map" -> {
                Family f = family();
                String table = name("a table name");
                Token n = peek();
                out.add(new NftCommand.DeleteSet(source(n), f, table, name("a set name")));
            }
            case "element" -> elements(what, true);
            default -> throw error(what, "cannot delete this (table, chain, rule, set, map, element)");
        }
    }

    private void flush(Token start) throws InputException {
        Token what = next();
        switch (what.text()) {
            case "ruleset" -> {
                Optional<Family> f = Optional.empty();
                if (peek().kind() == Token.Kind.WORD && Family.of(peek().text()).isPresent()) f = Family.of(next().text());
                out.add(new NftCommand.FlushRuleset(source(what), f));
            }
            case "table" -> {
                Family f = family();
                Token n = peek();
                out.add(new NftCommand.FlushTable(source(n), f, name("a table name")));
            }
            case "chain" -> {
                Family f = family();
                String table = name("a table name");
                Token n = peek();
                out.add(new NftCommand.FlushChain(source(n), f, table, name("a chain name")));
            }
            case "set", "map" -> {
                Family f = family();
                String table = name("a table name");
                Token n = peek();
                out.add(new NftCommand.FlushSet(source(n), f, table, name("a set name")));
            }
            default -> throw error(what, "cannot flush this (ruleset, table, chain, set, map)");
        }
    }

    private void list(Token start) throws InputException {
        Token what = next();
        NftCommand.Listing.What w;
        Optional<Family> f = Optional.empty();
        Optional<String> table = Optional.empty();
        Optional<String> name = Optional.empty();
        switch (what.text()) {
            case "ruleset", "tables", "chains", "sets", "maps" -> {
                w = switch (what.text()) {
                    case "ruleset" -> NftCommand.Listing.What.RULESET;
                    case "tables" -> NftCommand.Listing.What.TABLES;
                    case "chains" -> NftCommand.Listing.What.CHAINS;
                    default -> NftCommand.Listing.What.SETS;
                };
                if (peek().kind() == Token.Kind.WORD && Family.of(peek().text()).isPresent()) f = Family.of(next().text());
            }
            case "table" -> {
                w = NftCommand.Listing.What.TABLE;
                f = Optional.of(family());
                table = Optional.of(name("a table name"));
            }
            case "chain", "set", "map" -> {
                w = what.text().equals("chain") ? NftCommand.Listing.What.CHAIN : NftCommand.Listing.What.SET;
                f = Optional.of(family());
                table = Optional.of(name("a table name"));
                name = Optional.of(name("a name"));
            }
            default -> throw error(what, "cannot list this (ruleset, tables, table, chains, chain, sets, set, map)");
        }
        out.add(new NftCommand.Listing(source(what), w, f, table, name));
    }

    // ---------------------------------------------------------------- sets

    private void setCommand(Token start, boolean map) throws InputException {
        Family family = family();
        String table = name("a table name");
        out.add(setDeclaration(family, table, map, "a set name"));
    }

    /** {@code NAME { ... }} declaring a set or a map, {@code what} naming the name in errors. */
    private NftCommand.AddSet setDeclaration(Family family, String table, boolean map, String what) throws InputException {
        Token n = peek();
        String set = name(what);
        expect(Token.Kind.LBRACE, "'{'");
        return new NftCommand.AddSet(source(n), family, table, setBlock(family, set, map));
    }

    private NftSet setBlock(Family family, String name, boolean map) throws InputException {
        DataType key = null;
        Optional<Selector> typeof = Optional.empty();
        Set<NftSet.Flag> flags = EnumSet.noneOf(NftSet.Flag.class);
        boolean autoMerge = false;
        Optional<String> comment = Optional.empty();
        Token start = peek();
        int elementsAt = -1;
        while (!blockClosed("set")) {
            Token kw = next();
            switch (kw.kind() == Token.Kind.WORD ? kw.text() : "") {
                case "type" -> {
                    Token tt = next();
                    key = DataType.of(tt.text()).orElseThrow(() -> error(tt, "unsupported set type",
                            "ipv4_addr, ipv6_addr, inet_service, inet_proto, ifname, mark, ct_state, icmp_type, ..."));
                    if (peek().is(".")) throw error(peek(), "concatenated set types are not supported");
                    if (map) mapData();
                }
                case "typeof" -> {
                    Token st = peek();
                    Selector s = selectorWords();
                    if (s == null) throw error(st, "unsupported typeof expression");
                    typeof = Optional.of(s);
                    key = s.type();
                    if (map) mapData();
                }
                case "flags" -> {
                    do {
                        Token ft = next();
                        switch (ft.text()) {
                            case "interval" -> flags.add(NftSet.Flag.INTERVAL);
                            case "constant" -> flags.add(NftSet.Flag.CONSTANT);
                            default -> throw error(ft, "unsupported set flag (interval and constant are supported)",
                                    "dynamic and timeout sets change while packets flow; vnetlab does not emulate that");
                        }
                    } while (peek().kind() == Token.Kind.COMMA && next() != null);
                }
                case "auto-merge" -> autoMerge = true;
                case "comment" -> comment = Optional.of(string("a comment"));
                case "elements" -> {
                    expect(Token.Kind.EQUALS, "'='");
                    expect(Token.Kind.LBRACE, "'{'");
                    elementsAt = pos;
                    skipBraces();
                }
                default -> throw error(kw, "unsupported in a set block (type, typeof, flags, auto-merge, comment, elements)");
            }
            // nft's set_block grammar: type, flags and comment need a separator; typeof, elements, auto-merge do not
            endOfEntry(kw.is("typeof") || kw.is("elements") || kw.is("auto-merge"));
        }
        if (key == null) throw error(start, "a set needs a type or typeof");
        List<NftSet.Element> elements = List.of();
        if (elementsAt >= 0) {
            int resume = pos;
            pos = elementsAt;
            elements = elementList(key, map);
            pos = resume;
        }
        if (!flags.contains(NftSet.Flag.INTERVAL) && elements.stream().anyMatch(e -> !(e.key() instanceof Rhs.Single))) {
            throw error(start, "set " + name + " holds prefixes or ranges but has no 'flags interval'");
        }
        return new NftSet(name, 0, key, typeof, map, flags, autoMerge, normalizeElements(key, flags.contains(NftSet.Flag.INTERVAL), elements), comment);
    }

    private void mapData() throws InputException {
        Token colon = next();
        if (!colon.is(":")) throw error(colon, "expected ':' and the map's data type");
        Token d = next();
        if (!d.is("verdict")) throw error(d, "only verdict maps are supported");
    }

    private void skipBraces() throws InputException {
        int depth = 1;
        while (depth > 0) {
            Token t = next();
            if (t.kind() == Token.Kind.EOF) throw error(t, "'{' not closed");
            if (t.kind() == Token.Kind.LBRACE) depth++;
            if (t.kind() == Token.Kind.RBRACE) depth--;
        }
    }

    /** After '{': typed elements up to '}'; {@code map} requires a verdict on each. */
    private List<NftSet.Element> elementList(DataType key, boolean map) throws InputException {
        List<NftSet.Element> out = new ArrayList<>();
        for (ElementText e : elementTexts()) {
            if (map != e.verdict().isPresent()) {
                throw e.source().error(map ? "a verdict map element needs ': VERDICT'" : "':' in a set that is not a map");
            }
            out.add(e.typed(key));
        }
        return out;
    }

    private static List<NftSet.Element> normalizeElements(DataType key, boolean interval, List<NftSet.Element> elements) {
        boolean verdicts = elements.stream().anyMatch(e -> e.verdict().isPresent());
        if (verdicts) {
            List<NftSet.Element> l = new ArrayList<>(elements);
            l.sort((a, b) -> a.key().low(key).compareTo(b.key().low(key)));
            return l;
        }
        List<Rhs.Element> keys = elements.stream().map(NftSet.Element::key).toList();
        List<Rhs.Element> norm = interval ? Intervals.merged(key, keys) : Intervals.sortedSingles(keys);
        return norm.stream().map(k -> new NftSet.Element(k, Optional.empty())).toList();
    }

    private void elements(Token start, boolean delete) throws InputException {
        Family family = family();
        String table = name("a table name");
        Token n = peek();
        String set = name("a set name");
        expect(Token.Kind.LBRACE, "'{'");
        out.add(new NftCommand.Elements(source(n), family, table, set, delete, elementTexts()));
    }

    /** After '{': elements up to '}', untyped (newlines allowed, as nft wraps long lists). */
    private List<ElementText> elementTexts() throws InputException {
        List<ElementText> elements = new ArrayList<>();
        while (true) {
            while (peek().kind() == Token.Kind.NEWLINE) next();
            if (peek().kind() == Token.Kind.RBRACE) {
                next();
                return elements;
            }
            Token t = next();
            if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.STRING) throw error(t, "expected a set element");
            Optional<Verdict> v = Optional.empty();
            if (peek().is(":")) {
                next();
                v = Optional.of(verdict(next()));
            }
            elements.add(new ElementText(source(t), t.text(), t.kind() == Token.Kind.STRING, v));
            while (peek().kind() == Token.Kind.NEWLINE) next();
            Token sep = peek();
            if (sep.kind() == Token.Kind.COMMA) {
                next();
            } else if (sep.kind() != Token.Kind.RBRACE) {
                throw error(sep, "expected ',' or '}'");
            }
        }
    }

    // ---------------------------------------------------------------- rules

    private NftCommand.AddRule ruleBody(Source src, Family family, String table, String chain, boolean insert,
                                        Optional<NftCommand.Position> position) throws InputException {
        List<Stmt> stmts = new ArrayList<>();
        Optional<String> comment = Optional.empty();
        RuleContext ctx = new RuleContext(family);
        while (true) {
            Token t = peek();
            if (t.isSeparator() || t.kind() == Token.Kind.EOF) break;
            if (t.kind() == Token.Kind.RBRACE) {
                throw error(t, "expected a newline or ';' before '}'", "nft 1.0.6 wants each rule terminated");
            }
            if (t.is("comment")) {
                next();
                comment = Optional.of(string("a comment"));
                Token after = peek();
                if (!(after.isSeparator() || after.kind() == Token.Kind.EOF || after.kind() == Token.Kind.RBRACE)) {
                    throw error(after, "a rule's comment comes last");
                }
                continue;
            }
            Stmt s = statement(ctx);
            stmts.add(s);
            ctx.seen(s);
        }
        if (stmts.isEmpty() && comment.isEmpty()) throw error(peek(), "empty rule");
        return new NftCommand.AddRule(src, family, table, chain, insert, position, RuleNormalizer.canonical(family, stmts), comment);
    }

    /** A rule of an iptables-nft table: its text as listed, up to the separator (without a {@code # handle} comment). */
    private NftCommand.AddRule opaqueRule(Source src, Family family, String table, String chain) throws InputException {
        Token first = peek();
        int depth = 0;
        while (true) {
            Token t = peek();
            if (t.kind() == Token.Kind.EOF) throw error(t, "rule not terminated");
            if (depth == 0 && (t.isSeparator() || t.kind() == Token.Kind.RBRACE)) break;
            if (t.kind() == Token.Kind.LBRACE) depth++;
            if (t.kind() == Token.Kind.RBRACE) depth--;
            next();
        }
        int from = offset(first);
        Token end = peek();
        int to = end.kind() == Token.Kind.EOF ? text.length() : offset(end);
        String raw = stripComment(text.substring(from, to)).strip();
        return new NftCommand.AddRule(src, family, table, chain, false, Optional.empty(), List.of(new Stmt.Opaque(raw)), Optional.empty());
    }

    private int offset(Token t) { return lineStarts[t.line() - 1] + t.column() - 1; }

    private static String stripComment(String s) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') quoted = !quoted;
            if (c == '#' && !quoted) return s.substring(0, i);
        }
        return s;
    }

    /** What the statements so far tell about the packet (for NAT port mappings and inet's address family). */
    private static final class RuleContext {
        final Family family;
        boolean transport;
        boolean ipv4;

        RuleContext(Family family) { this.family = family; }

        void seen(Stmt s) {
            Selector sel = s instanceof Stmt.Match m ? m.selector() : s instanceof Stmt.VerdictMap v ? v.selector() : null;
            if (sel == null) return;
            if (sel == Selector.META_L4PROTO || sel == Selector.IP_PROTOCOL || sel.layer() == Selector.Layer.TRANSPORT) transport = true;
            if (sel.layer() == Selector.Layer.NETWORK || sel == Selector.META_NFPROTO) ipv4 = true;
        }
    }

    private Stmt statement(RuleContext ctx) throws InputException {
        Token t = peek();
        if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.AT) throw error(t, "expected a statement");
        switch (t.text()) {
            case "counter" -> { next(); return counter(); }
            case "log" -> { next(); return log(); }
            case "limit" -> { next(); return limit(); }
            case "accept", "drop", "continue", "return", "jump", "goto" -> { return new Stmt.VerdictStmt(verdict(next())); }
            case "reject" -> { next(); return reject(ctx.family); }
            case "masquerade", "snat", "dnat", "redirect" -> { next(); return nat(t, ctx); }
            case "notrack" -> { next(); return new Stmt.Notrack(); }
            case "queue" -> throw error(t, "queue (to a userspace program) is not emulated");
            default -> { }
        }
        Token selStart = peek();
        if ((at("meta") && (peek(1).is("mark")) && peek(2).is("set")) || (at("mark") && peek(1).is("set"))) {
            if (next().is("meta")) next();
            next();
            return new Stmt.SetMark(false, markValue(next()));
        }
        if (at("ct") && peek(1).is("mark") && peek(2).is("set")) {
            next();
            next();
            next();
            return new Stmt.SetMark(true, markValue(next()));
        }
        Selector sel = selectorWords();
        if (sel == null) {
            throw error(selStart, "unsupported expression or statement", SUPPORTED);
        }
        checkFamily(selStart, sel, ctx.family);
        return relational(sel, selStart);
    }

    private void checkFamily(Token t, Selector sel, Family family) throws InputException {
        boolean v4 = sel.layer() == Selector.Layer.NETWORK || sel == Selector.ICMP_TYPE || sel == Selector.ICMP_CODE;
        boolean v6 = sel.layer() == Selector.Layer.NETWORK6;
        if (v4 && family == Family.IP6) throw error(t, "this IPv4 expression cannot be used in an ip6 table");
        if (v6 && family == Family.IP) throw error(t, "this IPv6 expression cannot be used in an ip table");
    }

    private long markValue(Token t) throws InputException {
        try {
            return ((Value.Num) DataType.MARK.parse(t.text())).value();
        } catch (IllegalArgumentException e) {
            throw error(t, "expected a mark value (a number)", "vnetlab sets marks to constants only");
        }
    }

    /**
     * Selectors by the words nft reads them from: the text it lists them by ({@code ip saddr}, {@code iifname},
     * {@code fib daddr type}), {@code meta} before the meta keys it lists bare, and the meta keys it also reads
     * without {@code meta} (its meta_key_unqualified: {@code mark}, {@code pkttype}).
     */
    private static final Map<String, Selector> SELECTOR_WORDS = selectorWordTable();

    private static Map<String, Selector> selectorWordTable() {
        Map<String, Selector> m = new HashMap<>();
        for (Selector s : Selector.values()) if (s != Selector.TH_PORTS) m.put(s.text(), s);
        for (Selector s : List.of(Selector.META_IIF, Selector.META_OIF, Selector.META_IIFNAME, Selector.META_OIFNAME)) {
            m.put("meta " + s.text(), s);
        }
        m.put("mark", Selector.META_MARK);
        m.put("pkttype", Selector.META_PKTTYPE);
        return Map.copyOf(m);
    }

    /** Reads a selector's words ({@code ip saddr}, {@code iifname}, {@code ct state}); null when it is none. */
    private Selector selectorWords() {
        Token a = peek();
        if (a.kind() == Token.Kind.AT && peek(1).is("th") && peek(2).kind() == Token.Kind.COMMA && peek(3).is("0")
                && peek(4).kind() == Token.Kind.COMMA && peek(5).is("32")) {
            pos += 6;
            return Selector.TH_PORTS;
        }
        // the longest spelling first: fib daddr type, then ip saddr, then iifname
        StringBuilder words = new StringBuilder();
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < 3 && peek(i).kind() == Token.Kind.WORD; i++) {
            if (i > 0) words.append(' ');
            prefixes.add(words.append(peek(i).text()).toString());
        }
        for (int n = prefixes.size(); n >= 1; n--) {
            Selector s = SELECTOR_WORDS.get(prefixes.get(n - 1));
            if (s != null) {
                pos += n;
                return s;
            }
        }
        return null;
    }

    private Stmt relational(Selector sel, Token selStart) throws InputException {
        DataType type = sel.type();
        OptionalLong mask = OptionalLong.empty();
        if (peek().kind() == Token.Kind.AMP) {
            next();
            if (type != DataType.MARK && !type.isBitmask()) throw error(selStart, "a mask (&) is only supported on marks and flags");
            mask = OptionalLong.of(bits(type));
        }
        Stmt.Op op = Stmt.Op.IMPLICIT;
        Token o = peek();
        if (o.kind() == Token.Kind.OP) {
            next();
            op = switch (o.text()) {
                case "==" -> Stmt.Op.EQ;
                case "!=" -> Stmt.Op.NEQ;
                case "<" -> Stmt.Op.LT;
                case ">" -> Stmt.Op.GT;
                case "<=" -> Stmt.Op.LTE;
                case ">=" -> Stmt.Op.GTE;
                default -> throw error(o, "unknown operator");
            };
        } else if (o.kind() == Token.Kind.WORD && List.of("eq", "ne", "lt", "gt", "le", "ge").contains(o.text())) {
            next();
            op = switch (o.text()) {
                case "eq" -> Stmt.Op.EQ;
                case "ne" -> Stmt.Op.NEQ;
                case "lt" -> Stmt.Op.LT;
                case "gt" -> Stmt.Op.GT;
                case "le" -> Stmt.Op.LTE;
                default -> Stmt.Op.GTE;
            };
        }
        if (mask.isPresent() && op == Stmt.Op.IMPLICIT) op = Stmt.Op.EQ;
        if (peek().is("vmap")) {
            if (op != Stmt.Op.IMPLICIT || mask.isPresent()) throw error(peek(), "vmap takes no operator");
            next();
            return verdictMap(sel);
        }
        Token v = peek();
        if (v.isSeparator() || v.kind() == Token.Kind.EOF || v.kind() == Token.Kind.RBRACE) {
            throw error(v, "'" + sel.text() + "' needs a value to compare with");
        }
        Rhs rhs;
        if (v.kind() == Token.Kind.LBRACE) {
            next();
            if (op != Stmt.Op.IMPLICIT && op != Stmt.Op.EQ && op != Stmt.Op.NEQ) throw error(o, "sets only take == or !=");
            if (mask.isPresent()) throw error(v, "masked sets are not supported");
            List<NftSet.Element> els = elementList(type, false);
            if (els.isEmpty()) throw error(v, "empty set");
            List<Rhs.Element> keys = els.stream().map(NftSet.Element::key).toList();
            if (keys.size() == 1) {
                rhs = keys.get(0); // nft turns a one-element anonymous set into a plain comparison
            } else {
                rhs = new Rhs.AnonSet(Intervals.needsIntervals(keys) ? Intervals.merged(type, keys) : Intervals.sortedSingles(keys));
            }
        } else if (v.kind() == Token.Kind.AT) {
            next();
            if (op != Stmt.Op.IMPLICIT && op != Stmt.Op.EQ && op != Stmt.Op.NEQ) throw error(o, "set lookups only take == or !=");
            rhs = new Rhs.SetRef(name("a set name"));
        } else if (type.isBitmask()) {
            rhs = new Rhs.Single(Value.num(bits(type)));
            if (peek().is("/")) {
                next();
                if (mask.isPresent()) throw error(peek(), "two masks");
                mask = OptionalLong.of(bits(type));
                if (op == Stmt.Op.IMPLICIT) op = Stmt.Op.EQ;
            }
        } else {
            rhs = element(type);
        }
        if (op == Stmt.Op.EQ && !type.isBitmask() && mask.isEmpty()) op = Stmt.Op.IMPLICIT;
        if ((op == Stmt.Op.LT || op == Stmt.Op.GT || op == Stmt.Op.LTE || op == Stmt.Op.GTE)
                && (!type.isOrdered() || !(rhs instanceof Rhs.Single))) {
            throw error(o, "ordering operators need a single number or address");
        }
        if (mask.isPresent() && rhs instanceof Rhs.Single s) {
            long m = mask.getAsLong();
            long val = ((Value.Num) s.value()).value();
            if ((val & ~m) != 0) throw error(v, "the value has bits outside the mask");
        }
        return new Stmt.Match(sel, mask, op, rhs);
    }

    /** A flag list ({@code a,b}, {@code a|b}, {@code (a|b)}) or a number, for bitmasks and marks. */
    private long bits(DataType type) throws InputException {
        boolean paren = peek().kind() == Token.Kind.LPAREN;
        if (paren) next();
        long v = 0;
        while (true) {
            Token t = next();
            if (t.kind() != Token.Kind.WORD) throw error(t, "expected a " + type.nftName() + " value");
            v |= value(type, t);
            Token sep = peek();
            if ((sep.kind() == Token.Kind.COMMA || sep.kind() == Token.Kind.PIPE) && type.isBitmask()) {
                next();
                continue;
            }
            break;
        }
        if (paren) expect(Token.Kind.RPAREN, "')'");
        return v;
    }

    private long value(DataType type, Token t) throws InputException {
        try {
            return ((Value.Num) type.parse(t.text())).value();
        } catch (IllegalArgumentException | ClassCastException e) {
            throw error(t, "not a valid " + type.nftName() + ": " + e.getMessage());
        }
    }

    /** One value, prefix or range of {@code type}. */
    private Rhs.Element element(DataType type) throws InputException {
        Token t = next();
        if (t.kind() != Token.Kind.WORD && t.kind() != Token.Kind.STRING) throw error(t, "expected a " + type.nftName() + " value");
        try {
            return ElementText.parse(type, t.text(), t.kind() == Token.Kind.STRING);
        } catch (IllegalArgumentException e) {
            throw error(t, "not a valid " + type.nftName() + ": " + e.getMessage());
        }
    }

    private Value parse(DataType type, Token t, String w) throws InputException {
        try {
            return type.parse(w);
        } catch (IllegalArgumentException e) {
            throw error(t, "not a valid " + type.nftName() + ": " + e.getMessage());
        }
    }

    private Stmt verdictMap(Selector sel) throws InputException {
        Token t = peek();
        if (t.kind() == Token.Kind.AT) {
            next();
            return new Stmt.VerdictMap(sel, List.of(), Optional.of(name("a map name")));
        }
        expect(Token.Kind.LBRACE, "'{' or '@map'");
        List<NftSet.Element> els = elementList(sel.type(), true);
        if (els.isEmpty()) throw error(t, "empty verdict map");
        List<NftSet.Element> sorted = normalizeElements(sel.type(), true, els);
        return new Stmt.VerdictMap(sel, sorted.stream().map(e -> new Stmt.MapEntry(e.key(), e.verdict().get())).toList(),
                Optional.empty());
    }

    private Verdict verdict(Token t) throws InputException {
        return switch (t.text()) {
            case "accept" -> Verdict.of(Verdict.Kind.ACCEPT);
            case "drop" -> Verdict.of(Verdict.Kind.DROP);
            case "continue" -> Verdict.of(Verdict.Kind.CONTINUE);
            case "return" -> Verdict.of(Verdict.Kind.RETURN);
            case "jump" -> Verdict.jump(name("a chain name"));
            case "goto" -> Verdict.goTo(name("a chain name"));
            default -> throw error(t, "expected a verdict (accept, drop, continue, return, jump CHAIN, goto CHAIN)");
        };
    }

    private Stmt counter() throws InputException {
        if (at("packets")) {
            next();
            long p = number(next(), "a packet count");
            expect("bytes");
            long b = number(next(), "a byte count");
            return new Stmt.Counter(p, b);
        }
        if (at("name")) throw error(peek(), "named counters are not supported");
        return Stmt.Counter.ZERO;
    }

    private Stmt log() throws InputException {
        Optional<String> prefix = Optional.empty();
        int level = 4;
        OptionalInt group = OptionalInt.empty();
        Set<Stmt.LogFlag> flags = EnumSet.noneOf(Stmt.LogFlag.class);
        while (true) {
            if (accept("prefix")) {
                prefix = Optional.of(string("a log prefix"));
            } else if (accept("level")) {
                Token l = next();
                level = Stmt.Log.LEVELS.indexOf(l.text());
                if (level < 0) throw error(l, "unknown log level (emerg, alert, crit, err, warn, notice, info, debug)");
            } else if (accept("group")) {
                group = OptionalInt.of((int) number(next(), "a log group"));
            } else if (accept("flags")) {
                Token f = next();
                switch (f.text()) {
                    case "all" -> flags.addAll(EnumSet.allOf(Stmt.LogFlag.class));
                    case "skuid" -> flags.add(Stmt.LogFlag.SKUID);
                    case "ether" -> flags.add(Stmt.LogFlag.ETHER);
                    case "ip" -> { expect("options"); flags.add(Stmt.LogFlag.IP_OPTIONS); }
                    case "tcp" -> {
                        do {
                            Token o = next();
                            if (o.is("sequence")) flags.add(Stmt.LogFlag.TCP_SEQUENCE);
                            else if (o.is("options")) flags.add(Stmt.LogFlag.TCP_OPTIONS);
                            else throw error(o, "expected sequence or options");
                        } while (peek().kind() == Token.Kind.COMMA && next() != null);
                    }
                    default -> throw error(f, "unknown log flag (tcp sequence,options, ip options, skuid, ether, all)");
                }
            } else if (at("snaplen") || at("queue-threshold")) {
                throw error(peek(), "nflog options are not supported");
            } else {
                break;
            }
        }
        return new Stmt.Log(prefix, level, flags, group);
    }

    private Stmt limit() throws InputException {
        expect("rate");
        boolean over = accept("over");
        Token r = next();
        String w = r.text();
        long rate;
        boolean bytes = false;
        Stmt.RateUnit unit;
        int slash = w.indexOf('/');
        if (slash > 0) {
            rate = number(new Token(r.kind(), w.substring(0, slash), r.line(), r.column()), "a rate");
            unit = rateUnit(r, w.substring(slash + 1));
        } else {
            rate = number(r, "a rate");
            Token u = next();
            int s = u.text().indexOf('/');
            if (s < 0) throw error(u, "expected UNIT/second|minute|hour|day|week");
            rate *= byteMultiplier(u, u.text().substring(0, s));
            bytes = true;
            unit = rateUnit(u, u.text().substring(s + 1));
        }
        if (rate == 0) throw error(r, "a rate of 0 is invalid");
        long burst = bytes ? 0 : 5;
        if (accept("burst")) {
            Token b = next();
            burst = number(b, "a burst");
            Token u = next();
            if (bytes) {
                burst *= byteMultiplier(u, u.text());
            } else if (!u.is("packets")) {
                throw error(u, "expected 'packets'");
            }
        }
        return new Stmt.Limit(rate, unit, bytes, burst, over);
    }

    private long byteMultiplier(Token t, String u) throws InputException {
        return switch (u) {
            case "bytes" -> 1;
            case "kbytes" -> 1024;
            case "mbytes" -> 1024 * 1024;
            default -> throw error(t, "expected bytes, kbytes or mbytes");
        };
    }

    private Stmt.RateUnit rateUnit(Token t, String u) throws InputException {
        for (Stmt.RateUnit x : Stmt.RateUnit.values()) if (x.text().equals(u)) return x;
        throw error(t, "expected second, minute, hour, day or week");
    }

    private Stmt reject(Family family) throws InputException {
        if (!accept("with")) return Stmt.Reject.defaultFor(family);
        Token k = next();
        switch (k.text()) {
            case "tcp" -> {
                expect("reset");
                return new Stmt.Reject(Stmt.RejectKind.TCP_RESET, 0);
            }
            case "icmp" -> {
                if (family == Family.IP6) throw error(k, "reject with icmp is for IPv4 (use icmpv6 in ip6 tables)");
                accept("type");
                Token c = next();
                Long code = DataType.ICMP_CODES.get(c.text());
                if (code == null) throw error(c, "unknown icmp reject code (" + String.join(", ", DataType.ICMP_CODES.keySet()) + ")");
                return new Stmt.Reject(Stmt.RejectKind.ICMP, code.intValue());
            }
            case "icmpx" -> {
                accept("type");
                Token c = next();
                if (family == Family.IP || family == Family.IP6) throw error(c, "abstracted ICMP unreachable not supported");
                int code = Stmt.ICMPX_CODES.indexOf(c.text());
                if (code < 0) throw error(c, "unknown icmpx code (" + String.join(", ", Stmt.ICMPX_CODES) + ")");
                return new Stmt.Reject(Stmt.RejectKind.ICMPX, code);
            }
            case "icmpv6" -> throw error(k, "reject with icmpv6 is not supported (IPv6 is not emulated)");
            default -> throw error(k, "expected icmp, icmpx or tcp reset");
        }
    }

    private Stmt nat(Token kw, RuleContext ctx) throws InputException {
        Stmt.NatKind kind = Stmt.NatKind.valueOf(kw.text().toUpperCase());
        boolean ipWord = false;
        if (at("ip") && (kind == Stmt.NatKind.SNAT || kind == Stmt.NatKind.DNAT)) {
            next();
            ipWord = true;
        } else if (at("ip6")) {
            throw error(peek(), "IPv6 NAT is not supported");
        }
        Optional<Value> lo = Optional.empty(), hi = Optional.empty();
        OptionalInt plo = OptionalInt.empty(), phi = OptionalInt.empty();
        Token target = null;
        if (accept("to") || ((kind == Stmt.NatKind.SNAT || kind == Stmt.NatKind.DNAT) && peek().kind() == Token.Kind.WORD
                && !isNatFlag(peek().text()))) {
            target = next();
            String w = target.text();
            String addr = w, ports = null;
            int colon = w.lastIndexOf(':');
            if (colon >= 0) {
                addr = w.substring(0, colon);
                ports = w.substring(colon + 1);
            }
            if (kind == Stmt.NatKind.MASQUERADE || kind == Stmt.NatKind.REDIRECT) {
                if (!addr.isEmpty()) {
                    if (kind == Stmt.NatKind.REDIRECT && colon < 0) {
                        ports = addr; // redirect to 22 means to :22
                    } else {
                        throw error(target, kind.name().toLowerCase() + " takes only ports: to :PORT[-PORT]");
                    }
                }
            } else if (!addr.isEmpty()) {
                int dash = addr.indexOf('-');
                try {
                    lo = Optional.of(DataType.IPV4_ADDR.parse(dash > 0 ? addr.substring(0, dash) : addr));
                    hi = Optional.of(DataType.IPV4_ADDR.parse(dash > 0 ? addr.substring(dash + 1) : addr));
                } catch (IllegalArgumentException e) {
                    throw error(target, "not an IPv4 address or range: " + e.getMessage());
                }
                if (lo.get().compareTo(hi.get()) > 0) throw error(target, "address range ends below its start");
            }
            if (ports != null) {
                int dash = ports.indexOf('-');
                try {
                    int a = portNumber(dash > 0 ? ports.substring(0, dash) : ports);
                    int b = portNumber(dash > 0 ? ports.substring(dash + 1) : ports);
                    if (a > b) throw error(target, "port range ends below its start");
                    plo = OptionalInt.of(a);
                    phi = OptionalInt.of(b);
                } catch (IllegalArgumentException e) {
                    throw error(target, "not a port or port range");
                }
                if (!ctx.transport) {
                    throw error(target, "transport protocol mapping is only valid after transport protocol match",
                            "match the protocol first, e.g. meta l4proto tcp");
                }
            }
            if ((kind == Stmt.NatKind.SNAT || kind == Stmt.NatKind.DNAT) && lo.isEmpty() && plo.isEmpty()) {
                throw error(target, kind.name().toLowerCase() + " needs an address or port");
            }
        } else if (kind == Stmt.NatKind.SNAT || kind == Stmt.NatKind.DNAT) {
            throw error(peek(), kind.name().toLowerCase() + " needs 'to ADDRESS'");
        }
        if (lo.isPresent() && ctx.family == Family.INET && !ipWord && !ctx.ipv4) {
            throw error(kw, "specify '" + kw.text() + " ip to' in an inet table", "nft needs to know the address family");
        }
        Set<Stmt.NatFlag> flags = EnumSet.noneOf(Stmt.NatFlag.class);
        while (peek().kind() == Token.Kind.WORD && isNatFlag(peek().text())) {
            do {
                Token f = next();
                flags.add(switch (f.text()) {
                    case "random" -> Stmt.NatFlag.RANDOM;
                    case "fully-random" -> Stmt.NatFlag.FULLY_RANDOM;
                    case "persistent" -> Stmt.NatFlag.PERSISTENT;
                    default -> throw error(f, "unknown NAT flag (random, fully-random, persistent)");
                });
            } while (peek().kind() == Token.Kind.COMMA && next() != null);
        }
        boolean ipKeyword = ctx.family == Family.INET && lo.isPresent();
        return new Stmt.Nat(kind, ipKeyword, lo, hi, plo, phi, flags);
    }

    private static boolean isNatFlag(String w) {
        return w.equals("random") || w.equals("fully-random") || w.equals("persistent");
    }

    private static int portNumber(String w) {
        int p = Integer.parseInt(w);
        if (p < 0 || p > 65535) throw new IllegalArgumentException("port " + w);
        return p;
    }
}
