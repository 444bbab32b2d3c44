package org.vnetlab.protocols.pcap;

/** An interface of a pcapng capture: its name ({@code if_name}, "" when absent), link type and snap length. */
public record PcapngInterface(String name, int linkType, int snapLength) {}
