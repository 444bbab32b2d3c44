package org.vnetlab.emulator.netfilter.hook;

import org.vnetlab.emulator.netfilter.Hook;

/**
 * Something registered on a hook at a priority (struct nf_hook_ops): an iptables table's built-in chain,
 * conntrack, NAT, or later an nftables base chain. ACCEPT lets the packet go on to the next base chain of
 * the hook; anything else ends the hook.
 */
public interface BaseChain {
    Hook hook();

    /** Lower runs first; equal priorities run in registration order. */
    int priority();

    /** For traces: {@code filter FORWARD}, {@code conntrack in}. */
    String name();

    HookVerdict process(PacketContext packet, long nowNanos);

    /** Kernel priorities (enum nf_ip_hook_priorities). */
    final class Priority {
        public static final int CONNTRACK_DEFRAG = -400, RAW = -300, SELINUX_FIRST = -225, CONNTRACK = -200,
                MANGLE = -150, NAT_DST = -100, FILTER = 0, SECURITY = 50, NAT_SRC = 100, SELINUX_LAST = 225,
                CONNTRACK_HELPER = 300, CONNTRACK_CONFIRM = Integer.MAX_VALUE;

        private Priority() {}
    }
}
