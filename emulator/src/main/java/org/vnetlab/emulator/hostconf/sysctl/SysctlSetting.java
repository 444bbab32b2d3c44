package org.vnetlab.emulator.hostconf.sysctl;

import java.util.Optional;

/**
 * One line of a sysctl.conf / sysctl.d file.
 *
 * @param key           canonical key; may hold glob characters ({@code net.ipv4.conf.*.rp_filter}) as systemd's
 *                      50-default.conf writes them
 * @param value         the value as written (trimmed); empty for a systemd exclusion line ({@code -KEY} alone,
 *                      which takes KEY out of earlier globs)
 * @param ignoreFailure the line began with {@code -}: systemd-sysctl ignores a missing key then
 * @param line          1-based line number
 */
public record SysctlSetting(String key, Optional<String> value, boolean ignoreFailure, int line) {
    public boolean isGlob() { return key.indexOf('*') >= 0 || key.indexOf('?') >= 0 || key.indexOf('[') >= 0; }

    /** A systemd exclusion ({@code -net.ipv4.conf.all.rp_filter} with no value). */
    public boolean isExclusion() { return value.isEmpty(); }
}
