package org.vnetlab.scenarios.expect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.scenarios.expect.Observation.DnsOutcome;

/**
 * Reads the text after {@code =>}. Clauses follow each other, each starting with its keyword; {@code
 * error} and {@code output} take the rest of the line as their text (or one quoted string). See
 * docs/scenario-format.md for the grammar.
 */
public final class ExpectationParser {

    static final String KEYWORDS = "reply, timeout, unreachable, reset, ttl-exceeded, no-route, lease, no-lease, "
            + "resolves, NXDOMAIN, SERVFAIL, REFUSED, ok, exit, error, output, without — or an IPv4 address (the name resolves to it)";

    private record Tok(String text, int offset, boolean quoted) {}

    private final String source;
    private final List<Tok> toks;
    private int pos;

    private ExpectationParser(String source, List<Tok> toks) {
        this.source = source;
        this.toks = toks;
    }

    public static Expectation parse(String text) throws ExpectationSyntaxException {
        ExpectationParser p = new ExpectationParser(text, tokenize(text));
        if (p.toks.isEmpty()) {
            throw new ExpectationSyntaxException(0, "=>", "nothing expected after '=>'", "for example: => reply");
        }
        List<Clause> clauses = new ArrayList<>();
        while (p.pos < p.toks.size()) clauses.add(p.clause());
        return new Expectation(clauses);
    }

    private Clause clause() throws ExpectationSyntaxException {
        Tok t = next();
        String k = t.quoted ? "" : t.text.toLowerCase(Locale.ROOT);
        switch (k) {
            case "reply": case "replies": return new Clause.Reply(from());
            case "timeout": case "timed-out": return new Clause.Timeout();
            case "unreachable": return unreachable();
            case "reset": return new Clause.Reset(from());
            case "ttl-exceeded": case "time-exceeded": return new Clause.TtlExceeded(from());
            case "no-route": return new Clause.NoRoute();
            case "lease": return lease();
            case "no-lease": return new Clause.NoLease();
            case "no":
                if (peekIs("lease")) {
                    next();
                    return new Clause.NoLease();
                }
                throw unknown(t);
            case "resolves": return new Clause.Resolves(addresses(next("an address after 'resolves'"), "resolves"));
            case "nxdomain": return new Clause.DnsStatus(DnsOutcome.NXDOMAIN);
            case "servfail": return new Clause.DnsStatus(DnsOutcome.SERVFAIL);
            case "refused": return new Clause.DnsStatus(DnsOutcome.REFUSED);
            case "ok": return new Clause.Exit(0);
            case "exit": return exit();
            case "error": return new Clause.ErrorText(restText());
            case "without": {
                Optional<String> text = restText();
                if (text.isEmpty()) throw new ExpectationSyntaxException(t.offset, t.text, "'without' needs the text that must not appear", "=> ok without \"forwarder\"");
                return new Clause.OutputLacks(text.get());
            }
            case "output": {
                Optional<String> text = restText();
                if (text.isEmpty()) throw new ExpectationSyntaxException(t.offset, t.text, "'output' needs the text to look for", "=> output \"Network default started\"");
                return new Clause.OutputText(text.get());
            }
            default:
                if (!t.quoted && looksLikeAddress(t.text)) return new Clause.Resolves(addresses(t, "the answer"));
                throw unknown(t);
        }
    }

    private Tok next() { return toks.get(pos++); }

    private Tok next(String what) throws ExpectationSyntaxException {
        if (pos >= toks.size()) {
            Tok last = toks.get(toks.size() - 1);
            throw new ExpectationSyntaxException(last.offset, last.text, "expected " + what, null);
        }
        return next();
    }

    private boolean peekIs(String word) {
        return pos < toks.size() && !toks.get(pos).quoted && toks.get(pos).text.equalsIgnoreCase(word);
    }

    private Optional<Ipv4Address> from() throws ExpectationSyntaxException {
        if (!peekIs("from")) return Optional.empty();
        next();
        return Optional.of(address(next("an address after 'from'"), "'from'"));
    }

    private Clause unreachable() throws ExpectationSyntaxException {
        Optional<Integer> code = Optional.empty();
        if (peekIs("code")) {
            next();
            Tok n = next("a number after 'code'");
            code = Optional.of(number(n, 0, 255, "an ICMP code"));
        } else if (pos < toks.size() && !peekIs("from") && !isKeyword(toks.get(pos))) {
            Tok c = next();
            Optional<Integer> named = IcmpCodes.code(c.text);
            if (named.isEmpty()) {
                throw new ExpectationSyntaxException(c.offset, c.text, "unknown ICMP unreachable code",
                        "one of " + IcmpCodes.known() + ", or code N");
            }
            code = named;
        }
        return new Clause.Unreachable(code, from());
    }

    private Clause lease() throws ExpectationSyntaxException {
        Optional<Ipv4Address> address = Optional.empty();
        Optional<Cidr> within = Optional.empty();
        if (pos < toks.size() && looksLikeAddress(toks.get(pos).text)) {
            Tok a = next();
            if (a.text.contains("/")) {
                try {
                    within = Optional.of(Cidr.parse(a.text));
                } catch (IllegalArgumentException e) {
                    throw new ExpectationSyntaxException(a.offset, a.text, "not an IPv4 prefix", "write it like 192.168.122.0/24");
                }
            } else {
                address = Optional.of(address(a, "the lease"));
            }
        }
        Optional<Ipv4Address> gateway = Optional.empty();
        Optional<List<Ipv4Address>> dns = Optional.empty();
        Optional<Ipv4Address> server = Optional.empty();
        while (pos < toks.size()) {
            Tok f = toks.get(pos);
            String k = f.text.toLowerCase(Locale.ROOT);
            if (f.quoted) break;
            if (k.equals("gateway") || k.equals("router")) {
                next();
                gateway = Optional.of(address(next("an address after '" + f.text + "'"), "the gateway"));
            } else if (k.equals("dns")) {
                next();
                dns = Optional.of(addresses(next("an address after 'dns'"), "the DNS servers"));
            } else if (k.equals("server")) {
                next();
                server = Optional.of(address(next("an address after 'server'"), "the DHCP server"));
            } else {
                break;
            }
        }
        return new Clause.Lease(address, within, gateway, dns, server);
    }

    private Clause exit() throws ExpectationSyntaxException {
        Tok n = next("a number after 'exit'");
        return new Clause.Exit(number(n, 0, 255, "an exit status"));
    }

    /** The rest of the line: one quoted string alone is taken without its quotes; anything else as written. */
    private Optional<String> restText() {
        if (pos >= toks.size()) return Optional.empty();
        Tok first = toks.get(pos);
        pos = toks.size();
        if (first == toks.get(toks.size() - 1) && first.quoted) return Optional.of(first.text);
        return Optional.of(source.substring(first.offset).strip());
    }

    private int number(Tok t, int min, int max, String what) throws ExpectationSyntaxException {
        if (t.text.isEmpty() || t.text.length() > 3 || !t.text.chars().allMatch(Character::isDigit)
                || Integer.parseInt(t.text) < min || Integer.parseInt(t.text) > max) {
            throw new ExpectationSyntaxException(t.offset, t.text, what + " must be a number " + min + ".." + max, null);
        }
        return Integer.parseInt(t.text);
    }

    private static Ipv4Address address(Tok t, String what) throws ExpectationSyntaxException {
        try {
            return Ipv4Address.parse(t.text);
        } catch (IllegalArgumentException e) {
            throw new ExpectationSyntaxException(t.offset, t.text, "not an IPv4 address (" + what + ")", null);
        }
    }

    private static List<Ipv4Address> addresses(Tok t, String what) throws ExpectationSyntaxException {
        List<Ipv4Address> out = new ArrayList<>();
        int at = t.offset;
        for (String part : t.text.split(",", -1)) {
            try {
                out.add(Ipv4Address.parse(part));
            } catch (IllegalArgumentException e) {
                throw new ExpectationSyntaxException(at, part.isEmpty() ? t.text : part,
                        "not an IPv4 address (" + what + ")", "separate several addresses with commas, no blanks");
            }
            at += part.length() + 1;
        }
        return out;
    }

    private static boolean looksLikeAddress(String s) {
        return !s.isEmpty() && Character.isDigit(s.charAt(0)) && s.contains(".");
    }

    private static boolean isKeyword(Tok t) {
        if (t.quoted) return false;
        return switch (t.text.toLowerCase(Locale.ROOT)) {
            case "reply", "timeout", "unreachable", "reset", "ttl-exceeded", "lease", "exit", "error", "output", "without", "ok" -> true;
            default -> false;
        };
    }

    private ExpectationSyntaxException unknown(Tok t) {
        String hint = "expectations are: " + KEYWORDS;
        if (t.text.equalsIgnoreCase("rst")) hint = "a TCP reset is written: reset";
        return new ExpectationSyntaxException(t.offset, t.text, "unknown expectation", hint);
    }

    private static List<Tok> tokenize(String text) throws ExpectationSyntaxException {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '"' || c == '\'') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != c) {
                    if (c == '"' && text.charAt(j) == '\\' && j + 1 < text.length()) j++;
                    sb.append(text.charAt(j++));
                }
                if (j >= text.length()) throw new ExpectationSyntaxException(i, String.valueOf(c), "unclosed quote", "close the text with " + c);
                out.add(new Tok(sb.toString(), i, true));
                i = j + 1;
            } else {
                int j = i;
                while (j < text.length() && text.charAt(j) != ' ' && text.charAt(j) != '\t') j++;
                out.add(new Tok(text.substring(i, j), i, false));
                i = j;
            }
        }
        return out;
    }
}
