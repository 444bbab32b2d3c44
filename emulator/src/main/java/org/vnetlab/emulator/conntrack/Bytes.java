package org.vnetlab.emulator.conntrack;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) reads and writes on a heap buffer's backing array. The per-packet code uses
 * these instead of {@code ByteBuf} accessors: one bounds check per access (the array's own, which the JIT
 * folds), no reference-count check and no virtual call per field.
 */
final class Bytes {
    private static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {}

    static int u8(byte[] a, int i) { return a[i] & 0xff; }

    static int u16(byte[] a, int i) { return (short) I16.get(a, i) & 0xffff; }

    static int i32(byte[] a, int i) { return (int) I32.get(a, i); }

    static void set8(byte[] a, int i, int v) { a[i] = (byte) v; }

    static void set16(byte[] a, int i, int v) { I16.set(a, i, (short) v); }

    static void set32(byte[] a, int i, int v) { I32.set(a, i, v); }
}
