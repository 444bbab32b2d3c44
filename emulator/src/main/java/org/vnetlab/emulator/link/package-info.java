/**
 * Network devices and the point-to-point links between them (veth- and tap-like).
 *
 * <h2>Frames and buffer ownership</h2>
 * A frame is an unpooled heap {@link io.netty.buffer.ByteBuf} whose readable bytes run from the Ethernet
 * header to the end of the payload (no FCS, no padding added). Two rules, no reference counting:
 * <ul>
 *   <li>{@link org.vnetlab.emulator.link.NetDevice#transmit} <b>borrows</b> the caller's buffer: it copies what
 *       it sends and never keeps or modifies the original, so the caller may reuse it at once.</li>
 *   <li>{@link org.vnetlab.emulator.link.FrameReceiver#receive} and
 *       {@link org.vnetlab.emulator.link.RxHandler#handle} <b>give</b> the receiver a buffer of its own: every
 *       receiver of a frame gets its own copy, which it may keep, modify (NAT, TTL) or pass on.</li>
 * </ul>
 *
 * <h2>Counters</h2>
 * {@link org.vnetlab.emulator.link.DeviceCounters} are the kernel's per-device counters as {@code ip -s -s link}
 * prints them. A link counts like a veth pair: a frame longer than the receiving end's MTU + 14 (Ethernet
 * header) + 4 (VLAN tag), or sent while that end is down, is dropped and counted in the sender's
 * {@code tx_dropped} and the receiver's {@code rx_dropped} (the kernel's {@code is_skb_forwardable} check in
 * {@code veth_xmit}).
 */
package org.vnetlab.emulator.link;
