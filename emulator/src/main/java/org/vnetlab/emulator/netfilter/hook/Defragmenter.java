package org.vnetlab.emulator.netfilter.hook;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.vnetlab.emulator.netfilter.Hook;

/**
 * ip_defrag as the IP layer behind a packet offers it to nf_defrag_ipv4: the namespace's fragment queues
 * (the stack's, shared with local delivery) take the packet's fragment for {@code hook}'s defrag user.
 */
@FunctionalInterface
public interface Defragmenter {

    /** The whole datagram (IP header first) when this fragment completed it, else empty: the fragment is held. */
    Optional<Gathered> gather(Hook hook);

    /** A datagram made whole from {@code fragments} fragments. */
    record Gathered(ByteBuf datagram, int fragments) { }
}
