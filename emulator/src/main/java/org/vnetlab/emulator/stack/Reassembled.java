package org.vnetlab.emulator.stack;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * A datagram ip_defrag made whole: its bytes (IP header first, total length and checksum set, fragment
 * offset 0, DF only when the largest fragments all carried it), how many fragments made it, the size of the
 * largest one (IPCB(skb)->frag_max_size, which caps the fragments it is cut into again on the way out) and
 * the payload length of each fragment in offset order (the skb's frag_list, which ip_do_fragment's fast path
 * re-emits unchanged when its geometry fits).
 */
public record Reassembled(ByteBuf datagram, int fragments, int fragMaxSize, List<Integer> payloadLengths) {
    public Reassembled {
        payloadLengths = List.copyOf(payloadLengths);
    }
}
