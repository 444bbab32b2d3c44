package org.vnetlab.emulator.stack.netfilter;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.vnetlab.emulator.bridge.BridgeFilter;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.stack.FilterPacket;
import org.vnetlab.emulator.stack.FilterVerdict;
import org.vnetlab.emulator.stack.Fragmenter;
import org.vnetlab.emulator.stack.IpStack;
import org.vnetlab.emulator.stack.Mib;
import org.vnetlab.emulator.stack.PacketFate;
import org.vnetlab.emulator.stack.PacketFilter;
import org.vnetlab.protocols.MacAddress;
import org.vnetlab.protocols.checksum.InternetChecksum;

/**
 * br_netfilter for IPv4 frames bridged between two ports when {@code net.bridge.bridge-nf-call-iptables=1}:
 * the frame's datagram goes through PREROUTING (in = the bridge, physdev-in = the port), FORWARD (in and out
 * the bridge, both physdev ports) and POSTROUTING (out = the bridge), so iptables rules with {@code -i virbr0
 * -o virbr0} or {@code -m physdev} see guest-to-guest traffic. Simplification: the bridge offers one hook, at
 * its forward step, so all three run there one after another (the kernel runs PREROUTING when the frame
 * enters the bridge), and a frame flooded to several ports meets them once per egress port. Non-IPv4
 * frames pass untouched (arptables/ebtables are not emulated).
 *
 * <p>Fragments, given the host's IP layer ({@link IpStack}): while conntrack is in use nf_defrag_ipv4 gathers
 * them at PREROUTING in the host's fragment queues under their own user (IP_DEFRAG_CONNTRACK_BRIDGE_IN), each
 * fragment once even when flooded; the fragment that completes the datagram goes on whole through the rules
 * and conntrack, and the bridge's output (br_nf_dev_queue_xmit) cuts it again: a datagram longer than the
 * egress port's MTU, or than its largest original fragment (frag_max_size), is fragmented
 * (br_nf_ip_fragment) — refused with FragFails when it has DF and was not gathered (a gathered one ignores
 * DF) or when its largest fragment exceeds the bridge device's MTU — by ip_do_fragment at the bridge's MTU
 * capped by frag_max_size: the original fragments' geometry when it fits, else new pieces. Each piece leaves
 * with the datagram's Ethernet header. Without the IP layer (no host given) fragments pass one by one.
 */
public final class BridgeNetfilter implements BridgeFilter {
    private static final int ETH_HLEN = 14;
    private static final int IP_HLEN = 20;
    private final String bridge;
    private final PacketFilter filter;
    private final Consumer<String> mib;
    private final Optional<IpStack> host;
    private boolean callIptables = true;

    /** br_netfilter whose header drops are not counted anywhere (a bridge without a host stack to count in). */
    public BridgeNetfilter(String bridge, PacketFilter filter) { this(bridge, filter, name -> { }, Optional.empty()); }

    /**
     * br_netfilter counting the IPv4 headers it refuses into {@code mib} ({@link Mib} names), as the kernel
     * counts them in the bridge's network namespace, with no fragment queues behind it.
     */
    public BridgeNetfilter(String bridge, PacketFilter filter, Consumer<String> mib) { this(bridge, filter, mib, Optional.empty()); }

    /** br_netfilter in {@code host}'s namespace: its counters and its fragment queues. */
    public BridgeNetfilter(String bridge, PacketFilter filter, IpStack host) { this(bridge, filter, host::countMib, Optional.of(host)); }

    private BridgeNetfilter(String bridge, PacketFilter filter, Consumer<String> mib, Optional<IpStack> host) {
        this.bridge = bridge;
        this.filter = filter;
        this.mib = mib;
        this.host = host;
    }

    /** net.bridge.bridge-nf-call-iptables. */
    public void setCallIptables(boolean on) { callIptables = on; }

    /** A datagram gathered while going to the first port: what the other ports of a flood get. */
    private record Gathered(ByteBuf frame, int fragMaxSize, List<Integer> payloads) { }

    /** One port's run: what leaves it, the gathered datagram if this run made it whole, whether the fragment was taken. */
    private record PortRun(Egress egress, Gathered gathered, boolean taken) { }

    @Override
    public List<Egress> egress(ByteBuf frame, String inPort, List<OutPort> outPorts, int bridgeMtu) {
        if (!callIptables || frame.readableBytes() < ETH_HLEN || frame.getUnsignedShort(frame.readerIndex() + 12) != 0x0800) {
            return Collections.nCopies(outPorts.size(), Egress.send(frame));
        }
        // br_validate_ipv4 runs once, in br_nf_pre_routing, before the frame is forwarded or flooded
        if (!validIpv4(frame, frame.readerIndex() + ETH_HLEN, frame.readableBytes() - ETH_HLEN)) {
            return Collections.nCopies(outPorts.size(), Egress.DROPPED);
        }
        List<Egress> out = new ArrayList<>(outPorts.size());
        Gathered gathered = null;
        for (OutPort port : outPorts) {
            ByteBuf copy = Unpooled.copiedBuffer(gathered != null ? gathered.frame() : frame);
            PortRun r = run(copy, inPort, port, bridgeMtu, gathered);
            if (r.taken()) {
                // a fragment nf_defrag_ipv4 took (or refused): held once, nothing leaves any port
                return Collections.nCopies(outPorts.size(), Egress.TAKEN);
            }
            if (gathered == null) gathered = r.gathered();
            out.add(r.egress());
        }
        return out;
    }

    private PortRun run(ByteBuf frame, String inPort, OutPort port, int bridgeMtu, Gathered prior) {
        int base = frame.readerIndex();
        int total = frame.getUnsignedShort(base + ETH_HLEN + 2);
        ByteBuf datagram = frame.slice(base + ETH_HLEN, total);
        FilterPacket p = FilterPacket.received(datagram, bridge, MacAddress.read(frame, base + 6), MacAddress.read(frame, base));
        p.setBridgePorts(Optional.of(inPort), Optional.empty());
        if (prior != null) p.markGathered(prior.fragMaxSize(), prior.payloads());
        else host.ifPresent(h -> h.offerBridgedFragment(p));
        FilterVerdict pre = filter.hook(Hook.PREROUTING, p);
        if (pre instanceof FilterVerdict.Stolen st) {
            filter.finished(p, PacketFate.STOLEN, "PREROUTING: taken by " + st.by());
            return new PortRun(Egress.TAKEN, null, true);
        }
        if (!(pre instanceof FilterVerdict.Accept)) return new PortRun(drop(p, "PREROUTING"), null, false);
        Gathered made = null;
        if (prior == null && p.fragMaxSize() > 0) {
            made = new Gathered(withHeader(frame, p.datagram()), p.fragMaxSize(), p.fragmentPayloads());
        }
        p.setOut(bridge);
        p.setBridgePorts(Optional.of(inPort), Optional.of(port.name()));
        if (!(filter.hook(Hook.FORWARD, p) instanceof FilterVerdict.Accept)) return new PortRun(drop(p, "FORWARD"), made, false);
        if (!(filter.hook(Hook.POSTROUTING, p) instanceof FilterVerdict.Accept)) return new PortRun(drop(p, "POSTROUTING"), made, false);
        return new PortRun(output(p, frame, datagram, inPort, port, bridgeMtu), made, false);
    }

    /** br_nf_dev_queue_xmit: whole when it fits the port (and its largest fragment), else br_nf_ip_fragment. */
    private Egress output(FilterPacket p, ByteBuf frame, ByteBuf received, String inPort, OutPort port, int bridgeMtu) {
        ByteBuf d = p.datagram();
        int length = d.readableBytes();
        int fragMax = p.fragMaxSize();
        int mtu = fragMax > 0 && fragMax < port.mtu() ? fragMax : port.mtu();
        String way = "bridged " + inPort + " -> " + port.name();
        if (length <= mtu) {
            filter.finished(p, PacketFate.FORWARDED, way);
            // the frame as it came (rewritten in place by NAT, link padding kept) unless defrag replaced its datagram
            return Egress.send(d == received ? frame : withHeader(frame, d));
        }
        boolean df = (d.getUnsignedShort(d.readerIndex() + 6) & 0x4000) != 0;
        boolean ignoreDf = fragMax > 0; // nf_ct_ipv4_gather_frags sets ignore_df on what it gathers
        if ((df && !ignoreDf) || fragMax > bridgeMtu) {
            mib.accept(Mib.IP_FRAG_FAILS);
            filter.finished(p, PacketFate.TOO_BIG, way + ": " + length + " bytes cannot be fragmented"
                    + (df && !ignoreDf ? " (DF set)" : " (largest fragment " + fragMax + " > bridge MTU " + bridgeMtu + ")"));
            return Egress.TAKEN;
        }
        int fragMtu = fragMax > 0 && fragMax < bridgeMtu ? fragMax : bridgeMtu;
        List<ByteBuf> pieces = Fragmenter.fragment(d, fragMtu, p.fragmentPayloads());
        mib.accept(Mib.IP_FRAG_OKS);
        List<ByteBuf> frames = new ArrayList<>(pieces.size());
        for (ByteBuf piece : pieces) {
            mib.accept(Mib.IP_FRAG_CREATES);
            frames.add(withHeader(frame, piece));
        }
        filter.finished(p, PacketFate.FORWARDED, way + ", cut into " + pieces.size() + " fragments of at most " + fragMtu + " bytes");
        return new Egress(frames, false);
    }

    /** {@code datagram} behind {@code frame}'s Ethernet header (br_nf_push_frag_xmit puts the saved header back). */
    private static ByteBuf withHeader(ByteBuf frame, ByteBuf datagram) {
        ByteBuf f = Unpooled.buffer(ETH_HLEN + datagram.readableBytes());
        f.writeBytes(frame, frame.readerIndex(), ETH_HLEN);
        f.writeBytes(datagram, datagram.readerIndex(), datagram.readableBytes());
        return f;
    }

    /**
     * br_validate_ipv4: what ip_rcv checks, before iptables sees the frame (options are not parsed). A bad
     * header is InHdrErrors (and InCsumErrors for its checksum), a datagram longer than the frame
     * InTruncatedPkts; the frame is dropped. Without br_netfilter the bridge forwards such frames untouched.
     */
    private boolean validIpv4(ByteBuf frame, int at, int available) {
        if (available < IP_HLEN) return refuse(Mib.IP_IN_HDR_ERRORS);
        int vihl = frame.getUnsignedByte(at);
        int ihl = (vihl & 0x0f) * 4;
        if (vihl >>> 4 != 4 || ihl < IP_HLEN || ihl > available) return refuse(Mib.IP_IN_HDR_ERRORS);
        if (!InternetChecksum.verify(frame, at, ihl)) {
            mib.accept(Mib.IP_EXT_IN_CSUM_ERRORS);
            return refuse(Mib.IP_IN_HDR_ERRORS);
        }
        int total = frame.getUnsignedShort(at + 2);
        if (total > available) return refuse(Mib.IP_EXT_IN_TRUNCATED_PKTS);
        if (total < ihl) return refuse(Mib.IP_IN_HDR_ERRORS);
        return true;
    }

    private boolean refuse(String counter) {
        mib.accept(counter);
        return false;
    }

    private Egress drop(FilterPacket p, String hook) {
        filter.finished(p, PacketFate.FILTERED, "bridged frame " + hook + ": dropped");
        return Egress.DROPPED;
    }
}
