/**
 * DNS messages through dnsjava, wrapped: {@link org.vnetlab.protocols.dns.DnsMessage} and its parts are
 * plain values, so the rest of vnetlab never imports {@code org.xbill.DNS}. No hand-written DNS codec.
 */
package org.vnetlab.protocols.dns;
