package org.vnetlab.protocols.checksum;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum: RFC 1071 one's-complement sum, the IPv4 pseudo-header sum shared by UDP and TCP,
 * and RFC 1624 incremental update (HC' = ~(~HC + ~m + m')) so that NAT can rewrite one field without
 * summing the whole packet again.
 */
public final class InternetChecksum {
    private InternetChecksum() {}

    /** Unfolded 32-bit one's-complement partial sum of {@code length} bytes at {@code index}. */
    public static long partialSum(ByteBuf buf, int index, int length, long initial) {
        long sum = initial;
        int i = index;
        int end = index + length;
        while (i + 1 < end) {
            sum += buf.getUnsignedShort(i);
            i += 2;
        }
        if (i < end) sum += (buf.getUnsignedByte(i) << 8);
        return sum;
    }

    /** Folds a partial sum into 16 bits, without complementing. */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) sum;
    }

    /** The checksum field value for {@code length} bytes at {@code index} (field itself must be zero). */
    public static int compute(ByteBuf buf, int index, int length) {
        return ~fold(partialSum(buf, index, length, 0)) & 0xffff;
    }

    /** IPv4 pseudo-header sum (source, destination, zero, protocol, L4 length), unfolded. */
    public static long pseudoHeaderSum(int source, int destination, int protocol, int l4Length) {
        return (source >>> 16) + (source & 0xffff) + (destination >>> 16) + (destination & 0xffff)
                + protocol + l4Length;
    }

    /** UDP/TCP checksum over the pseudo-header and {@code l4Length} bytes at {@code index}. */
    public static int computeWithPseudoHeader(ByteBuf buf, int index, int l4Length, int source, int destination, int protocol) {
        long sum = partialSum(buf, index, l4Length, pseudoHeaderSum(source, destination, protocol, l4Length));
        return ~fold(sum) & 0xffff;
    }

    /** True when the bytes, checksum field included, sum to 0xffff: the receiver's check. */
    public static boolean verify(ByteBuf buf, int index, int length) {
        return fold(partialSum(buf, index, length, 0)) == 0xffff;
    }

    /** RFC 1624 eqn. 3: new checksum after a 16-bit word changed from {@code oldWord} to {@code newWord}. */
    public static int update16(int checksum, int oldWord, int newWord) {
        long sum = (~checksum & 0xffff) + (~oldWord & 0xffff) + (newWord & 0xffff);
        return ~fold(sum) & 0xffff;
    }

    /** RFC 1624 for a 32-bit field (an address) changing from {@code oldValue} to {@code newValue}. */
    public static int update32(int checksum, int oldValue, int newValue) {
        long sum = (~checksum & 0xffff)
                + (~(oldValue >>> 16) & 0xffff) + (~oldValue & 0xffff)
                + ((newValue >>> 16) & 0xffff) + (newValue & 0xffff);
        return ~fold(sum) & 0xffff;
    }
}
