package org.vnetlab.emulator.nftables;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The protocol dependencies nft adds and hides, so a rule's statements are what {@code nft list} shows.
 * <ul>
 *   <li>A transport field ({@code tcp dport}) makes nft add {@code meta l4proto tcp}; an explicit
 *       {@code meta l4proto tcp} (or, in the ip family, {@code ip protocol tcp}) before it, with only match
 *       expressions in between, is that dependency and is not listed. In inet, {@code ip protocol} stays
 *       listed (it also restricts the rule to IPv4).</li>
 *   <li>In inet, {@code meta nfproto ipv4} before an {@code ip} field is likewise the field's own dependency.</li>
 *   <li>{@code reject with tcp reset} only applies to TCP: in inet nft adds a listed {@code meta l4proto tcp}
 *       unless the rule already says TCP; in ip the dependency exists but is not listed.</li>
 *   <li>Any statement that is not a match (counter, log, ...) ends the dependency context.</li>
 * </ul>
 * The evaluator adds the dependencies back: a transport field never matches another protocol.
 */
public final class RuleNormalizer {
    private RuleNormalizer() {}

    public static List<Stmt> canonical(Family family, List<Stmt> input) {
        List<Stmt> statements = mergeTransportPorts(input);
        List<Stmt> out = new ArrayList<>();
        int pending = -1;          // index in out of a stored protocol dependency
        int pendingProtocol = -1;
        boolean pendingIsIpProtocol = false;
        int pendingNfproto = -1;   // index of a stored meta nfproto ipv4 (inet)
        Set<Integer> protocolsSeen = new HashSet<>();
        for (Stmt s : statements) {
            Optional<Selector> sel = selectorOf(s);
            if (sel.isPresent()) {
                Optional<Integer> dep = dependency(s);
                if (dep.isPresent()) {
                    out.add(s);
                    pending = out.size() - 1;
                    pendingProtocol = dep.get();
                    pendingIsIpProtocol = sel.get() == Selector.IP_PROTOCOL;
                    protocolsSeen.add(dep.get());
                    continue;
                }
                if (family == Family.INET && s instanceof Stmt.Match m && m.selector() == Selector.META_NFPROTO
                        && m.mask().isEmpty() && (m.op() == Stmt.Op.IMPLICIT || m.op() == Stmt.Op.EQ)
                        && m.rhs().equals(new Rhs.Single(Value.num(2)))) {
                    out.add(s);
                    pendingNfproto = out.size() - 1;
                    continue;
                }
                Selector x = sel.get();
                if (x.layer() == Selector.Layer.TRANSPORT && x.protocol().isPresent()) {
                    int proto = x.protocol().get();
                    protocolsSeen.add(proto);
                    boolean killable = !(family == Family.INET && pendingIsIpProtocol);
                    if (pending >= 0 && pendingProtocol == proto && killable) {
                        out.remove(pending);
                        if (pendingNfproto > pending) pendingNfproto--;
                        pending = -1;
                    }
                }
                if (x.layer() == Selector.Layer.NETWORK && pendingNfproto >= 0) {
                    out.remove(pendingNfproto);
                    if (pending > pendingNfproto) pending--;
                    pendingNfproto = -1;
                }
                out.add(s);
                continue;
            }
            if (s instanceof Stmt.Reject r && r.kind() == Stmt.RejectKind.TCP_RESET) {
                if (family == Family.INET || family == Family.BRIDGE || family == Family.NETDEV) {
                    if (!protocolsSeen.contains(6)) {
                        out.add(new Stmt.Match(Selector.META_L4PROTO, Stmt.Op.IMPLICIT, new Rhs.Single(Value.num(6))));
                    }
                } else if (pending >= 0 && pendingProtocol == 6) {
                    out.remove(pending);
                }
            }
            pending = -1;
            pendingNfproto = -1;
            out.add(s);
        }
        return out;
    }

    /**
     * nft merges adjacent equality matches on contiguous header fields into one load and compare; for
     * {@code th sport X th dport Y} it has no protocol to split them back by, so it lists {@code @th,0,32}.
     */
    private static List<Stmt> mergeTransportPorts(List<Stmt> in) {
        List<Stmt> out = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            if (i + 1 < in.size() && plainEquals(in.get(i), Selector.TH_SPORT) && plainEquals(in.get(i + 1), Selector.TH_DPORT)) {
                long sport = single((Stmt.Match) in.get(i)), dport = single((Stmt.Match) in.get(i + 1));
                out.add(new Stmt.Match(Selector.TH_PORTS, Stmt.Op.IMPLICIT, new Rhs.Single(Value.num((sport << 16) | dport))));
                i++;
                continue;
            }
            out.add(in.get(i));
        }
        return out;
    }

    private static boolean plainEquals(Stmt s, Selector sel) {
        return s instanceof Stmt.Match m && m.selector() == sel && m.mask().isEmpty()
                && (m.op() == Stmt.Op.IMPLICIT || m.op() == Stmt.Op.EQ) && m.rhs() instanceof Rhs.Single;
    }

    private static long single(Stmt.Match m) { return ((Value.Num) ((Rhs.Single) m.rhs()).value()).value(); }

    private static Optional<Selector> selectorOf(Stmt s) {
        if (s instanceof Stmt.Match m) return Optional.of(m.selector());
        if (s instanceof Stmt.VerdictMap v) return Optional.of(v.selector());
        return Optional.empty();
    }

    /** {@code meta l4proto P} / {@code ip protocol P} with one value: a candidate dependency. */
    private static Optional<Integer> dependency(Stmt s) {
        if (!(s instanceof Stmt.Match m)) return Optional.empty();
        if (m.selector() != Selector.META_L4PROTO && m.selector() != Selector.IP_PROTOCOL) return Optional.empty();
        if (m.mask().isPresent() || !(m.op() == Stmt.Op.IMPLICIT || m.op() == Stmt.Op.EQ)) return Optional.empty();
        if (!(m.rhs() instanceof Rhs.Single single)) return Optional.empty();
        return Optional.of((int) ((Value.Num) single.value()).value());
    }
}
