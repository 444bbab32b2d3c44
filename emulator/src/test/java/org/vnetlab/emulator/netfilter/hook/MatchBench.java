package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;
import org.vnetlab.emulator.conntrack.ConntrackSettings;
import org.vnetlab.emulator.conntrack.ConntrackTable;
import org.vnetlab.emulator.conntrack.Lookup;
import org.vnetlab.emulator.netfilter.Rule;
import org.vnetlab.emulator.netfilter.RuleRef;
import org.vnetlab.emulator.netfilter.TableName;
import org.vnetlab.emulator.testing.ArticleHost;
import org.vnetlab.emulator.trace.TraceBuilder;
import org.vnetlab.protocols.MacAddress;

/**
 * One rule, written as in iptables-save, against one packet, evaluated by the engine's {@link Matcher} on
 * the article's host: the workbench of the match specs. Packets arrive from the guest on virbr0 (routed
 * out of enp3s0) or from the LAN on enp3s0, or leave the host; conntrack is the engine's own table.
 */
final class MatchBench {
    static final MacAddress GUEST = MacAddress.parse("52:54:00:aa:bb:01");
    static final MacAddress VIRBR0 = MacAddress.parse("52:54:00:73:62:06");
    static final MacAddress ROUTER = MacAddress.parse("00:11:32:00:00:01");
    static final MacAddress ENP3S0 = MacAddress.parse("00:d8:61:0a:0b:10");

    final ArticleHost host = new ArticleHost();
    final ExtensionState state = new ExtensionState(7);
    final Matcher matcher = new Matcher(host, state);
    final ConntrackTable conntrack = new ConntrackTable(ConntrackSettings.DEFAULTS, (line, at) -> { });
    long now = 100_000_000_000L;
    private int traces;

    /** {@code -A CHAIN ...} of the filter table (or {@code *table} first line for another), parsed by the real parser. */
    static Rule rule(String chain, String spec) { return rule(TableName.FILTER, chain, spec); }

    static Rule rule(TableName table, String chain, String spec) {
        String builtins = switch (table) {
            case NAT -> ":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n";
            case FILTER -> ":INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n";
            case RAW -> ":PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n";
            default -> ":PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n";
        };
        String text = "*" + table.iptablesName() + "\n" + builtins + "-A " + chain + " " + spec + "\nCOMMIT\n";
        return Rulesets.parse(text).table(table).orElseThrow().chain(chain).orElseThrow().rule(1);
    }

    Matcher.Result eval(Rule rule, PacketContext ctx) {
        return matcher.matches(rule, new RuleRef(TableName.FILTER, "FORWARD", 1), ctx, now);
    }

    /** Whether {@code -A FORWARD spec} matches the packet. */
    boolean matches(String spec, PacketContext ctx) { return eval(rule("FORWARD", spec), ctx) == Matcher.Result.MATCH; }

    Matcher.Result result(String spec, PacketContext ctx) { return eval(rule("FORWARD", spec), ctx); }

    private TraceBuilder trace() { return new TraceBuilder(++traces); }

    /** From the guest on virbr0, routed out of enp3s0 (FORWARD). */
    PacketContext fromGuest(ByteBuf datagram) {
        PacketContext c = PacketContext.received(datagram, "virbr0", trace());
        c.setLinkLayer(GUEST, VIRBR0);
        c.setOutInterface("enp3s0");
        return c;
    }

    /** From the LAN's router on enp3s0, routed out of virbr0 (FORWARD). */
    PacketContext fromLan(ByteBuf datagram) {
        PacketContext c = PacketContext.received(datagram, "enp3s0", trace());
        c.setLinkLayer(ROUTER, ENP3S0);
        c.setOutInterface("virbr0");
        return c;
    }

    /** Received on {@code in} in a frame to {@code destinationMac}, before routing (PREROUTING). */
    PacketContext received(ByteBuf datagram, String in, MacAddress destinationMac) {
        PacketContext c = PacketContext.received(datagram, in, trace());
        c.setLinkLayer(in.equals("virbr0") ? GUEST : ROUTER, destinationMac);
        return c;
    }

    /** The host's own packet leaving through {@code out} (OUTPUT/POSTROUTING): no Ethernet header. */
    PacketContext local(ByteBuf datagram, String out) {
        PacketContext c = PacketContext.local(datagram, trace());
        c.setOutInterface(out);
        return c;
    }

    /** Conntrack's verdict attached to the packet, as at PREROUTING (or OUTPUT for a local packet). */
    PacketContext tracked(PacketContext c) {
        Lookup l = conntrack.in(c.datagram(), !c.isLocallyGenerated(), now);
        if (l instanceof Lookup.Tracked t) c.attach(t.entry(), t.info());
        return c;
    }

    /** The packet made it through (its connection is confirmed, as at the end of POSTROUTING). */
    PacketContext confirmed(PacketContext c) {
        c.conntrack().ifPresent(e -> conntrack.confirm(e, c.ctInfo().orElseThrow(), now));
        return c;
    }

    void advance(long nanos) { now += nanos; }
}
