package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.conntrack.ConntrackEntry;
import org.vnetlab.emulator.conntrack.CtInfo;
import org.vnetlab.emulator.conntrack.Datagram;
import org.vnetlab.emulator.netfilter.CtState;
import org.vnetlab.emulator.netfilter.PacketType;
import org.vnetlab.emulator.trace.TraceBuilder;
import org.vnetlab.emulator.trace.TraceStep;
import org.vnetlab.protocols.MacAddress;

/**
 * One packet on its way through the hooks (the kernel's skb plus nf_hook_state): the IPv4 datagram bytes,
 * mutable because NAT rewrites them in place; the interfaces; bridge ports when br_netfilter saw it; the
 * skb mark; the conntrack entry and ctinfo; and the trace being written. The stack creates one per packet
 * and fills {@link #setOutInterface} after routing.
 */
public final class PacketContext {
    private ByteBuf packet;
    private Defragmenter defragmenter;
    private Optional<String> in;
    private Optional<String> out;
    private Optional<String> physIn = Optional.empty();
    private Optional<String> physOut = Optional.empty();
    private boolean bridged;
    private Optional<MacAddress> sourceMac = Optional.empty();
    private Optional<MacAddress> destinationMac = Optional.empty();
    private PacketType packetType = PacketType.UNICAST;
    private long mark;
    private ConntrackEntry conntrack;
    private CtInfo ctInfo;
    private boolean untracked;
    private final TraceBuilder trace;
    private boolean local;
    private Optional<org.vnetlab.protocols.Ipv4Address> nextHop = Optional.empty();

    /** {@code packet}: the IPv4 datagram from its reader index (no link-layer header). */
    public PacketContext(ByteBuf packet, Optional<String> in, Optional<String> out, TraceBuilder trace) {
        this.packet = packet;
        this.in = in;
        this.out = out;
        this.trace = trace;
    }

    /** A packet received on {@code in}. */
    public static PacketContext received(ByteBuf packet, String in, TraceBuilder trace) {
        return new PacketContext(packet, Optional.of(in), Optional.empty(), trace);
    }

    /** A packet the host itself sends (OUTPUT); {@code out} is set after routing. */
    public static PacketContext local(ByteBuf packet, TraceBuilder trace) {
        PacketContext c = new PacketContext(packet, Optional.empty(), Optional.empty(), trace);
        c.local = true;
        return c;
    }

    public ByteBuf packet() { return packet; }

    /** nf_defrag_ipv4 made the datagram whole: from now on this packet is {@code whole} (IP header first). */
    public void replacePacket(ByteBuf whole) { this.packet = whole; }

    /** The fragment queues of the IP layer behind this packet, when there is one (not for bridged frames). */
    public Optional<Defragmenter> defragmenter() { return Optional.ofNullable(defragmenter); }

    public void setDefragmenter(Defragmenter d) { this.defragmenter = d; }

    /** The datagram's header facts, read fresh (NAT may have changed them). */
    public Datagram datagram() {
        return Datagram.read(packet).orElseThrow(() -> new IllegalStateException("not an IPv4 datagram"));
    }

    public Optional<String> in() { return in; }

    public Optional<String> out() { return out; }

    public void setInInterface(String name) { in = Optional.of(name); }

    public void setOutInterface(String name) { out = Optional.of(name); }

    public boolean isLocallyGenerated() { return local; }

    /** The route's next hop (gateway or the destination itself), set by the stack after routing. */
    public Optional<org.vnetlab.protocols.Ipv4Address> nextHop() { return nextHop; }

    public void setNextHop(org.vnetlab.protocols.Ipv4Address hop) { nextHop = Optional.of(hop); }

    public Optional<String> physIn() { return physIn; }

    public Optional<String> physOut() { return physOut; }

    /** Whether br_netfilter attached bridge information (the packet crossed a bridge port). */
    public boolean isBridged() { return bridged; }

    /** br_netfilter: the packet entered the bridge {@code in} on port {@code port}. */
    public void setBridgePorts(Optional<String> physIn, Optional<String> physOut) {
        this.bridged = true;
        this.physIn = physIn;
        this.physOut = physOut;
    }

    public Optional<MacAddress> sourceMac() { return sourceMac; }

    public Optional<MacAddress> destinationMac() { return destinationMac; }

    /** The Ethernet addresses of the frame it arrived in (for -m mac, LOG's MAC=, pkttype). */
    public void setLinkLayer(MacAddress source, MacAddress destination) {
        sourceMac = Optional.of(source);
        destinationMac = Optional.of(destination);
        packetType = destination.isBroadcast() ? PacketType.BROADCAST
                : destination.isMulticast() ? PacketType.MULTICAST : PacketType.UNICAST;
    }

    public PacketType packetType() { return packetType; }

    public long mark() { return mark; }

    public void setMark(long mark) { this.mark = mark & 0xffff_ffffL; }

    public Optional<ConntrackEntry> conntrack() { return Optional.ofNullable(conntrack); }

    public Optional<CtInfo> ctInfo() { return Optional.ofNullable(ctInfo); }

    public boolean isUntracked() { return untracked; }

    /** Whether conntrack already looked at this packet (then later hooks do not look it up again). */
    public boolean conntrackDone() { return conntrack != null || untracked; }

    public void attach(ConntrackEntry entry, CtInfo info) {
        this.conntrack = entry;
        this.ctInfo = info;
        this.untracked = false;
    }

    public void detach() {
        this.conntrack = null;
        this.ctInfo = null;
    }

    public void setUntracked() {
        detach();
        untracked = true;
    }

    /** The state -m conntrack/-m state see: INVALID without an entry, UNTRACKED for NOTRACK. */
    public CtState ctState() {
        if (untracked) return CtState.UNTRACKED;
        if (conntrack == null) return CtState.INVALID;
        return switch (ctInfo) {
            case NEW -> CtState.NEW;
            case ESTABLISHED, ESTABLISHED_REPLY -> CtState.ESTABLISHED;
            case RELATED, RELATED_REPLY -> CtState.RELATED;
        };
    }

    public TraceBuilder trace() { return trace; }

    public void step(TraceStep s) { trace.add(s); }

    /** Whether this packet's trace is recorded: step text need only be built when it is. */
    public boolean tracing() { return trace.recording(); }

    /** {@code proto src -> dst} summary for trace lines. */
    public String summary() {
        Datagram d = datagram();
        StringBuilder sb = new StringBuilder();
        sb.append(org.vnetlab.emulator.conntrack.ConntrackProtocols.name(d.protocol()).replace("unknown", "proto " + d.protocol()));
        d.tuple().ifPresentOrElse(t -> sb.append(' ').append(t.format()),
                () -> sb.append(" src=").append(d.source()).append(" dst=").append(d.destination()));
        sb.append(" len=").append(d.totalLength()).append(" ttl=").append(d.ttl());
        in.ifPresent(i -> sb.append(" in=").append(i));
        out.ifPresent(o -> sb.append(" out=").append(o));
        physIn.ifPresent(p -> sb.append(" physin=").append(p)); // br_netfilter's bridge ports, as LOG prints PHYSIN/PHYSOUT
        physOut.ifPresent(p -> sb.append(" physout=").append(p));
        if (mark != 0) sb.append(String.format(" mark=0x%x", mark));
        return sb.toString();
    }
}
