/** TCP header (RFC 9293): {@link TcpSegment} view, {@link TcpHeader} value, {@link TcpOption} sealed options, {@link TcpFlags}. No TCP state machine here. */
package org.vnetlab.protocols.tcp;
