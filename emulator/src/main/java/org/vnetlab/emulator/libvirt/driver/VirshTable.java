package org.vnetlab.emulator.libvirt.driver;

import java.util.ArrayList;
import java.util.List;

/**
 * virsh's table printer (tools/vsh-table.c): every cell is preceded by one space, every column but the last
 * is padded to its widest cell plus two spaces, and under the header runs a line of dashes, three per column
 * plus the column's width. Widths count characters (ASCII here).
 */
final class VirshTable {
    private final List<List<String>> rows = new ArrayList<>();

    VirshTable(String... header) {
        rows.add(List.of(header));
    }

    void add(String... cells) {
        if (cells.length != rows.get(0).size()) throw new IllegalArgumentException("Incorrect number of cells in a table row");
        rows.add(List.of(cells));
    }

    String print() { return print(true); }

    /** Without the header (virsh --quiet), the header does not count towards the widths either. */
    String print(boolean header) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : header ? rows : rows.subList(1, rows.size())) {
            for (int c = 0; c < columns; c++) widths[c] = Math.max(widths[c], row.get(c).length());
        }
        StringBuilder sb = new StringBuilder();
        if (header) {
            row(sb, rows.get(0), widths);
            for (int c = 0; c < columns; c++) sb.append("-".repeat(widths[c] + 3));
            sb.append('\n');
        }
        for (int r = 1; r < rows.size(); r++) row(sb, rows.get(r), widths);
        return sb.toString();
    }

    private static void row(StringBuilder sb, List<String> cells, int[] widths) {
        for (int c = 0; c < cells.size(); c++) {
            sb.append(' ').append(cells.get(c));
            if (c < cells.size() - 1) sb.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
        }
        sb.append('\n');
    }
}
