package org.vnetlab.emulator.stack.netfilter;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import java.util.function.Consumer;
import org.vnetlab.emulator.bridge.BridgeFilter;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.stack.FilterPacket;
import org.vnetlab.emulator.stack.FilterVerdict;
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
 */
public final class BridgeNetfilter implements BridgeFilter {
    private static final int ETH_HLEN = 14;
    private static final int IP_HLEN = 20;
    private final String bridge;
    private final PacketFilter filter;
    private final Consumer<String> mib;
    private boolean callIptables = true;

    /** br_netfilter whose header drops are not counted anywhere (a bridge without a host stack to count in). */
    public BridgeNetfilter(String bridge, PacketFilter filter) { this(bridge, filter, name -> { }); }

    /**
     * br_netfilter counting the IPv4 headers it refuses into {@code mib} ({@link Mib} names), as the kernel
     * counts them in the bridge's network namespace: pass the host stack's {@link IpStack#countMib}.
     */
    public BridgeNetfilter(String bridge, PacketFilter filter, Consumer<String> mib) {
        this.bridge = bridge;
        this.filter = filter;
        this.mib = mib;
    }

    /** net.bridge.bridge-nf-call-iptables. */
    public void setCallIptables(boolean on) { callIptables = on; }

    @Override
    public Verdict forward(ByteBuf frame, String inPort, String outPort) {
        if (!callIptables || frame.readableBytes() < ETH_HLEN) return Verdict.ACCEPT;
        int base = frame.readerIndex();
        if (frame.getUnsignedShort(base + 12) != 0x0800) return Verdict.ACCEPT;
        if (!validIpv4(frame, base + ETH_HLEN, frame.readableBytes() - ETH_HLEN)) return Verdict.DROP;
        int total = frame.getUnsignedShort(base + ETH_HLEN + 2);
        ByteBuf datagram = frame.slice(base + ETH_HLEN, total);
        FilterPacket p = FilterPacket.received(datagram, bridge, MacAddress.read(frame, base + 6), MacAddress.read(frame, base));
        p.setBridgePorts(Optional.of(inPort), Optional.empty());
        if (!(filter.hook(Hook.PREROUTING, p) instanceof FilterVerdict.Accept)) return drop(p, "PREROUTING");
        p.setOut(bridge);
        p.setBridgePorts(Optional.of(inPort), Optional.of(outPort));
        if (!(filter.hook(Hook.FORWARD, p) instanceof FilterVerdict.Accept)) return drop(p, "FORWARD");
        if (!(filter.hook(Hook.POSTROUTING, p) instanceof FilterVerdict.Accept)) return drop(p, "POSTROUTING");
        filter.finished(p, PacketFate.FORWARDED, "bridged " + inPort + " -> " + outPort);
        return Verdict.ACCEPT;
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

    private Verdict drop(FilterPacket p, String hook) {
        filter.finished(p, PacketFate.FILTERED, "bridged frame " + hook + ": dropped");
        return Verdict.DROP;
    }
}
