package org.vnetlab.emulator.stack;

/**
 * The {@code net.ipv4.conf.DEV.*} values the stack acts on, for one of {@code all}, {@code default} or an
 * interface. How {@code all} and the interface combine is the kernel's (include/linux/inetdevice.h):
 * forwarding is the interface's own value; rp_filter, arp_ignore and arp_announce take the larger;
 * send_redirects, accept_local, route_localnet and proxy_arp are on if either is.
 */
public record InterfaceConf(int forwarding, int rpFilter, int sendRedirects, int acceptLocal, int routeLocalnet,
                            int arpIgnore, int arpAnnounce, int proxyArp, int logMartians) {

    /** Linux 6.18's values for {@code all}, {@code default} and new interfaces. */
    public static final InterfaceConf KERNEL_DEFAULT = new InterfaceConf(0, 0, 1, 0, 0, 0, 0, 0, 0);

    public InterfaceConf withForwarding(int v) {
        return new InterfaceConf(v, rpFilter, sendRedirects, acceptLocal, routeLocalnet, arpIgnore, arpAnnounce, proxyArp, logMartians);
    }

    public InterfaceConf withRpFilter(int v) {
        if (v < 0 || v > 2) throw new IllegalArgumentException("rp_filter is 0, 1 or 2: " + v);
        return new InterfaceConf(forwarding, v, sendRedirects, acceptLocal, routeLocalnet, arpIgnore, arpAnnounce, proxyArp, logMartians);
    }

    public InterfaceConf withSendRedirects(int v) {
        return new InterfaceConf(forwarding, rpFilter, v, acceptLocal, routeLocalnet, arpIgnore, arpAnnounce, proxyArp, logMartians);
    }

    public InterfaceConf withAcceptLocal(int v) {
        return new InterfaceConf(forwarding, rpFilter, sendRedirects, v, routeLocalnet, arpIgnore, arpAnnounce, proxyArp, logMartians);
    }

    public InterfaceConf withArpIgnore(int v) {
        return new InterfaceConf(forwarding, rpFilter, sendRedirects, acceptLocal, routeLocalnet, v, arpAnnounce, proxyArp, logMartians);
    }

    public InterfaceConf withLogMartians(int v) {
        return new InterfaceConf(forwarding, rpFilter, sendRedirects, acceptLocal, routeLocalnet, arpIgnore, arpAnnounce, proxyArp, v);
    }

    /** The value a packet on an interface with {@code dev} sees, {@code all} being this record. */
    InterfaceConf effective(InterfaceConf dev) {
        return new InterfaceConf(dev.forwarding, Math.max(rpFilter, dev.rpFilter),
                (sendRedirects | dev.sendRedirects) != 0 ? 1 : 0, (acceptLocal | dev.acceptLocal) != 0 ? 1 : 0,
                (routeLocalnet | dev.routeLocalnet) != 0 ? 1 : 0, Math.max(arpIgnore, dev.arpIgnore),
                Math.max(arpAnnounce, dev.arpAnnounce), (proxyArp | dev.proxyArp) != 0 ? 1 : 0,
                (logMartians | dev.logMartians) != 0 ? 1 : 0);
    }
}
