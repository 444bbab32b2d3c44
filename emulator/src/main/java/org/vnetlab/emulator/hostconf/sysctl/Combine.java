package org.vnetlab.emulator.hostconf.sysctl;

/**
 * How the kernel combines {@code net.ipv4.conf.all.X} with {@code net.ipv4.conf.DEV.X} when it uses the
 * setting on DEV (include/linux/inetdevice.h: IN_DEV_CONF_GET, IN_DEV_ORCONF, IN_DEV_ANDCONF,
 * IN_DEV_MAXCONF).
 */
public enum Combine {
    /** Only the device's own value counts (forwarding). */
    DEVICE,
    /** Enabled if all or the device says so (send_redirects, accept_local, route_localnet, log_martians, proxy_arp). */
    OR,
    /** Enabled only if both say so (bc_forwarding). */
    AND,
    /** The larger of the two (rp_filter, arp_ignore, arp_announce). */
    MAX,
    /**
     * accept_redirects: AND of the two on a forwarding interface, OR otherwise (IN_DEV_RX_REDIRECTS).
     */
    ACCEPT_REDIRECTS
}
