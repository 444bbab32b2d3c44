/**
 * Guest operating systems on the lab and the commands users type at them.
 *
 * <p>A {@link org.vnetlab.emulator.guest.Guest} is one VM with one NIC, running the shared
 * {@link org.vnetlab.emulator.stack.IpStack} configured by an {@link org.vnetlab.emulator.guest.OsProfile}
 * (Windows 10, Debian with ISC dhclient, busybox with udhcpc). {@code guest.run("ping 8.8.8.8")} parses the
 * line as cmd.exe or a POSIX shell would, runs the command on the lab's virtual clock, and returns a
 * {@link org.vnetlab.emulator.guest.CommandResult}: exit status, the text the real program prints, and one
 * {@link org.vnetlab.emulator.guest.Outcome} per probe. Unknown commands and options are errors naming the
 * word, never ignored.
 *
 * <p>Commands see the network only through {@link org.vnetlab.emulator.guest.GuestNet} (ping, UDP and TCP
 * client sockets, a packet socket for DHCP), implemented over the stack by
 * {@link org.vnetlab.emulator.guest.StackGuestNet}. DHCP clients ({@link org.vnetlab.emulator.guest.DhcpFlavor})
 * build their own frames for their broadcasts, as udhcpc and dhclient do, and send their unicasts to the
 * server (RELEASE, a renewing REQUEST) through the stack's UDP sockets, as the real clients do.
 */
package org.vnetlab.emulator.guest;
