package org.vnetlab.emulator.link;

/** Told when a device goes up or down, gains or loses carrier, or changes MTU (the kernel's netdevice notifier). */
@FunctionalInterface
public interface DeviceListener {
    void stateChanged(NetDevice device);
}
