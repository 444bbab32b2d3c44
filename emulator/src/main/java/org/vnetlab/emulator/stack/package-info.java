/**
 * One Linux-like IPv4 stack, {@link org.vnetlab.emulator.stack.IpStack}, for every node of a lab: the
 * virtualization host (with netfilter plugged in through {@link org.vnetlab.emulator.stack.PacketFilter}),
 * the upstream router, the internet's hosts and the guests ({@link org.vnetlab.emulator.stack.OsProfile}:
 * Linux or Windows TTL, ports, IP ID, SYN options).
 *
 * <h2>Building one</h2>
 * {@code new IpStack(lab, "host")} gives {@code lo} (127.0.0.1/8); {@code attach(device)} adds an interface
 * (a link end, a bridge device), {@code addAddress("enp3s0", "192.168.0.10/24")} adds an address and, as the
 * kernel does, its connected route; {@code addDefaultRoute}/{@code addRoute}/{@code setRoutes(RoutingTable)}
 * fill table main; {@code setIpForward(true)} and {@code setSettings(...)} change sysctls;
 * {@link org.vnetlab.emulator.stack.IpStack#fromHostConf} builds one from a parsed {@code ip addr} and
 * {@code ip route}.
 *
 * <h2>Sockets</h2>
 * Event-driven, no threads: callbacks run inside the simulation event that delivers the data or error.
 * {@link org.vnetlab.emulator.stack.UdpSocket} (bind, SO_BINDTODEVICE, SO_BROADCAST, connect, sendto with
 * source/TOS/TTL/PMTU options, IP_RECVERR), {@link org.vnetlab.emulator.stack.PingSocket} (echo with id/seq,
 * replies and ICMP errors), {@link org.vnetlab.emulator.stack.PacketSocket} (whole frames, for DHCP clients),
 * TCP through {@code listen}/{@code connect} ({@link org.vnetlab.emulator.stack.TcpConnection}).
 * Immediate failures are {@link org.vnetlab.emulator.stack.SocketException}s with an
 * {@link org.vnetlab.emulator.stack.Errno}; asynchronous ones arrive as
 * {@link org.vnetlab.emulator.stack.SocketError}s.
 */
package org.vnetlab.emulator.stack;
