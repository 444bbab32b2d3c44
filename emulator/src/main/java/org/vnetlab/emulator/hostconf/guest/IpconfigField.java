package org.vnetlab.emulator.hostconf.guest;

import java.util.List;

/**
 * One {@code Label . . . : value} entry of ipconfig, with the values of its continuation lines (DNS Servers,
 * Default Gateway and DNS Suffix Search List can have several). An empty list means an empty value.
 */
public record IpconfigField(String label, List<String> values) {
    public IpconfigField {
        values = List.copyOf(values);
    }

    public static IpconfigField of(String label, String... values) { return new IpconfigField(label, List.of(values)); }

    public String first() { return values.isEmpty() ? "" : values.get(0); }
}
