/**
 * The host's IPv4 routing table: {@code ip route} / {@code ip -4 route show table all} and {@code route -n}
 * (also {@code netstat -rn}) in and out, and the kernel's lookup (local, main, default tables in rule order;
 * longest prefix, then TOS, then lowest metric, then the kernel's list order).
 */
package org.vnetlab.emulator.hostconf.route;
