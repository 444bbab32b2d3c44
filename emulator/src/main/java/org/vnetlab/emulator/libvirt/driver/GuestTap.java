package org.vnetlab.emulator.libvirt.driver;

import java.util.Optional;
import org.vnetlab.emulator.link.LinkDevice;
import org.vnetlab.protocols.MacAddress;

/**
 * A running guest's tap device on the host ({@code vnet0}), created by the QEMU driver for an
 * {@code <interface type='network'>}: its MAC is the guest's with the first byte set to {@code fe} so the
 * bridge never takes the guest's address as its own. The tap outlives its network: {@code net-destroy}
 * deletes the bridge and the tap falls off it; {@code net-start} does not put it back. Only a daemon
 * restart (the QEMU driver reconnecting to its domains) reattaches it.
 */
public final class GuestTap {
    private final String domain;
    private final String network;
    private final MacAddress guestMac;
    private final LinkDevice device;
    private Optional<String> bridge = Optional.empty();

    GuestTap(String domain, String network, MacAddress guestMac, LinkDevice device) {
        this.domain = domain;
        this.network = network;
        this.guestMac = guestMac;
        this.device = device;
    }

    /** The tap's MAC for a guest NIC: {@code 52:54:00:3b:7d:11} gives {@code fe:54:00:3b:7d:11}. */
    static MacAddress tapMac(MacAddress guest) {
        return new MacAddress((guest.bits() & 0x00ff_ffff_ffffL) | 0xfe00_0000_0000L);
    }

    public String domain() { return domain; }

    /** The libvirt network the interface names. */
    public String network() { return network; }

    public MacAddress guestMac() { return guestMac; }

    /** The host side: {@code host/vnet0}; the lab links it to the guest's NIC. */
    public LinkDevice device() { return device; }

    /** The bridge the tap is a port of now, if any. */
    public Optional<String> bridge() { return bridge; }

    void setBridge(Optional<String> b) { this.bridge = b; }

    @Override
    public String toString() { return "GuestTap[" + domain + " " + device.name() + " on " + bridge.orElse("(no bridge)") + "]"; }
}
