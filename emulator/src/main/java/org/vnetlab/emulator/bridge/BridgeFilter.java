package org.vnetlab.emulator.bridge;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * The bridge's forward hook (NF_BR_FORWARD), where br_netfilter runs iptables' FORWARD chain with physdev
 * information when {@code net.bridge.bridge-nf-call-iptables=1}. Called for every frame bridged from one port
 * to others (not for frames the host itself sends or receives through the bridge device), once with all the
 * egress ports the frame goes to ({@link #egress}); a filter that decides port by port is a {@link PortFilter}.
 */
@FunctionalInterface
public interface BridgeFilter {
    enum Verdict { ACCEPT, DROP }

    /** A filter deciding port by port. */
    @FunctionalInterface
    interface PortFilter {
        /**
         * One egress port's decision on {@code frame}, a copy that will leave by {@code outPort}: the filter may
         * read it and may modify it; it must not keep it.
         */
        Verdict forward(ByteBuf frame, String inPort, String outPort);
    }

    /** Each egress port gets its own copy of the frame, passed or dropped by {@code f}. */
    static BridgeFilter perPort(PortFilter f) {
        return (frame, inPort, outPorts, bridgeMtu) -> {
            List<Egress> out = new ArrayList<>(outPorts.size());
            for (OutPort p : outPorts) {
                ByteBuf copy = Unpooled.copiedBuffer(frame);
                out.add(f.forward(copy, inPort, p.name()) == Verdict.DROP ? Egress.DROPPED : Egress.send(copy));
            }
            return out;
        };
    }

    /** An egress port and its device's MTU. */
    record OutPort(String name, int mtu) { }

    /**
     * What leaves one egress port: the frames to send (none when the filter took the frame, e.g. a fragment
     * held for reassembly), and whether the filter dropped it.
     */
    record Egress(List<ByteBuf> frames, boolean dropped) {
        public static final Egress DROPPED = new Egress(List.of(), true);
        public static final Egress TAKEN = new Egress(List.of(), false);

        public Egress {
            frames = List.copyOf(frames);
        }

        public static Egress send(ByteBuf frame) { return new Egress(List.of(frame), false); }
    }

    /**
     * The frame bridged from {@code inPort} to {@code outPorts} (in the bridge's delivery order): one
     * {@link Egress} per port, in the same order; {@code bridgeMtu} is the bridge device's MTU. The filter
     * must not modify or keep {@code frame}.
     */
    List<Egress> egress(ByteBuf frame, String inPort, List<OutPort> outPorts, int bridgeMtu);
}
