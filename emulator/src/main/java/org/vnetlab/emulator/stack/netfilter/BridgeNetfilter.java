package org.vnetlab.emulator.stack.netfilter;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.bridge.BridgeFilter;
import org.vnetlab.emulator.netfilter.Hook;
import org.vnetlab.emulator.stack.FilterPacket;
import org.vnetlab.emulator.stack.FilterVerdict;
import org.vnetlab.emulator.stack.PacketFate;
import org.vnetlab.emulator.stack.PacketFilter;
import org.vnetlab.protocols.MacAddress;

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
    private final String bridge;
    private final PacketFilter filter;
    private boolean callIptables = true;

    public BridgeNetfilter(String bridge, PacketFilter filter) {
        this.bridge = bridge;
        this.filter = filter;
    }

    /** net.bridge.bridge-nf-call-iptables. */
    public void setCallIptables(boolean on) { callIptables = on; }

    @Override
    public Verdict forward(ByteBuf frame, String inPort, String outPort) {
        if (!callIptables || frame.readableBytes() < ETH_HLEN + 20) return Verdict.ACCEPT;
        int base = frame.readerIndex();
        if (frame.getUnsignedShort(base + 12) != 0x0800) return Verdict.ACCEPT;
        int total = frame.getUnsignedShort(base + ETH_HLEN + 2);
        if (total < 20 || ETH_HLEN + total > frame.readableBytes()) return Verdict.ACCEPT;
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

    private Verdict drop(FilterPacket p, String hook) {
        filter.finished(p, PacketFate.FILTERED, "bridged frame " + hook + ": dropped");
        return Verdict.DROP;
    }
}
