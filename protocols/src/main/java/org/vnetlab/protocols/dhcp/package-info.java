/**
 * DHCPv4 (RFC 2131, options RFC 2132, long options RFC 3396): {@link org.vnetlab.protocols.dhcp.DhcpPacket}
 * is the zero-copy view over a BOOTP message, {@link org.vnetlab.protocols.dhcp.DhcpMessage} the immutable
 * value with parse/emit, {@link org.vnetlab.protocols.dhcp.DhcpOption} the typed options.
 */
package org.vnetlab.protocols.dhcp;
