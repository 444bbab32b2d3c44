package org.vnetlab.emulator.libvirt.driver;

import java.util.Optional;

/**
 * What {@code virsh net-info} and {@code net-list} show of one network.
 *
 * @param bridge the bridge device name; empty for networks without one (macvtap, hostdev)
 * @param connections guest interfaces plugged into the running network
 */
public record NetworkInfo(String name, String uuid, boolean active, boolean persistent, boolean autostart,
        Optional<String> bridge, int connections) {}
