package org.vnetlab.emulator.hostconf.sysctl;

import java.util.List;

/** A parsed sysctl.conf or sysctl.d file: its settings in order (later ones win). */
public record SysctlConf(String file, List<SysctlSetting> settings) {
    public SysctlConf {
        settings = List.copyOf(settings);
    }
}
