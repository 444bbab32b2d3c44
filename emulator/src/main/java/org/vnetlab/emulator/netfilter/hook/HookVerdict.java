package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;

/** What netfilter tells the stack at the end of a hook (NF_ACCEPT, NF_DROP, NF_STOLEN; REJECT is a drop). */
public sealed interface HookVerdict {

    /** Continue: the packet (maybe rewritten by NAT) goes on. */
    record Accept() implements HookVerdict {}

    /** The packet ends here; {@code by} names the rule, policy or component that dropped it. */
    record Drop(String by, Cause cause) implements HookVerdict {}

    /**
     * The packet ends here and the host answers with {@code reply} (an IPv4 datagram, ICMP error or TCP RST),
     * which the stack must send through its local output path (OUTPUT, routing, POSTROUTING) as
     * ip_local_out does. {@code reply} is null when the kernel would send nothing (e.g. REJECT of a
     * fragment, or of a packet with a bad transport checksum).
     */
    record Reject(String by, String with, ByteBuf reply, ReplyContext replyContext) implements HookVerdict {}

    /** Something took the packet: nf_defrag_ipv4 holding a fragment in its queue. */
    record Stolen(String by) implements HookVerdict {}

    /** Why a packet was dropped. */
    enum Cause { RULE, POLICY, CONNTRACK, NAT, HOTDROP }

    /** Conntrack state the reply carries from birth (nf_ct_attach for TCP resets), if any. */
    record ReplyContext(org.vnetlab.emulator.conntrack.ConntrackEntry entry, org.vnetlab.emulator.conntrack.CtInfo info) {}

    HookVerdict ACCEPT = new Accept();
}
