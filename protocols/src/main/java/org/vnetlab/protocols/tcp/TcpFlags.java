package org.vnetlab.protocols.tcp;

/**
 * TCP control bits as they sit in the low 12 bits of header word 6 (RFC 9293, RFC 3168 for ECE/CWR,
 * RFC 3540's historic NS, now AE). {@link #toString(int)} spells them in scapy's order, SYN+ACK as "SA".
 */
public final class TcpFlags {
    public static final int FIN = 0x001;
    public static final int SYN = 0x002;
    public static final int RST = 0x004;
    public static final int PSH = 0x008;
    public static final int ACK = 0x010;
    public static final int URG = 0x020;
    public static final int ECE = 0x040;
    public static final int CWR = 0x080;
    /** Formerly NS (ECN nonce), now AE (accurate ECN). */
    public static final int AE = 0x100;
    /** All 12 bits after the data offset: the 8 classic flags, AE and 3 reserved bits. */
    public static final int MASK = 0xfff;

    private static final int[] BITS = {FIN, SYN, RST, PSH, ACK, URG, ECE, CWR, AE};
    private static final char[] LETTERS = {'F', 'S', 'R', 'P', 'A', 'U', 'E', 'C', 'N'};

    private TcpFlags() {}

    public static boolean has(int flags, int bit) { return (flags & bit) != 0; }

    /** "S", "SA", "PA", "FA", "R"...; reserved bits as "+0x..."; no flag at all as "". */
    public static String toString(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BITS.length; i++) {
            if ((flags & BITS[i]) != 0) sb.append(LETTERS[i]);
        }
        int reserved = flags & 0xe00;
        if (reserved != 0) sb.append("+0x").append(Integer.toHexString(reserved));
        return sb.toString();
    }
}
