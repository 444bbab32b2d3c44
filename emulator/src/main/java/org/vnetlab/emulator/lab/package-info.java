/**
 * Whole labs to probe: {@link org.vnetlab.emulator.lab.LibvirtHostLab} builds a virtualization host from its
 * dump files (or from a builder) with libvirt's networks running on it, the LAN, router and internet around
 * it, and guests plugged into the networks; {@link org.vnetlab.emulator.lab.LibvirtHost} is what a user does
 * on that host (virsh, iptables, restarting libvirtd, firewalld's reload); {@link
 * org.vnetlab.emulator.lab.HostIptables} is the host's live ruleset. Every default the builder picks for what
 * a dump leaves out is stated in the lab's assumptions.
 */
package org.vnetlab.emulator.lab;
