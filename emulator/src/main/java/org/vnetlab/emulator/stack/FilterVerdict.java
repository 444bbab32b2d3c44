package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import java.util.Optional;

/** A hook's outcome: the packet goes on, is dropped, or is rejected with a reply the stack must send. */
public sealed interface FilterVerdict {
    FilterVerdict ACCEPT = new Accept();

    record Accept() implements FilterVerdict { }

    /**
     * NF_STOLEN: a hook took the packet and the stack forgets it (nf_defrag_ipv4 queued a fragment; it comes
     * back, whole, as the packet that completes its datagram).
     */
    record Stolen(String by) implements FilterVerdict { }

    /** {@code by} names the rule, policy or component, for traces and logs. */
    record Drop(String by) implements FilterVerdict { }

    /**
     * REJECT: the packet is dropped and, when present, {@code reply} (a whole IPv4 datagram: ICMP error or
     * TCP reset) is sent through the local output path. {@code replyState} is what the engine wants attached
     * to the reply's own filter packet (nf_ct_attach for resets); may be null.
     */
    record Reject(String by, String with, Optional<ByteBuf> reply, Object replyState) implements FilterVerdict { }
}
