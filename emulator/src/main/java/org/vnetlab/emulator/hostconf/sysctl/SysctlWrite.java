package org.vnetlab.emulator.hostconf.sysctl;

import java.util.List;

/** What a write to one key did: the new state and every key the kernel changed, or why it refused. */
public sealed interface SysctlWrite {
    /** Accepted: {@code changed} lists the written key first, then side effects, in the order applied. */
    record Written(Sysctls state, String key, String value, List<String> changed) implements SysctlWrite {
        public Written {
            changed = List.copyOf(changed);
        }
    }

    /** Refused; {@code message} is procps-ng's line for it, without the "sysctl: " prefix. */
    record Refused(String key, Reason reason, String message) implements SysctlWrite {}

    enum Reason {
        /** No such key: "cannot stat /proc/sys/...: No such file or directory". */
        NO_SUCH_KEY,
        /** The kernel said EINVAL: "setting key \"...\": Invalid argument". */
        INVALID_VALUE
    }
}
