package org.vnetlab.emulator.hostconf.sysctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How the kernel's {@code proc_dointvec} family reads a write: leading blanks skipped, an optional '-',
 * digits in C's base 0 ({@code 0x10} is 16, {@code 010} is 8), each number ended by a blank or the end; at
 * most {@code count} numbers, anything after them ignored; nothing at all, a '+', trailing garbage glued
 * to a number, or an int overflow is EINVAL. Verified against Linux 6.18 ({@code sysctl -w
 * net.ipv4.ip_forward=0x10} reads back 16, {@code =1x} fails, {@code ="1 2"} sets 1).
 */
final class KernelInts {
    private KernelInts() {}

    /** Up to {@code count} ints, or empty on EINVAL. */
    static Optional<List<Long>> parse(String text, int count) {
        List<Long> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (out.size() < count) {
            while (i < n && isBlank(text.charAt(i))) i++;
            if (i >= n) break;
            boolean neg = false;
            if (text.charAt(i) == '-') {
                neg = true;
                i++;
            }
            int start = i;
            int base = 10;
            if (i + 1 < n && text.charAt(i) == '0' && (text.charAt(i + 1) == 'x' || text.charAt(i + 1) == 'X')) {
                base = 16;
                i += 2;
                start = i;
            } else if (i < n && text.charAt(i) == '0') {
                base = 8;
            }
            long v = 0;
            while (i < n && Character.digit(text.charAt(i), base) >= 0) {
                v = v * base + Character.digit(text.charAt(i), base);
                if (v > 0xffff_ffffL) return Optional.empty();
                i++;
            }
            if (i == start) return Optional.empty();
            if (i < n && !isBlank(text.charAt(i))) return Optional.empty();
            long value = neg ? -v : v;
            if (value > Integer.MAX_VALUE || value < Integer.MIN_VALUE) return Optional.empty();
            out.add(value);
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }

    private static boolean isBlank(char c) { return c == ' ' || c == '\t' || c == '\n'; }
}
