package org.vnetlab.emulator.netfilter;

import java.util.List;
import java.util.Objects;

/**
 * One iptables rule: the IP header filters every rule has ({@code -s -d -i -o -p -f}), then its extension
 * matches in the order written, then its target, plus where it came from.
 *
 * <p>Equality ignores {@link #origin()}: two rules are equal when iptables would store the same rule, which
 * is also what {@code iptables -D CHAIN RULESPEC} looks for.
 */
public record Rule(AddressFilter source, AddressFilter destination, InterfaceFilter inInterface,
                   InterfaceFilter outInterface, ProtocolFilter protocol, Fragment fragment, List<Match> matches,
                   Target target, RuleOrigin origin) {

    public Rule {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(inInterface, "inInterface");
        Objects.requireNonNull(outInterface, "outInterface");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(fragment, "fragment");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(origin, "origin");
        matches = List.copyOf(matches);
    }

    /** A rule that matches every packet and applies {@code target}. */
    public static Rule of(Target target) {
        return new Rule(AddressFilter.ANY, AddressFilter.ANY, InterfaceFilter.ANY, InterfaceFilter.ANY,
                ProtocolFilter.ALL, Fragment.ANY, List.of(), target, RuleOrigin.UNKNOWN);
    }

    public Rule withSource(AddressFilter v) { return new Rule(v, destination, inInterface, outInterface, protocol, fragment, matches, target, origin); }
    public Rule withDestination(AddressFilter v) { return new Rule(source, v, inInterface, outInterface, protocol, fragment, matches, target, origin); }
    public Rule withInInterface(InterfaceFilter v) { return new Rule(source, destination, v, outInterface, protocol, fragment, matches, target, origin); }
    public Rule withOutInterface(InterfaceFilter v) { return new Rule(source, destination, inInterface, v, protocol, fragment, matches, target, origin); }
    public Rule withProtocol(ProtocolFilter v) { return new Rule(source, destination, inInterface, outInterface, v, fragment, matches, target, origin); }
    public Rule withFragment(Fragment v) { return new Rule(source, destination, inInterface, outInterface, protocol, v, matches, target, origin); }
    public Rule withMatches(List<Match> v) { return new Rule(source, destination, inInterface, outInterface, protocol, fragment, v, target, origin); }
    public Rule withTarget(Target v) { return new Rule(source, destination, inInterface, outInterface, protocol, fragment, matches, v, origin); }
    public Rule withOrigin(RuleOrigin v) { return new Rule(source, destination, inInterface, outInterface, protocol, fragment, matches, target, v); }

    /**
     * The rule's canonical text as iptables-save prints it after {@code -A CHAIN}, e.g.
     * {@code -s 192.168.122.0/24 -i virbr0 -j ACCEPT} (empty for a rule that matches all and has no target).
     */
    public String text() { return RuleText.format(this); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rule r && source.equals(r.source) && destination.equals(r.destination)
                && inInterface.equals(r.inInterface) && outInterface.equals(r.outInterface)
                && protocol.equals(r.protocol) && fragment == r.fragment && matches.equals(r.matches)
                && target.equals(r.target);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, destination, inInterface, outInterface, protocol, fragment, matches, target);
    }
}
