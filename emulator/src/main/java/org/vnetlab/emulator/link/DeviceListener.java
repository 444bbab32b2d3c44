package org.vnetlab.emulator.link;

/** Told when a device goes up or down or gains or loses carrier (the kernel's netdevice notifier). */
@FunctionalInterface
public interface DeviceListener {
    void stateChanged(NetDevice device);
}
