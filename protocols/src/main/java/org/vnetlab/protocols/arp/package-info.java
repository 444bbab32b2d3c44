/** ARP for Ethernet and IPv4 (RFC 826): {@link ArpPacket} view, {@link ArpMessage} value. Other hardware or protocol types are refused with a ParseException. */
package org.vnetlab.protocols.arp;
