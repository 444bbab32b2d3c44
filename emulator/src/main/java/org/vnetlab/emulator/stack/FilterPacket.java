package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.protocols.Ipv4Address;
import org.vnetlab.protocols.MacAddress;

/**
 * One IPv4 datagram on its way through the hooks, the part of the kernel's skb netfilter reads: the bytes
 * (from the IP header; rewritable in place), the input and output interface names, the link-layer
 * addresses it arrived with, the next hop after routing, bridge ports for br_netfilter, whether the host
 * generated it, and one slot where the filter engine keeps its own state (conntrack entry, trace).
 *
 * <p>A fragment the stack hands to the hooks can be gathered by nf_defrag_ipv4 through {@link #defragment}:
 * the stack's fragment queues take it, and when it completes its datagram this packet becomes the whole
 * datagram (the kernel morphs the last fragment's skb into it), remembering the largest fragment's size
 * ({@link #fragMaxSize}) and the fragments' lengths for re-fragmentation on the way out.
 */
public final class FilterPacket {
    private ByteBuf datagram;
    private final boolean locallyGenerated;
    private int fragMaxSize;
    private List<Integer> fragmentPayloads = List.of();
    private Defragmenter defragmenter;
    private Optional<String> in;
    private Optional<String> out = Optional.empty();
    private Optional<MacAddress> sourceMac = Optional.empty();
    private Optional<MacAddress> destinationMac = Optional.empty();
    private Optional<Ipv4Address> nextHop = Optional.empty();
    private Optional<String> physIn = Optional.empty();
    private Optional<String> physOut = Optional.empty();
    private Object engineState;

    private FilterPacket(ByteBuf datagram, Optional<String> in, boolean locallyGenerated) {
        this.datagram = Objects.requireNonNull(datagram, "datagram");
        this.in = in;
        this.locallyGenerated = locallyGenerated;
    }

    /** A datagram received on {@code in} in a frame from {@code src} to {@code dst}. */
    public static FilterPacket received(ByteBuf datagram, String in, MacAddress src, MacAddress dst) {
        FilterPacket p = new FilterPacket(datagram, Optional.of(in), false);
        p.sourceMac = Optional.of(src);
        p.destinationMac = Optional.of(dst);
        return p;
    }

    /** A datagram this host generates. */
    public static FilterPacket local(ByteBuf datagram) { return new FilterPacket(datagram, Optional.empty(), true); }

    /** The datagram from its reader index: IP header first, exactly its total length. */
    public ByteBuf datagram() { return datagram; }

    public boolean isLocallyGenerated() { return locallyGenerated; }

    /** The stack's ip_defrag for this packet at a hook, set by the stack that owns it (only on fragments). */
    @FunctionalInterface
    interface Defragmenter {
        DefragOutcome gather(FilterPacket fragment, DefragUser user);
    }

    void setDefragmenter(Defragmenter d) { this.defragmenter = d; }

    /** Whether this fragment has an IP layer's fragment queues behind it (not so for bridged frames). */
    public boolean canDefragment() { return defragmenter != null; }

    /**
     * nf_defrag_ipv4 at {@code hook} (PREROUTING or OUTPUT): queues this fragment; when it completes the
     * datagram, this packet is from now on the whole datagram and the result says how it was made.
     */
    public DefragOutcome defragment(Hook hook) {
        if (defragmenter == null) return DefragOutcome.HELD;
        // nf_ct_defrag_user: a frame br_netfilter is running through PREROUTING has a queue user of its own
        DefragUser user = hook == Hook.OUTPUT ? DefragUser.CONNTRACK_OUT
                : physIn.isPresent() ? DefragUser.CONNTRACK_BRIDGE_IN : DefragUser.CONNTRACK_IN;
        DefragOutcome r = defragmenter.gather(this, user);
        if (r instanceof DefragOutcome.Whole w) becomeWhole(w.datagram());
        return r;
    }

    /**
     * A copy of a datagram nf_defrag_ipv4 already gathered (br_netfilter floods one gathered datagram to several
     * ports): it is cut again on the way out as the original would be.
     */
    public void markGathered(int fragMaxSize, List<Integer> fragmentPayloads) {
        this.fragMaxSize = fragMaxSize;
        this.fragmentPayloads = List.copyOf(fragmentPayloads);
    }

    void becomeWhole(Reassembled r) {
        datagram = r.datagram();
        fragMaxSize = r.fragMaxSize();
        fragmentPayloads = r.payloadLengths();
    }

    /** IPCB(skb)->frag_max_size: the largest fragment this datagram was gathered from; 0 if never fragmented here. */
    public int fragMaxSize() { return fragMaxSize; }

    /** The payload length of each fragment it was gathered from, in offset order (empty if not gathered). */
    public List<Integer> fragmentPayloads() { return fragmentPayloads; }

    public Optional<String> in() { return in; }

    public Optional<String> out() { return out; }

    public void setIn(String name) { in = Optional.of(name); }

    public void setOut(String name) { out = Optional.of(name); }

    public Optional<MacAddress> sourceMac() { return sourceMac; }

    public Optional<MacAddress> destinationMac() { return destinationMac; }

    public Optional<Ipv4Address> nextHop() { return nextHop; }

    public void setNextHop(Ipv4Address hop) { nextHop = Optional.of(hop); }

    public Optional<String> physIn() { return physIn; }

    public Optional<String> physOut() { return physOut; }

    /** br_netfilter: the frame crossed bridge ports {@code physIn} and {@code physOut}. */
    public void setBridgePorts(Optional<String> physIn, Optional<String> physOut) {
        this.physIn = physIn;
        this.physOut = physOut;
    }

    public Ipv4Address source() { return Ipv4Address.read(datagram, datagram.readerIndex() + 12); }

    public Ipv4Address destination() { return Ipv4Address.read(datagram, datagram.readerIndex() + 16); }

    public int protocol() { return datagram.getUnsignedByte(datagram.readerIndex() + 9); }

    /** The filter engine's own state for this packet; the stack never reads it. */
    public Object engineState() { return engineState; }

    public void setEngineState(Object state) { this.engineState = state; }

    @Override
    public String toString() {
        return "FilterPacket[" + source() + " > " + destination() + " proto " + protocol()
                + in.map(i -> " in " + i).orElse("") + out.map(o -> " out " + o).orElse("") + "]";
    }
}
