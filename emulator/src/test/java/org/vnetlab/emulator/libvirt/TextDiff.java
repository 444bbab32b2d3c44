package org.vnetlab.emulator.libvirt;

import java.util.ArrayList;
import java.util.List;

/** A small unified diff (LCS over lines) so a byte-for-byte mismatch shows where it is. */
public final class TextDiff {
    private TextDiff() {}

    public static String unified(String expectedName, String expected, String actualName, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        int[][] lcs = new int[a.length + 1][b.length + 1];
        for (int i = a.length - 1; i >= 0; i--) {
            for (int j = b.length - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        out.add("--- " + expectedName);
        out.add("+++ " + actualName);
        int i = 0;
        int j = 0;
        while (i < a.length || j < b.length) {
            if (i < a.length && j < b.length && a[i].equals(b[j])) {
                out.add(" " + a[i]);
                i++;
                j++;
            } else if (i < a.length && (j == b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
                out.add("-" + a[i++]);
            } else {
                out.add("+" + b[j++]);
            }
        }
        return String.join("\n", out);
    }

    /** Fails with a unified diff unless the two texts are identical. */
    public static void assertSameText(String expectedName, String expected, String actual) {
        if (!expected.equals(actual)) {
            throw new AssertionError("output differs from " + expectedName + ":\n"
                    + unified(expectedName, expected, "generated", actual));
        }
    }
}
