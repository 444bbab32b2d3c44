package org.vnetlab.emulator.hostconf.iface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.vnetlab.emulator.hostconf.route.RouteScope;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.emulator.hostconf.text.ShellPrompt;
import org.vnetlab.emulator.hostconf.text.SourceText;
import org.vnetlab.emulator.hostconf.text.Token;
import org.vnetlab.emulator.hostconf.text.Tokens;
import org.vnetlab.emulator.hostconf.text.Words;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Reads {@code ip addr}, {@code ip address show [dev X]}, {@code ip -4 addr} and {@code ip link}: a header
 * line per interface ({@code 7: virbr0: <BROADCAST,...> mtu 1500 ...}), then indented {@code link/},
 * {@code altname}, {@code inet}, {@code inet6} lines, each address followed by its lifetimes.
 */
public final class IpAddrParser {
    /** Address flags iproute2 prints between the scope and the label (IFA_F_* and friends). */
    private static final Set<String> ADDRESS_FLAGS = Set.of("secondary", "temporary", "dynamic", "deprecated",
            "tentative", "dadfailed", "home", "nodad", "optimistic", "mngtmpaddr", "noprefixroute", "autojoin",
            "stable-privacy", "permanent");

    /** Words on a link/ line that are not the link address. */
    private static final Set<String> LINK_KEYWORDS = Set.of("brd", "peer", "link-netnsid", "link-netns", "permaddr",
            "promiscuity");

    private final SourceText src;
    private final List<InterfaceConfig> done = new ArrayList<>();
    private final List<NotedLine> noted = new ArrayList<>();
    private Builder current;
    /** What a {@code valid_lft} line attaches to: an IPv4 address index, or -1 for an inet6 line, or none. */
    private int lifetimeTarget = NONE;
    private static final int NONE = -2;
    private static final int INET6 = -1;

    private IpAddrParser(SourceText src) { this.src = src; }

    public static HostInterfaces parse(String file, String content) throws InputException {
        return new IpAddrParser(SourceText.of(file, content)).run();
    }

    private HostInterfaces run() throws InputException {
        for (int n = 1; n <= src.lineCount(); n++) {
            String line = src.line(n);
            if (SourceText.isBlank(line)) continue; // trailing empty lines of a paste
            if (ShellPrompt.isCommandEcho(line, "ip")) {
                noted.add(new NotedLine(n, line, "shell prompt with the command"));
                continue;
            }
            if (Character.isDigit(line.charAt(0))) {
                finish();
                header(n, line);
            } else if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                detail(n, line);
            } else {
                Token t = src.tokens(n).peek();
                throw src.error(t, "not ip addr output", t.text().startsWith("Device")
                        ? "ip printed an error; paste what it printed for an existing device" : null);
            }
        }
        finish();
        return new HostInterfaces(done, noted);
    }

    private void finish() {
        if (current != null) done.add(current.build());
        current = null;
        lifetimeTarget = NONE;
    }

    private void header(int n, String line) throws InputException {
        int colon = line.indexOf(": ");
        int open = line.indexOf(": <");
        int close = line.indexOf('>', Math.max(open, 0));
        if (colon < 0 || open < colon || close < 0) {
            throw src.error(n, 1, line.split("\\s+")[0], "interface header must read 'INDEX: NAME: <FLAGS> ...'");
        }
        Token indexT = new Token(line.substring(0, colon), n, 1);
        Builder b = new Builder();
        b.index = OptionalInt.of(Words.intNumber(src, indexT, "interface index", 1, Integer.MAX_VALUE));
        String printed = line.substring(colon + 2, open);
        if (printed.isEmpty() || printed.contains(" ")) throw src.error(n, colon + 3, printed, "bad interface name");
        int at = printed.lastIndexOf('@');
        b.name = at > 0 ? printed.substring(0, at) : printed;
        b.linkPeer = at > 0 ? Optional.of(printed.substring(at + 1)) : Optional.empty();
        String flags = line.substring(open + 3, close);
        b.flags = flags.isEmpty() ? List.of() : Arrays.asList(flags.split(","));
        Tokens t = Tokens.of(src, n, line.substring(close + 1), close + 1);
        while (t.hasNext()) {
            Token k = t.next();
            switch (k.text()) {
                case "mtu": b.mtu = OptionalInt.of(Words.intNumber(src, t.expect("MTU"), "MTU", 0, Integer.MAX_VALUE)); break;
                case "qdisc": b.qdisc = Optional.of(t.expect("qdisc").text()); break;
                case "master": b.master = Optional.of(t.expect("master device").text()); break;
                case "state": {
                    Token s = t.expect("state");
                    b.state = OperState.byWord(s.text()).orElseThrow(() -> src.error(s, "unknown operational state"));
                    break;
                }
                case "mode": b.mode = Optional.of(t.expect("mode").text()); break;
                case "group": b.group = Optional.of(t.expect("group").text()); break;
                case "qlen": b.qlen = OptionalInt.of(Words.intNumber(src, t.expect("qlen"), "qlen", 0, Integer.MAX_VALUE)); break;
                default: throw src.error(k, "unknown word in an interface header");
            }
        }
        if (b.state == null) throw src.error(n, line.length() + 1, null, "interface header without 'state'");
        current = b;
    }

    private void detail(int n, String line) throws InputException {
        Tokens t = src.tokens(n);
        Token first = t.next();
        if (current == null) throw src.error(first, "'" + first.text() + "' line before any interface header");
        String w = first.text();
        if (w.startsWith("link/")) {
            link(t, first);
        } else if (w.equals("altname")) {
            current.altnames.add(t.expect("alternative name").text());
            end(t);
        } else if (w.equals("inet")) {
            current.ipv4.add(inet(t));
            lifetimeTarget = current.ipv4.size() - 1;
        } else if (w.equals("inet6")) {
            current.ipv6Lines.add(line);
            lifetimeTarget = INET6;
        } else if (w.equals("valid_lft")) {
            lifetimes(n, line, t, first);
        } else if (w.equals("RX:") || w.equals("TX:")) {
            throw src.error(first, "interface statistics are not read", "paste 'ip addr' without -s");
        } else {
            throw src.error(first, "unknown line in ip addr output",
                    "vnetlab reads plain 'ip addr'; detail lines of 'ip -d' are not read");
        }
    }

    private void link(Tokens t, Token first) throws InputException {
        if (current.linkType.isPresent()) throw src.error(first, "second link/ line for one interface");
        current.linkType = Optional.of(first.text().substring("link/".length()));
        if (t.hasNext() && !LINK_KEYWORDS.contains(t.peek().text())) {
            current.linkAddress = Optional.of(t.next().text());
        }
        if (t.peekIs("brd") || t.peekIs("peer")) {
            t.next();
            current.linkBroadcast = Optional.of(t.expect("link broadcast address").text());
        }
        while (t.hasNext()) current.linkExtras.add(t.next().text());
        if (current.linkType.get().equals("ether") || current.linkType.get().equals("loopback")) {
            if (current.linkAddress.isEmpty()) throw src.error(first, "link/" + current.linkType.get() + " without an address");
            Words.mac(src, new Token(current.linkAddress.get(), first.line(), first.endColumn() + 1));
        }
    }

    private InterfaceAddress inet(Tokens t) throws InputException {
        Token a = t.expect("address");
        String text = a.text();
        int slash = text.indexOf('/');
        Ipv4Address addr = Words.ipv4(src, slash < 0 ? a : new Token(text.substring(0, slash), a.line(), a.column()), "address");
        int len = 32;
        if (slash >= 0) {
            len = Words.intNumber(src, new Token(text.substring(slash + 1), a.line(), a.column() + slash + 1), "prefix length", 0, 32);
        }
        Optional<Ipv4Address> peer = Optional.empty();
        Optional<Ipv4Address> brd = Optional.empty();
        Optional<RouteScope> scope = Optional.empty();
        List<String> flags = new ArrayList<>();
        OptionalLong metric = OptionalLong.empty();
        Optional<String> label = Optional.empty();
        while (t.hasNext()) {
            Token k = t.next();
            switch (k.text()) {
                case "peer": {
                    Token p = t.expect("peer address");
                    int ps = p.text().indexOf('/');
                    peer = Optional.of(Words.ipv4(src, ps < 0 ? p : new Token(p.text().substring(0, ps), p.line(), p.column()), "peer"));
                    if (ps >= 0) len = Words.intNumber(src, new Token(p.text().substring(ps + 1), p.line(), p.column() + ps + 1), "prefix length", 0, 32);
                    break;
                }
                case "brd": brd = Optional.of(Words.ipv4(src, t.expect("broadcast address"), "broadcast address")); break;
                case "scope": {
                    Token s = t.expect("scope");
                    try {
                        scope = Optional.of(RouteScope.parse(s.text()));
                    } catch (IllegalArgumentException e) {
                        throw src.error(s, "unknown scope");
                    }
                    break;
                }
                case "metric": metric = OptionalLong.of(Words.number(src, t.expect("metric"), "metric", 0, 0xffff_ffffL)); break;
                default:
                    if (ADDRESS_FLAGS.contains(k.text())) {
                        flags.add(k.text());
                    } else if (!t.hasNext()) {
                        label = Optional.of(k.text()); // iproute2 ends the line with the address label
                    } else {
                        throw src.error(k, "unknown word in an inet line");
                    }
            }
        }
        if (scope.isEmpty()) throw src.error(a, "inet line without a scope");
        if (label.isEmpty()) throw src.error(a, "inet line without its label");
        return new InterfaceAddress(addr, len, peer, brd, scope, label, flags, metric, Optional.empty());
    }

    private void lifetimes(int n, String line, Tokens t, Token first) throws InputException {
        if (lifetimeTarget == NONE) throw src.error(first, "valid_lft line without an address above it");
        if (lifetimeTarget == INET6) {
            current.ipv6Lines.add(line);
            lifetimeTarget = NONE;
            return;
        }
        OptionalLong valid = lifetime(t.expect("valid lifetime"));
        Token p = t.expect("preferred_lft");
        if (!p.is("preferred_lft")) throw src.error(p, "expected preferred_lft");
        OptionalLong preferred = lifetime(t.expect("preferred lifetime"));
        end(t);
        InterfaceAddress a = current.ipv4.get(lifetimeTarget);
        current.ipv4.set(lifetimeTarget, new InterfaceAddress(a.address(), a.prefixLength(), a.peer(), a.broadcast(), a.scope(),
                a.label(), a.flags(), a.metric(), Optional.of(new Lifetimes(valid, preferred))));
        lifetimeTarget = NONE;
    }

    private OptionalLong lifetime(Token t) throws InputException {
        if (t.is("forever")) return OptionalLong.empty();
        if (t.text().endsWith("sec")) {
            return OptionalLong.of(Words.number(src, new Token(t.text().substring(0, t.text().length() - 3), t.line(), t.column()),
                    "lifetime", 0, 0xffff_ffffL));
        }
        throw src.error(t, "lifetime must be 'forever' or NUMBERsec");
    }

    private void end(Tokens t) throws InputException {
        if (t.hasNext()) throw src.error(t.next(), "unexpected word at end of line");
    }

    private static final class Builder {
        OptionalInt index = OptionalInt.empty();
        String name;
        Optional<String> linkPeer = Optional.empty();
        List<String> flags = List.of();
        OptionalInt mtu = OptionalInt.empty();
        Optional<String> qdisc = Optional.empty();
        Optional<String> master = Optional.empty();
        OperState state;
        Optional<String> mode = Optional.empty();
        Optional<String> group = Optional.empty();
        OptionalInt qlen = OptionalInt.empty();
        Optional<String> linkType = Optional.empty();
        Optional<String> linkAddress = Optional.empty();
        Optional<String> linkBroadcast = Optional.empty();
        final List<String> linkExtras = new ArrayList<>();
        final List<String> altnames = new ArrayList<>();
        final List<InterfaceAddress> ipv4 = new ArrayList<>();
        final List<String> ipv6Lines = new ArrayList<>();

        InterfaceConfig build() {
            return new InterfaceConfig(index, name, linkPeer, flags, mtu, qdisc, master, state, mode, group, qlen, linkType,
                    linkAddress, linkBroadcast, linkExtras, altnames, ipv4, ipv6Lines);
        }
    }
}
