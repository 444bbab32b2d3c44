package org.vnetlab.emulator.hostconf.guest;

import java.util.List;

/**
 * Prints ipconfig exactly in Windows' layout: a blank line, the title, then either two blank lines (plain)
 * or one blank line, the host section and a blank line (/all); each adapter as its header, a blank line and
 * its fields ({@code    Label . . . : value}, the colon in column 38, further values indented to column 40),
 * adapters separated by a blank line. Plain ipconfig shows only the address fields, without the
 * {@code (Preferred)} suffixes. Lines end in LF; Windows itself writes CRLF.
 */
public final class IpconfigPrinter {
    private static final String INDENT = "   ";
    private static final String CONTINUATION = " ".repeat(INDENT.length() + IpconfigLabels.WIDTH + 2);

    private IpconfigPrinter() {}

    /** {@code ipconfig} ({@code all} false) or {@code ipconfig /all}. */
    public static String print(WindowsIpconfig cfg, boolean all) {
        StringBuilder sb = new StringBuilder();
        sb.append('\n').append("Windows IP Configuration").append('\n').append('\n');
        if (all) {
            for (IpconfigField f : cfg.global()) field(sb, f, true);
        }
        sb.append('\n');
        boolean first = true;
        for (IpconfigAdapter a : cfg.adapters()) {
            if (!first) sb.append('\n');
            first = false;
            sb.append(a.header()).append('\n').append('\n');
            for (IpconfigField f : a.fields()) {
                if (all || IpconfigLabels.PLAIN.contains(f.label())) field(sb, f, all);
            }
        }
        return sb.toString();
    }

    /** One field; {@code withState} keeps Windows' {@code (Preferred)} suffixes, which only /all prints. */
    static void field(StringBuilder sb, IpconfigField f, boolean withState) {
        sb.append(INDENT).append(IpconfigLabels.withLeader(f.label())).append(':');
        List<String> values = f.values();
        for (int i = 0; i < values.size(); i++) {
            String v = withState ? values.get(i) : values.get(i).replaceFirst("\\((Preferred|Duplicate|Tentative|Deprecated)\\)$", "");
            sb.append(i == 0 ? " " : CONTINUATION).append(v).append('\n');
        }
        if (values.isEmpty()) sb.append('\n');
    }
}
