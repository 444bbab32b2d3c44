package org.vnetlab.emulator.bridge;

import org.vnetlab.emulator.link.NetDevice;
import org.vnetlab.emulator.sim.Timer;

/**
 * A device enslaved to a bridge ({@code ip link set vnet0 master virbr0}): its port number and id, STP
 * state and per-port spanning tree information, and the hairpin and learning flags.
 */
public final class BridgePort {
    /** The kernel's default port priority, 0x8000 >> BR_PORT_BITS (10): port ids are 0x8000 | number. */
    static final int DEFAULT_PRIORITY = 0x20;
    private static final int PORT_BITS = 10;

    private final Bridge bridge;
    private final NetDevice device;
    private final int number;
    private final int pathCost;
    private boolean hairpin;
    private boolean learning = true;
    PortState state = PortState.DISABLED;
    int portId;

    // 802.1D per-port information (br_private.h struct net_bridge_port)
    BridgeId designatedRoot;
    int designatedCost;
    BridgeId designatedBridge;
    int designatedPort;
    long designatedAge;
    boolean topologyChangeAck;
    boolean configPending;
    final Timer messageAgeTimer;
    final Timer forwardDelayTimer;
    final Timer holdTimer;

    BridgePort(Bridge bridge, NetDevice device, int number, Stp stp) {
        this.bridge = bridge;
        this.device = device;
        this.number = number;
        this.pathCost = pathCost(device.speedMbps());
        this.portId = (DEFAULT_PRIORITY << PORT_BITS) | number;
        String who = "bridge " + bridge.path() + " port " + device.name();
        // Forward delay transitions are the network settling: they keep a run-until-idle going.
        this.forwardDelayTimer = bridge.lab().scheduler().timer(who + " forward delay", () -> stp.forwardDelayExpired(this));
        this.messageAgeTimer = bridge.lab().scheduler().daemonTimer(who + " message age", () -> stp.messageAgeExpired(this));
        this.holdTimer = bridge.lab().scheduler().daemonTimer(who + " hold", () -> stp.holdExpired(this));
    }

    /** port_cost(): 802.1D costs by link speed; 100 when the speed is unknown ("assume old 10Mbps"). */
    static int pathCost(int speedMbps) {
        return switch (speedMbps) {
            case 10000 -> 2;
            case 1000 -> 4;
            case 100 -> 19;
            default -> 100; // 10 Mb/s, and the kernel's guess when the speed is unknown
        };
    }

    public Bridge bridge() { return bridge; }

    public NetDevice device() { return device; }

    /** The port device's name, e.g. {@code vnet0}. */
    public String name() { return device.name(); }

    /** The port number: the lowest free number from 1 when the port was added. */
    public int number() { return number; }

    /** Priority and number: {@code 0x8001} for port 1 at the default priority. */
    public int portId() { return portId; }

    public int pathCost() { return pathCost; }

    public PortState state() { return state; }

    public boolean isHairpin() { return hairpin; }

    /** {@code bridge link set dev PORT hairpin on}: let frames go back out of the port they came in by. */
    public void setHairpin(boolean hairpin) { this.hairpin = hairpin; }

    public boolean isLearning() { return learning; }

    public void setLearning(boolean learning) { this.learning = learning; }

    /** The designated bridge on this port's segment, from the last BPDU (or this bridge when designated). */
    public BridgeId designatedBridge() { return designatedBridge; }

    public BridgeId designatedRoot() { return designatedRoot; }

    @Override
    public String toString() {
        return "port " + number + "(" + device.name() + ") " + state;
    }
}
