package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;
import org.vnetlab.emulator.netfilter.Hook;

/**
 * ip_defrag as the IP layer behind a packet offers it to nf_defrag_ipv4: the namespace's fragment queues
 * (the stack's, shared with local delivery) take the packet's fragment for {@code hook}'s defrag user.
 */
@FunctionalInterface
public interface Defragmenter {

    /** What became of this fragment: the whole datagram when it completed it, else held or dropped. */
    Result gather(Hook hook);

    sealed interface Result permits Gathered, Held, Dropped { }

    /** A datagram made whole from {@code fragments} fragments (IP header first). */
    record Gathered(ByteBuf datagram, int fragments) implements Result { }

    /** Queued until its datagram is whole (or dropped alone as a duplicate). */
    record Held() implements Result { }

    /** Refused (fragment memory over ipfrag_high_thresh) or its queue killed. */
    record Dropped(String why) implements Result { }
}
