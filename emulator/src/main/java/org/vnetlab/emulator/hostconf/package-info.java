/**
 * The host's own configuration as the user copies it off a real Linux machine: which kind of dump a file
 * is ({@link org.vnetlab.emulator.hostconf.HostDumpFile}) and a whole collected folder
 * ({@link org.vnetlab.emulator.hostconf.HostDump}). The formats themselves live in the sub-packages:
 * {@code route} (ip route, route -n), {@code iface} (ip addr), {@code sysctl}, {@code resolv} (resolv.conf)
 * and {@code guest} (a guest's ipconfig); {@code text} is the line and token cursor they share.
 */
package org.vnetlab.emulator.hostconf;
