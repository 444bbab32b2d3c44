/** UDP (RFC 768): {@link UdpDatagram} view with pseudo-header checksum (0 = none, a computed 0 sent as 0xffff), {@link UdpHeader} value. */
package org.vnetlab.protocols.udp;
