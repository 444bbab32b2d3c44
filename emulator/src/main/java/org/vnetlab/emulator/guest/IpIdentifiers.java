package org.vnetlab.emulator.guest;

/**
 * The IP identification counter a guest's own raw senders draw from (Windows' DHCP client uses the stack's
 * global counter; Linux packet-socket clients write 0 and never ask).
 */
final class IpIdentifiers {
    private int next;

    IpIdentifiers(int first) {
        next = first & 0xffff;
    }

    int next() {
        int id = next;
        next = (next + 1) & 0xffff;
        return id;
    }
}
