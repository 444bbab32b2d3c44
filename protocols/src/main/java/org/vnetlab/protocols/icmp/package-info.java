/** ICMPv4 (RFC 792): {@link IcmpPacket} view, {@link IcmpMessage} sealed values, type/code constants and {@link IcmpErrors}, the Linux rules for building errors. */
package org.vnetlab.protocols.icmp;
