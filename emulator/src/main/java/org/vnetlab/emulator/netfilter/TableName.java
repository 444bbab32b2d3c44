package org.vnetlab.emulator.netfilter;

import java.util.List;
import java.util.Optional;

/** The iptables tables and the hooks their built-in chains sit on (kernel iptable_*.c valid_hooks). */
public enum TableName {
    RAW("raw", List.of(Hook.PREROUTING, Hook.OUTPUT)),
    MANGLE("mangle", List.of(Hook.PREROUTING, Hook.INPUT, Hook.FORWARD, Hook.OUTPUT, Hook.POSTROUTING)),
    NAT("nat", List.of(Hook.PREROUTING, Hook.INPUT, Hook.OUTPUT, Hook.POSTROUTING)),
    FILTER("filter", List.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT)),
    SECURITY("security", List.of(Hook.INPUT, Hook.FORWARD, Hook.OUTPUT));

    private final String iptablesName;
    private final List<Hook> hooks;

    TableName(String iptablesName, List<Hook> hooks) {
        this.iptablesName = iptablesName;
        this.hooks = hooks;
    }

    /** The name as written after {@code -t} and {@code *}: {@code "filter"}. */
    public String iptablesName() { return iptablesName; }

    /** Hooks this table has built-in chains for, in hook order (which is also iptables' chain print order). */
    public List<Hook> hooks() { return hooks; }

    public boolean hasBuiltin(String chainName) {
        return Hook.ofChainName(chainName).map(hooks::contains).orElse(false);
    }

    /** Table for the name as iptables spells it (case-sensitive, like the kernel's table lookup). */
    public static Optional<TableName> of(String iptablesName) {
        for (TableName t : values()) if (t.iptablesName.equals(iptablesName)) return Optional.of(t);
        return Optional.empty();
    }

    @Override
    public String toString() { return iptablesName; }
}
