/**
 * A guest's own view of its network: Windows {@code ipconfig} / {@code ipconfig /all} (read and printed in
 * Windows' exact layout) or a Linux guest's {@code ip addr} + {@code ip route} (+ resolv.conf), behind one
 * {@link org.vnetlab.emulator.hostconf.guest.GuestNetConfig} view: addresses, default gateway, DNS servers.
 */
package org.vnetlab.emulator.hostconf.guest;
