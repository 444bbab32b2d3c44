/** Ethernet II / 802.3 framing with one optional 802.1Q tag: {@link EthernetFrame} view, {@link EthernetHeader} value, {@link EtherType} open enum. */
package org.vnetlab.protocols.ethernet;
