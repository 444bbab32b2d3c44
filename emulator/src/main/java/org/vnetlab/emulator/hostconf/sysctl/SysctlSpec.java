package org.vnetlab.emulator.hostconf.sysctl;

import java.util.Optional;

/**
 * A key vnetlab emulates: its name (device keys as {@code net.ipv4.conf.*.NAME}), Linux 6.18's default
 * (for device keys: the value of {@code all}, and of {@code default} and new interfaces), the write rule,
 * how {@code all} and a device combine, and a note on what it does or where the default varies.
 */
public record SysctlSpec(String pattern, String allDefault, String deviceDefault, ValueRule rule,
                         Optional<Combine> combine, String note) {
    static SysctlSpec global(String key, String dflt, ValueRule rule, String note) {
        return new SysctlSpec(key, dflt, dflt, rule, Optional.empty(), note);
    }

    static SysctlSpec conf(String name, String allDflt, String devDflt, Combine c, String note) {
        return new SysctlSpec("net.ipv4.conf.*." + name, allDflt, devDflt, ValueRule.IntRule.ANY, Optional.of(c), note);
    }

    public boolean isDeviceKey() { return combine.isPresent(); }
}
