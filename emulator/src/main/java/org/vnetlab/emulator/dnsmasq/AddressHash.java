package org.vnetlab.emulator.dnsmasq;

/**
 * The seed of dnsmasq's address choice (dhcp.c address_allocate): the SDBM hash of the client's hardware
 * address, {@code j = byte + (j << 6) + (j << 16) - j} over unsigned 32-bit arithmetic, 0 replaced by 1. The
 * first address tried is {@code start + (hash + epoch) mod (end - start + 1)}.
 */
public final class AddressHash {
    private AddressHash() {}

    public static int sdbm(byte[] hardwareAddress) {
        int j = 0;
        for (byte b : hardwareAddress) j = (b & 0xff) + (j << 6) + (j << 16) - j;
        return j == 0 ? 1 : j;
    }

    /** Offset into a pool of {@code size} addresses for this hash and epoch (both unsigned). */
    static long offset(int hash, int epoch, long size) {
        long sum = (Integer.toUnsignedLong(hash) + Integer.toUnsignedLong(epoch)) & 0xffff_ffffL;
        return sum % size;
    }
}
