package org.vnetlab.emulator.hostconf.iface;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.vnetlab.emulator.hostconf.text.NotedLine;
import org.vnetlab.emulator.hostconf.text.ShellPrompt;
import org.vnetlab.emulator.hostconf.text.SourceText;
import org.vnetlab.emulator.hostconf.text.Token;
import org.vnetlab.emulator.hostconf.text.Tokens;
import org.vnetlab.emulator.hostconf.text.Words;
import org.vnetlab.emulator.input.InputException;
import org.vnetlab.protocols.Ipv4Address;

/**
 * Reads the brief forms: {@code ip -br addr} ({@code NAME STATE ADDRESS/LEN ...}) and {@code ip -br link}
 * ({@code NAME STATE [MAC] <FLAGS>}). They lack indexes, MTU, scopes and broadcasts; the model leaves those
 * empty. IPv6 addresses are kept verbatim.
 */
public final class IpBriefParser {
    private IpBriefParser() {}

    public static HostInterfaces parse(String file, String content) throws InputException {
        SourceText src = SourceText.of(file, content);
        List<InterfaceConfig> list = new ArrayList<>();
        List<NotedLine> noted = new ArrayList<>();
        for (int n = 1; n <= src.lineCount(); n++) {
            String line = src.line(n);
            if (SourceText.isBlank(line)) continue; // trailing empty lines of a paste
            if (ShellPrompt.isCommandEcho(line, "ip")) {
                noted.add(new NotedLine(n, line, "shell prompt with the command"));
                continue;
            }
            Tokens t = src.tokens(n);
            Token nameT = t.next();
            Token stateT = t.expect("state");
            OperState state = OperState.byWord(stateT.text()).orElseThrow(() -> src.error(stateT, "unknown operational state",
                    "ip -br lines read NAME STATE ..."));
            String printed = nameT.text();
            int at = printed.lastIndexOf('@');
            String name = at > 0 ? printed.substring(0, at) : printed;
            Optional<String> peer = at > 0 ? Optional.of(printed.substring(at + 1)) : Optional.empty();
            List<Token> rest = t.rest();
            boolean link = !rest.isEmpty() && rest.get(rest.size() - 1).text().startsWith("<");
            List<String> flags = List.of();
            Optional<String> mac = Optional.empty();
            List<InterfaceAddress> ipv4 = new ArrayList<>();
            List<String> ipv6 = new ArrayList<>();
            if (link) {
                Token f = rest.get(rest.size() - 1);
                if (!f.text().endsWith(">")) throw src.error(f, "unterminated flag list");
                String inner = f.text().substring(1, f.text().length() - 1);
                flags = inner.isEmpty() ? List.of() : Arrays.asList(inner.split(","));
                if (rest.size() > 2) throw src.error(rest.get(1), "unexpected word in an ip -br link line");
                if (rest.size() == 2) mac = Optional.of(Words.mac(src, rest.get(0)).toString());
            } else {
                for (int i = 0; i < rest.size(); i++) {
                    Token a = rest.get(i);
                    if (a.text().contains(":")) {
                        ipv6.add(a.text());
                        continue;
                    }
                    int slash = a.text().indexOf('/');
                    if (i + 2 < rest.size() && rest.get(i + 1).is("peer")) {
                        Ipv4Address local = Words.ipv4(src, a, "address");
                        Token p = rest.get(i + 2);
                        int ps = p.text().indexOf('/');
                        if (ps < 0) throw src.error(p, "peer address without prefix length");
                        Ipv4Address remote = Words.ipv4(src, new Token(p.text().substring(0, ps), p.line(), p.column()), "peer");
                        int len = Words.intNumber(src, new Token(p.text().substring(ps + 1), p.line(), p.column() + ps + 1), "prefix length", 0, 32);
                        ipv4.add(new InterfaceAddress(local, len, Optional.of(remote), Optional.empty(), Optional.empty(),
                                Optional.empty(), List.of(), OptionalLong.empty(), Optional.empty()));
                        i += 2;
                        continue;
                    }
                    if (slash < 0) throw src.error(a, "address without prefix length", "ip -br addr prints ADDRESS/LENGTH");
                    Ipv4Address addr = Words.ipv4(src, new Token(a.text().substring(0, slash), a.line(), a.column()), "address");
                    int len = Words.intNumber(src, new Token(a.text().substring(slash + 1), a.line(), a.column() + slash + 1), "prefix length", 0, 32);
                    ipv4.add(new InterfaceAddress(addr, len, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                            List.of(), OptionalLong.empty(), Optional.empty()));
                }
            }
            list.add(new InterfaceConfig(OptionalInt.empty(), name, peer, flags, OptionalInt.empty(), Optional.empty(),
                    Optional.empty(), state, Optional.empty(), Optional.empty(), OptionalInt.empty(),
                    mac.isPresent() ? Optional.of("ether") : Optional.empty(), mac, Optional.empty(), List.of(), List.of(),
                    ipv4, ipv6));
        }
        return new HostInterfaces(list, noted);
    }
}
