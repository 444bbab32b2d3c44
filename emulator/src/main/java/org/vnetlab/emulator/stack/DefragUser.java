package org.vnetlab.emulator.stack;

/**
 * Who asked ip_defrag to gather fragments (enum ip_defrag_users): part of a fragment queue's key, so the same
 * fragments queue separately for each; it also decides who may send "fragment reassembly time exceeded".
 */
public enum DefragUser {
    /** ip_local_deliver: an end host reassembling what it delivers. */
    LOCAL_DELIVER,
    /** nf_defrag_ipv4 at PREROUTING (IP_DEFRAG_CONNTRACK_IN). */
    CONNTRACK_IN,
    /** nf_defrag_ipv4 at OUTPUT (IP_DEFRAG_CONNTRACK_OUT). */
    CONNTRACK_OUT,
    /**
     * nf_defrag_ipv4 at PREROUTING for a frame br_netfilter hands to iptables (IP_DEFRAG_CONNTRACK_BRIDGE_IN:
     * nf_ct_defrag_user picks it while the skb is in br_nf_pre_routing), so bridged fragments never share a
     * queue with routed ones.
     */
    CONNTRACK_BRIDGE_IN
}
