package org.vnetlab.emulator.nftables.firewall;

import java.util.List;
import java.util.Map;
import org.vnetlab.emulator.netfilter.Hook;

/**
 * What vnetlab tells about a host's firewall set-up before any packet: findings (legacy tables hidden from
 * iptables-save, two iptables back ends on one host, tables not evaluated) and, per hook, the base chains in the
 * order a packet meets them — each of which must accept it.
 */
public record FirewallReport(List<String> findings, Map<Hook, List<String>> hooks) {
    public FirewallReport {
        findings = List.copyOf(findings);
        hooks = Map.copyOf(hooks);
    }

    /** Findings, then the per-hook chain order, as text. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (String f : findings) sb.append("note: ").append(f).append('\n');
        for (Hook h : Hook.values()) {
            List<String> l = hooks.getOrDefault(h, List.of());
            if (l.isEmpty()) continue;
            sb.append(h.name().toLowerCase()).append(":\n");
            for (int i = 0; i < l.size(); i++) sb.append("  ").append(i + 1).append(". ").append(l.get(i)).append('\n');
        }
        return sb.toString();
    }
}
