/**
 * The Linux bridge ({@code virbr0}): ports over {@link org.vnetlab.emulator.link.NetDevice}s, the forwarding
 * database with learning and ageing, flooding, the kernel's 802.1D spanning tree (port states, BPDUs,
 * topology change) and the bridge device itself, which is the host stack's interface to the bridge.
 *
 * <p>Behaviour follows the kernel's {@code net/bridge} (br_input.c, br_forward.c, br_fdb.c, br_stp*.c):
 * <ul>
 *   <li>A frame from a port: invalid (multicast or zero) source dropped; 01:80:c2:00:00:00 is a BPDU for STP
 *       when STP is on and forwarded like any multicast when it is off; 01:80:c2:00:00:01 (pause) dropped;
 *       other 01:80:c2:00:00:0X not forwarded. Ports in learning state learn and drop, in forwarding state
 *       learn and forward; all other states drop.</li>
 *   <li>Unicast to a local FDB entry (the bridge's MAC or a port's own MAC) goes up to the bridge device;
 *       known unicast goes out its port; unknown unicast floods; broadcast and multicast flood and also go
 *       up. Frames never leave by the port they came in on (no hairpin by default), and only forwarding
 *       ports send.</li>
 *   <li>STP with {@code stp='on'}: forward delay clamped to [2 s, 30 s], so libvirt's {@code delay='0'}
 *       becomes 2 s: a new port listens 2 s, learns 2 s, forwards at 4 s. Config BPDUs every hello time
 *       (2 s) out of each designated port. With {@code stp='off'} ports forward as soon as they are up.</li>
 * </ul>
 */
package org.vnetlab.emulator.bridge;
