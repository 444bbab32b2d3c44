package org.vnetlab.emulator.bridge;

import io.netty.buffer.ByteBuf;

/**
 * The bridge's forward hook (NF_BR_FORWARD), where br_netfilter runs iptables' FORWARD chain with physdev
 * information when {@code net.bridge.bridge-nf-call-iptables=1}. Called once per egress port for every frame
 * bridged from one port to another (not for frames the host itself sends or receives through the bridge
 * device). The frame is the copy that will leave by {@code outPort}: the filter may read it and may modify
 * it; it must not keep it.
 */
@FunctionalInterface
public interface BridgeFilter {
    enum Verdict { ACCEPT, DROP }

    Verdict forward(ByteBuf frame, String inPort, String outPort);
}
