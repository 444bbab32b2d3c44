/** IPv4 (RFC 791): {@link Ipv4Packet} view with RFC 1624 incremental mutators, {@link Ipv4Header} value, {@link IpProtocol} open enum with /etc/protocols names. */
package org.vnetlab.protocols.ipv4;
